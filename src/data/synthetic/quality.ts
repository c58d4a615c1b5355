import { InvalidArgumentError } from '../../errors.js';
import type { Rng } from './prng.js';
import { DEGRADATION_NAMES, type Degradations, QUALITY_LABELS, type QualityLabel } from './types.js';

/** Score thresholds of {@link qualityLabel}: below the first is good, below the second usable, else reject. */
export const QUALITY_THRESHOLDS = [0.2, 0.55] as const;

/**
 * One number for how degraded an image is: the worst severity plus a quarter of the others (two moderate
 * problems are worse than one). Exposure counts by its magnitude.
 */
export function qualityScore(d: Degradations): number {
  const s = severities(d);
  const worst = Math.max(0, ...s);
  return worst + 0.25 * (s.reduce((a, b) => a + b, 0) - worst);
}

/**
 * The quality label the synthetic generator assigns to a set of degradations, EyeQ's three classes:
 * {@link qualityScore} < 0.2 → `'good'`, < 0.55 → `'usable'`, else `'reject'`.
 *
 * @example
 * ```ts
 * qualityLabel({});                             // 'good'
 * qualityLabel({ blur: 0.4 });                  // 'usable'
 * qualityLabel({ blur: 0.4, exposure: -0.6 });  // 'reject'
 * ```
 * @throws {@link InvalidArgumentError} for an unknown field or a severity out of range.
 */
export function qualityLabel(d: Degradations): QualityLabel {
  const score = qualityScore(checkDegradations('qualityLabel', d));
  return score < QUALITY_THRESHOLDS[0] ? 'good' : score < QUALITY_THRESHOLDS[1] ? 'usable' : 'reject';
}

/** The names of the degradations present (severity > 0); exposure is reported as under- or overexposure. */
export function degradationNames(d: Degradations): string[] {
  const names: string[] = [];
  for (const key of DEGRADATION_NAMES) {
    const v = d[key] ?? 0;
    if (v === 0) continue;
    names.push(key === 'exposure' ? (v < 0 ? 'underexposure' : 'overexposure') : key);
  }
  return names;
}

/** Checks the fields and ranges of a degradation record; returns a copy with every field present. */
export function checkDegradations(fn: string, d: Degradations): Required<Degradations> {
  if (d === null || typeof d !== 'object') {
    throw new InvalidArgumentError(
      'quality',
      `${fn}: quality must be an object of severities, but got ${d}.`,
      d,
    );
  }
  for (const key of Object.keys(d)) {
    if (!(DEGRADATION_NAMES as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(
        'quality',
        `${fn}: unknown degradation '${key}'; valid: ${DEGRADATION_NAMES.join(', ')}.`,
        key,
      );
    }
  }
  const out = { blur: 0, illumination: 0, exposure: 0, occlusion: 0, offCentre: 0 };
  for (const key of DEGRADATION_NAMES) {
    const v = d[key] ?? 0;
    const lo = key === 'exposure' ? -1 : 0;
    if (typeof v !== 'number' || !(v >= lo && v <= 1)) {
      throw new InvalidArgumentError(
        'quality',
        `${fn}: quality.${key} must be a number in [${lo}, 1], but got ${String(v)}.`,
        v,
      );
    }
    out[key] = v;
  }
  return out;
}

/** Parses the `quality` argument of the generator: a label, a degradation record, or undefined (sampled). */
export function checkQualityArg(fn: string, q: unknown): QualityLabel | Degradations | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'string') {
    if ((QUALITY_LABELS as readonly string[]).includes(q)) return q as QualityLabel;
    throw new InvalidArgumentError(
      'quality',
      `${fn}: quality must be one of ${QUALITY_LABELS.map((l) => `'${l}'`).join(', ')} or a record of severities, but got '${q}'.`,
      q,
    );
  }
  return checkDegradations(fn, q as Degradations);
}

/**
 * Degradations whose {@link qualityLabel} is `label`: none for good; one or two for usable (score 0.25-0.5);
 * one to three for reject (score 0.6-1). The main problem is chosen uniformly from the five kinds.
 */
export function sampleDegradations(rng: Rng, label: QualityLabel): Degradations {
  if (label === 'good') return {};
  const [lo, hi] = label === 'usable' ? [0.25, 0.5] : [0.6, 1];
  const target = rng.uniform(lo, hi);
  const kinds = rng.shuffle([...DEGRADATION_NAMES]);
  const extra = label === 'usable' ? rng.int(0, 1) : rng.int(0, 2);
  const d: Degradations = {};
  let others = 0;
  for (let i = 1; i <= extra; i++) {
    const s = rng.uniform(0.05, 0.18);
    d[kinds[i]!] = kinds[i] === 'exposure' && rng.chance(0.5) ? -s : s;
    others += s;
  }
  // score = main + 0.25·others, so solve for the main severity.
  const main = Math.min(1, target - 0.25 * others);
  d[kinds[0]!] = kinds[0] === 'exposure' && rng.chance(0.6) ? -main : main;
  return d;
}

function severities(d: Degradations): number[] {
  return DEGRADATION_NAMES.map((k) => Math.abs(d[k] ?? 0));
}
