import { InvalidArgumentError } from '../../errors.js';

/** A number (a symmetric strength, see each field) or an explicit `[min, max]` range to sample from. */
export type AugmentRange = number | readonly [number, number];

/**
 * Arguments of {@link augment}. Every transform is off unless given; each image of a batch draws its own
 * parameters uniformly from the ranges.
 */
export interface AugmentArgs {
  /**
   * Mirror the image: `true` or `'horizontal'` left-right (turns a right eye into a left one),
   * `'vertical'` up-down, `'both'` each independently; each with probability `flipProbability`.
   * @defaultValue `false`
   */
  flip?: boolean | 'horizontal' | 'vertical' | 'both';
  /**
   * Probability of each enabled flip.
   * @defaultValue `0.5`
   */
  flipProbability?: number;
  /**
   * Rotation in degrees, counter-clockwise as displayed, about the image centre: `r` → uniform in
   * [−r, r], or `[min, max]`.
   * @defaultValue `0`
   */
  rotate?: AugmentRange;
  /**
   * Scale factor about the centre (> 1 enlarges): `z` (0 ≤ z < 1) → uniform in [1 − z, 1 + z], or
   * `[min, max]` (> 0).
   * @defaultValue `0`
   */
  zoom?: AugmentRange;
  /**
   * Shift as a fraction of the width/height, drawn separately for x and y: `t` → uniform in [−t, t], or
   * `[min, max]`.
   * @defaultValue `0`
   */
  translate?: AugmentRange;
  /**
   * Brightness factor (multiplies the image): `b` → uniform in [max(0, 1 − b), 1 + b], or `[min, max]` (≥ 0).
   * @defaultValue `0`
   */
  brightness?: AugmentRange;
  /**
   * Contrast factor about the image's mean grey level: `c` → [max(0, 1 − c), 1 + c], or `[min, max]` (≥ 0).
   * @defaultValue `0`
   */
  contrast?: AugmentRange;
  /**
   * Saturation factor (0 greyscale, 1 unchanged), RGB only: `s` → [max(0, 1 − s), 1 + s], or `[min, max]` (≥ 0).
   * @defaultValue `0`
   */
  saturation?: AugmentRange;
  /**
   * Hue rotation in turns (0.5 = 180°), a rotation of the chroma plane of YIQ that keeps luma, RGB only:
   * `h` (≤ 0.5) → uniform in [−h, h], or `[min, max]` within [−0.5, 0.5].
   * @defaultValue `0`
   */
  hue?: AugmentRange;
  /**
   * Gamma exponent, out = 255·(in/255)^γ: `g` (0 ≤ g < 1) → [1 − g, 1 + g], or `[min, max]` (> 0).
   * @defaultValue `0`
   */
  gamma?: AugmentRange;
  /**
   * Gaussian blur sigma in pixels: `s` → uniform in [0, s], or `[min, max]` (≥ 0).
   * @defaultValue `0`
   */
  blur?: AugmentRange;
  /**
   * Integer seed (0 ≤ seed < 2³²): the same seed, input shape and arguments give the same output. Use a
   * new seed per batch (e.g. `base + step`) for fresh randomness.
   * @defaultValue a random seed
   */
  seed?: number;
}

/** The checked arguments: every range explicit, `null` where the transform is off. */
export interface ResolvedAugmentArgs {
  flipH: boolean;
  flipV: boolean;
  flipProbability: number;
  rotate: readonly [number, number] | null;
  zoom: readonly [number, number] | null;
  translate: readonly [number, number] | null;
  brightness: readonly [number, number] | null;
  contrast: readonly [number, number] | null;
  saturation: readonly [number, number] | null;
  hue: readonly [number, number] | null;
  gamma: readonly [number, number] | null;
  blur: readonly [number, number] | null;
}

type Symmetric = (x: number) => readonly [number, number];

/** Validates `args` and turns each field into an explicit range (or null when off). */
export function resolveAugmentArgs(fn: string, args: AugmentArgs): ResolvedAugmentArgs {
  if (args === null || typeof args !== 'object') {
    throw new InvalidArgumentError('args', `${fn}: args must be an object, but got ${String(args)}.`, args);
  }
  const known = new Set([
    'flip',
    'flipProbability',
    'rotate',
    'zoom',
    'translate',
    'brightness',
    'contrast',
    'saturation',
    'hue',
    'gamma',
    'blur',
    'seed',
  ]);
  for (const key of Object.keys(args)) {
    if (!known.has(key)) {
      throw new InvalidArgumentError(
        key,
        `${fn}: unknown argument '${key}'; valid: ${[...known].join(', ')}.`,
        key,
      );
    }
  }
  const { flip = false } = args;
  if (![true, false, 'horizontal', 'vertical', 'both'].includes(flip)) {
    throw new InvalidArgumentError(
      'flip',
      `${fn}: flip must be a boolean, 'horizontal', 'vertical' or 'both', but got ${String(flip)}.`,
      flip,
    );
  }
  const flipProbability = args.flipProbability ?? 0.5;
  if (typeof flipProbability !== 'number' || !(flipProbability >= 0 && flipProbability <= 1)) {
    throw new InvalidArgumentError(
      'flipProbability',
      `${fn}: flipProbability must be a number in [0, 1], but got ${String(flipProbability)}.`,
      flipProbability,
    );
  }
  const factor: Symmetric = (x) => [Math.max(0, 1 - x), 1 + x];
  return {
    flipH: flip === true || flip === 'horizontal' || flip === 'both',
    flipV: flip === 'vertical' || flip === 'both',
    flipProbability,
    rotate: range(fn, 'rotate', args.rotate, (r) => [-r, r], -360, 360, 0),
    zoom: range(fn, 'zoom', args.zoom, (z) => [1 - z, 1 + z], 1e-3, 100, 1, 0.999),
    translate: range(fn, 'translate', args.translate, (t) => [-t, t], -1, 1, 0),
    brightness: range(fn, 'brightness', args.brightness, factor, 0, 100, 1),
    contrast: range(fn, 'contrast', args.contrast, factor, 0, 100, 1),
    saturation: range(fn, 'saturation', args.saturation, factor, 0, 100, 1),
    hue: range(fn, 'hue', args.hue, (h) => [-h, h], -0.5, 0.5, 0),
    gamma: range(fn, 'gamma', args.gamma, (g) => [1 - g, 1 + g], 1e-3, 100, 1, 0.999),
    blur: range(fn, 'blur', args.blur, (s) => [0, s], 0, 100, 0),
  };
}

/**
 * One field as a range within [lo, hi], or null when it is the identity (`identity` both ends). A number
 * goes through `symmetric` (and must itself be at most `maxStrength`).
 */
function range(
  fn: string,
  name: string,
  value: AugmentRange | undefined,
  symmetric: Symmetric,
  lo: number,
  hi: number,
  identity: number,
  maxStrength = Number.POSITIVE_INFINITY,
): readonly [number, number] | null {
  if (value === undefined) return null;
  const bad = (why: string): never => {
    throw new InvalidArgumentError(name, `${fn}: ${name} ${why}, but got ${JSON.stringify(value)}.`, value);
  };
  let r: readonly [number, number];
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || value > maxStrength) {
      bad(
        `must be a number in [0, ${Number.isFinite(maxStrength) ? maxStrength : hi}] or a [min, max] range`,
      );
    }
    r = symmetric(value);
  } else if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    r = [value[0]!, value[1]!];
    if (r[0] > r[1]) bad('range must have min ≤ max');
  } else {
    return bad('must be a number or a [min, max] range');
  }
  if (r[0] < lo || r[1] > hi) bad(`range must lie within [${lo}, ${hi}]`);
  return r[0] === identity && r[1] === identity ? null : r;
}
