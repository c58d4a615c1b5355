import { Rng } from '../../data/synthetic/prng.js';
import type { ResolvedAugmentArgs } from './augment_args.js';

/** The random draw of one image. Identity values where a transform is off. */
export interface AugmentParams {
  flipH: boolean;
  flipV: boolean;
  /** Degrees, counter-clockwise. */
  rotate: number;
  zoom: number;
  /** Fractions of width and height. */
  tx: number;
  ty: number;
  brightness: number;
  contrast: number;
  saturation: number;
  /** Turns. */
  hue: number;
  gamma: number;
  /** Pixels. */
  blur: number;
}

/**
 * Parameters for `n` images from one seed. Every image consumes the same 13 draws in the same order
 * whatever is enabled, so switching one transform on or off does not change the others' draws.
 */
export function sampleAugmentParams(args: ResolvedAugmentArgs, n: number, seed: number): AugmentParams[] {
  const rng = new Rng(seed);
  const pick = (r: readonly [number, number] | null, u: number, identity: number) =>
    r === null ? identity : r[0] + (r[1] - r[0]) * u;
  const out: AugmentParams[] = [];
  for (let i = 0; i < n; i++) {
    const u = Array.from({ length: 13 }, () => rng.next());
    out.push({
      flipH: args.flipH && u[0]! < args.flipProbability,
      flipV: args.flipV && u[1]! < args.flipProbability,
      rotate: pick(args.rotate, u[2]!, 0),
      zoom: pick(args.zoom, u[3]!, 1),
      tx: pick(args.translate, u[4]!, 0),
      ty: pick(args.translate, u[5]!, 0),
      brightness: pick(args.brightness, u[6]!, 1),
      contrast: pick(args.contrast, u[7]!, 1),
      saturation: pick(args.saturation, u[8]!, 1),
      hue: pick(args.hue, u[9]!, 0),
      gamma: pick(args.gamma, u[10]!, 1),
      blur: pick(args.blur, u[11]!, 0),
    });
  }
  return out;
}
