import { type Tensor3D, type Tensor4D, tidy } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.js';

/** An image transform: one image [H, W, C] or a batch [N, H, W, C] in, the same rank out. */
export type ImageTransform = <T extends Tensor3D | Tensor4D>(image: T) => T;

/**
 * Chains transforms left to right into one, run inside a single `tidy` so the intermediates are freed.
 *
 * @example
 * ```ts
 * const prepare = compose((x) => resize(x, 512), (x) => benGraham(x), (x) => normalize(x, 'tf'));
 * const ready = prepare(image);
 * ```
 * @throws {@link InvalidArgumentError} when an argument is not a function.
 */
export function compose(
  ...transforms: ((image: Tensor3D | Tensor4D) => Tensor3D | Tensor4D)[]
): ImageTransform {
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') {
      throw new InvalidArgumentError(
        'transforms',
        `compose: argument ${i} must be a function, but got ${typeof t}.`,
        t,
      );
    }
  });
  return (<T extends Tensor3D | Tensor4D>(image: T): T =>
    tidy(() => transforms.reduce<Tensor3D | Tensor4D>((x, t) => t(x), image) as T)) as ImageTransform;
}
