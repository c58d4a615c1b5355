import type { SourceLayer, SourceWeight, TargetLayer } from './source_layers.js';
import { variableShortName } from './source_layers.js';
import type { WeightsMismatch } from './weights_errors.js';

/** A model layer paired with its source weights, in the order of `layer.weights`. */
export interface MatchedLayer {
  target: TargetLayer;
  weights: SourceWeight[];
}

export interface MatchResult {
  matched: MatchedLayer[];
  mismatches: WeightsMismatch[];
}

const key = (path: string[]) => path.join('/');

/**
 * Pairs model layers with source layers: first by qualified path (`outer/inner`), then, for what is left, by
 * the layer's own name where it is unique on both sides (so a flat keras.applications file loads into a
 * backbone nested in a larger model and vice versa). Within a layer, weights pair by short name
 * (`kernel`/`bias`, `gamma`/`beta`/`moving_mean`/`moving_variance`) when the names cover the layer's weights
 * one to one, by position otherwise; then every shape is checked.
 */
export function matchLayers(targets: TargetLayer[], sources: SourceLayer[]): MatchResult {
  const pairs = new Map<TargetLayer, SourceLayer>();
  const usedSources = new Set<SourceLayer>();
  const sourceByKey = new Map(sources.map((s) => [key(s.path), s]));
  for (const t of targets) {
    const s = sourceByKey.get(key(t.path));
    if (s !== undefined && !usedSources.has(s)) {
      pairs.set(t, s);
      usedSources.add(s);
    }
  }
  const leftTargets = targets.filter((t) => !pairs.has(t));
  const leftSources = sources.filter((s) => !usedSources.has(s));
  const countBy = <T>(items: T[], name: (x: T) => string) => {
    const m = new Map<string, number>();
    for (const x of items) m.set(name(x), (m.get(name(x)) ?? 0) + 1);
    return m;
  };
  const tCount = countBy(leftTargets, (t) => t.path.at(-1)!);
  const sCount = countBy(leftSources, (s) => s.path.at(-1)!);
  for (const t of leftTargets) {
    const name = t.path.at(-1)!;
    if (tCount.get(name) !== 1 || sCount.get(name) !== 1) continue;
    const s = leftSources.find((x) => x.path.at(-1) === name)!;
    pairs.set(t, s);
    usedSources.add(s);
  }

  const matched: MatchedLayer[] = [];
  const mismatches: WeightsMismatch[] = [];
  for (const t of targets) {
    const expected = t.layer.weights.map((v) => v.shape.map((d) => d as number));
    const s = pairs.get(t);
    if (s === undefined) {
      mismatches.push({ kind: 'missing', layer: key(t.path), expected, actual: [] });
      continue;
    }
    const actual = s.weights.map((w) => w.shape);
    if (s.weights.length !== t.layer.weights.length) {
      mismatches.push({ kind: 'count', layer: key(t.path), expected, actual });
      continue;
    }
    const ordered = orderByName(t, s) ?? s.weights;
    const bad = t.layer.weights.flatMap((v, i) =>
      sameShape(expected[i]!, ordered[i]!.shape)
        ? []
        : [
            {
              kind: 'shape' as const,
              layer: key(t.path),
              weight: variableShortName(v),
              expected: [expected[i]!],
              actual: [ordered[i]!.shape],
            },
          ],
    );
    if (bad.length > 0) mismatches.push(...bad);
    else matched.push({ target: t, weights: ordered });
  }
  for (const s of sources) {
    if (!usedSources.has(s)) {
      mismatches.push({
        kind: 'unexpected',
        layer: key(s.path),
        expected: [],
        actual: s.weights.map((w) => w.shape),
      });
    }
  }
  return { matched, mismatches };
}

/** Source weights in the order of the layer's variables, by short name; undefined when names do not decide. */
function orderByName(t: TargetLayer, s: SourceLayer): SourceWeight[] | undefined {
  if (s.positional) return undefined;
  const byName = new Map(s.weights.map((w) => [w.name, w]));
  if (byName.size !== s.weights.length) return undefined;
  const ordered = t.layer.weights.map((v) => byName.get(variableShortName(v)));
  return ordered.every((w) => w !== undefined) ? ordered : undefined;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
