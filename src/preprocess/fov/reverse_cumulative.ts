import { cumprod, cumsum, reverse, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Cumulative sum (or product) from the end of `axis`. TF.js 4.22's WebGPU `Cumsum`/`Cumprod` give wrong results
 * with `reverse: true` (checked against cpu, wasm and webgl), so this flips, scans forward and flips back.
 * Call inside `tidy`.
 */
export function cumulativeFromEnd<T extends Tensor>(x: T, axis: number, op: 'sum' | 'prod' = 'sum'): T {
  const scan = op === 'sum' ? cumsum : cumprod;
  return reverse(scan(reverse(x, axis), axis), axis) as T;
}
