import { clipByValue, isNaN as isNaNOp, type Tensor, where } from '@tensorflow/tfjs-core';

/**
 * `clipByValue` that lets NaN through on every backend. TF.js's wasm `ClipByValue` turns NaN into the lower
 * bound (cpu keeps it), which would hide bad input behind a plausible value; the transforms promise NaN in,
 * NaN out. Call inside `tidy`.
 */
export function clipKeepingNaN<T extends Tensor>(x: T, lo: number, hi: number): T {
  return where(isNaNOp(x), x, clipByValue(x, lo, hi)) as T;
}
