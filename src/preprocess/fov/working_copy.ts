import { avgPool, cast, type Tensor4D } from '@tensorflow/tfjs-core';

/** The downscaled copy the circle is detected on, and how its pixels map back to the input's. */
export interface WorkingCopy {
  /** Box-averaged float32 copy [N, h, w, C]. */
  small: Tensor4D;
  /** Integer downscale factor k: working pixel (i, j) averages input rows i·k…i·k+k−1, columns j·k…j·k+k−1. */
  factor: number;
}

/**
 * Box-averages `batch` by the smallest integer factor that brings its longest side to `workingSize` or below.
 * An integer box average (rather than a bilinear resize) anti-aliases and keeps the coordinate map exact:
 * working pixel centre j ↦ input pixel j·k + (k − 1)/2. Call inside `tidy`.
 */
export function workingCopy(batch: Tensor4D, workingSize: number): WorkingCopy {
  const [, h, w] = batch.shape;
  const factor = Math.min(Math.max(1, Math.ceil(Math.max(h, w) / workingSize)), Math.min(h, w));
  const x = batch.dtype === 'float32' ? batch : cast(batch, 'float32'); // a float32 cast still copies on wasm
  return { small: factor === 1 ? x : avgPool(x, factor, factor, 'valid'), factor };
}
