import {
  cast,
  clipByValue,
  div,
  isNaN as isNaNOp,
  mul,
  op,
  pow,
  type Tensor3D,
  type Tensor4D,
  tidy,
  where,
} from '@tensorflow/tfjs-core';
import { nonNegativeNumber, positiveNumber } from './check_args.js';
import { imageBatch } from './image_batch.js';

export interface GammaArgs {
  /** Exponent, > 0: below 1 brightens the dark parts, above 1 darkens them. */
  gamma: number;
  /** Multiplier applied after the power (result clipped to 0-255), ≥ 0. @defaultValue 1 */
  gain?: number;
}

/**
 * Gamma correction of a 0-255 image, torchvision's `adjust_gamma`: `255 · gain · (I / 255)^gamma`, with the
 * input clipped to 0-255 first (no NaN from negative values) and the result clipped to 0-255.
 * NaN input gives NaN output.
 *
 * @param image Values 0-255, [H, W, C] or [N, H, W, C], any channel count.
 * @param args `gamma` (> 0) and `gain` (≥ 0).
 * @returns Values 0-255, same shape and rank, float32.
 * @example
 * ```ts
 * const brighter = gamma(image, { gamma: 0.7 });
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4.
 * @throws {@link InvalidArgumentError} when `gamma` is not a positive number or `gain` is negative or not finite.
 * @see torchvision.transforms.functional.adjust_gamma
 */
function gamma_<T extends Tensor3D | Tensor4D>(image: T, args: GammaArgs): T {
  const exponent = positiveNumber('gamma', 'gamma', args?.gamma);
  const gain = nonNegativeNumber('gamma', 'gain', args.gain ?? 1);
  return tidy(() => {
    const { batch, restore } = imageBatch('gamma', image);
    const x = cast(batch, 'float32');
    const out = clipByValue(mul(pow(div(clipByValue(x, 0, 255), 255), exponent), 255 * gain), 0, 255);
    // NaN explicitly: backends disagree on pow(NaN) and on clipping NaN (webgl's pow gives a number).
    return restore<T>(where(isNaNOp(x), x, out) as Tensor4D);
  });
}

export const gamma = op({ gamma_ });
