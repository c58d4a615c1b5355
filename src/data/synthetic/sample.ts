import { InvalidArgumentError } from '../../errors.js';
import { sampleAnatomy } from './anatomy.js';
import { checkCounts, drGrade } from './grade.js';
import { haemorrhagesPerQuadrant, placeLesions, sampleLesionCounts } from './lesions.js';
import { hashSeed, Rng } from './prng.js';
import {
  checkDegradations,
  checkQualityArg,
  degradationNames,
  qualityLabel,
  sampleDegradations,
} from './quality.js';
import { type Rendered, render } from './render.js';
import type { Degradations, DrGrade, LesionCounts, QualityLabel } from './types.js';

/** Arguments of {@link syntheticFundus}. */
export interface SyntheticFundusArgs {
  /**
   * Side of the square image in pixels, 64-2048. Anatomy and lesions are drawn in units of the field of
   * view, so one seed gives the same eye at every size.
   * @defaultValue `512`
   */
  size?: number;
  /**
   * Integer seed (0 ≤ seed < 2³²); the same seed and arguments give the same image and labels, bit for bit.
   * Anatomy, lesions, degradations and noise use separate streams: changing `quality` or `lesions` keeps the eye.
   * @defaultValue a random seed, returned as `seed` in the result
   */
  seed?: number;
  /**
   * Right eye: optic disc on the right of the image, left eye: on the left.
   * @defaultValue sampled
   */
  eye?: 'left' | 'right';
  /**
   * DR grade to produce; lesions are sampled to meet it (see {@link drGrade}). Give this or `lesions`, not both.
   * @defaultValue sampled: 0 40 %, 1 15 %, 2 20 %, 3 12 %, 4 13 % (unless `lesions` is given)
   */
  grade?: DrGrade;
  /**
   * Exact lesion counts, e.g. `{ MA: 10, EX: 3 }` (missing types 0, `{}` for a healthy eye): MA dots, HE
   * blots, EX clusters, SE spots, NV tufts. The grade then follows from them.
   * @defaultValue sampled from `grade`
   */
  lesions?: Partial<LesionCounts>;
  /**
   * A quality label to produce (degradations sampled to match, none for `'good'`), or the severity of each
   * degradation (the label then follows from {@link qualityLabel}).
   * @defaultValue sampled: good 55 %, usable 30 %, reject 15 %
   */
  quality?: QualityLabel | Degradations;
}

/** Labels and facts of one synthetic photograph (no tensors). */
export interface SyntheticFundusInfo {
  /** DR grade from the drawn lesions, {@link drGrade}. */
  grade: DrGrade;
  /** Quality label from the degradations, {@link qualityLabel}. */
  quality: QualityLabel;
  /**
   * Degradations applied: `'blur'`, `'illumination'`, `'underexposure'`, `'overexposure'`, `'occlusion'`,
   * `'offCentre'`.
   */
  degradations: string[];
  /** Severity of each degradation (0 when absent). */
  severity: Required<Degradations>;
  /** Lesions drawn per type (MA dots, HE blots, EX clusters, SE spots, NV tufts). */
  lesionCounts: LesionCounts;
  /** Haemorrhages per quadrant around the fovea, as seen: upper-right, upper-left, lower-left, lower-right. */
  haemorrhagesPerQuadrant: [number, number, number, number];
  eye: 'left' | 'right';
  /** Field-of-view circle in pixels as drawn (centre may be off the image centre with `offCentre`). */
  fov: { x: number; y: number; r: number };
  /** The seed used (the one given, or the random one drawn). */
  seed: number;
}

const GRADE_PRIOR = [0.4, 0.15, 0.2, 0.12, 0.13];
const QUALITY_PRIOR = [0.55, 0.3, 0.15];

/** Validates the arguments, samples the scene and renders it in plain arrays. */
export function synthesize(
  fn: string,
  args: SyntheticFundusArgs & { seed: number },
): { rendered: Rendered; info: SyntheticFundusInfo } {
  const size = args.size ?? 512;
  checkSize(fn, size);
  checkSeed(fn, args.seed);
  if (args.eye !== undefined && args.eye !== 'left' && args.eye !== 'right') {
    throw new InvalidArgumentError(
      'eye',
      `${fn}: eye must be 'left' or 'right', but got ${String(args.eye)}.`,
      args.eye,
    );
  }
  if (args.grade !== undefined && args.lesions !== undefined) {
    throw new InvalidArgumentError('grade', `${fn}: give grade or lesions, not both.`, args.grade);
  }
  if (args.grade !== undefined && !(Number.isInteger(args.grade) && args.grade >= 0 && args.grade <= 4)) {
    throw new InvalidArgumentError(
      'grade',
      `${fn}: grade must be an integer 0-4, but got ${String(args.grade)}.`,
      args.grade,
    );
  }
  if (args.lesions !== undefined && (args.lesions === null || typeof args.lesions !== 'object')) {
    throw new InvalidArgumentError(
      'lesions',
      `${fn}: lesions must be an object of counts, but got ${String(args.lesions)}.`,
      args.lesions,
    );
  }
  const explicitCounts = args.lesions === undefined ? undefined : checkCounts(fn, args.lesions);
  const qualityArg = checkQualityArg(fn, args.quality);

  const anatomy = sampleAnatomy(new Rng(hashSeed(args.seed, 1)), args.eye);

  const lesionRng = new Rng(hashSeed(args.seed, 2));
  const target = explicitCounts ? undefined : (args.grade ?? (lesionRng.weighted(GRADE_PRIOR) as DrGrade));
  let counts = explicitCounts ?? sampleLesionCounts(lesionRng, target!);
  let lesions = placeLesions(lesionRng, counts, anatomy);
  // Placement can (rarely) miss a quadrant; resample until the drawn lesions have the grade asked for.
  for (let tries = 0; target !== undefined && tries < 20; tries++) {
    if (drGrade({ counts, haemorrhagesPerQuadrant: haemorrhagesPerQuadrant(anatomy, lesions) }) === target)
      break;
    counts = sampleLesionCounts(lesionRng, target);
    lesions = placeLesions(lesionRng, counts, anatomy);
  }
  const quadrants = haemorrhagesPerQuadrant(anatomy, lesions);

  const qualityRng = new Rng(hashSeed(args.seed, 3));
  const degradations =
    typeof qualityArg === 'object'
      ? qualityArg
      : sampleDegradations(
          qualityRng,
          qualityArg ?? (['good', 'usable', 'reject'] as const)[qualityRng.weighted(QUALITY_PRIOR)]!,
        );
  const severity = checkDegradations(fn, degradations);

  const rendered = render({ size, anatomy, lesions, degradations: severity, seed: hashSeed(args.seed, 4) });
  return {
    rendered,
    info: {
      grade: drGrade({ counts, haemorrhagesPerQuadrant: quadrants }),
      quality: qualityLabel(severity),
      degradations: degradationNames(severity),
      severity,
      lesionCounts: counts,
      haemorrhagesPerQuadrant: quadrants,
      eye: anatomy.eye,
      fov: rendered.fov,
      seed: args.seed,
    },
  };
}

export function checkSize(fn: string, size: unknown): void {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 64 || size > 2048) {
    throw new InvalidArgumentError(
      'size',
      `${fn}: size must be an integer from 64 to 2048, but got ${String(size)}.`,
      size,
    );
  }
}

export function checkSeed(fn: string, seed: unknown): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new InvalidArgumentError(
      'seed',
      `${fn}: seed must be an integer in [0, 2^32), but got ${String(seed)}.`,
      seed,
    );
  }
}
