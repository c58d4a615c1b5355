import {
  argMax,
  avgPool,
  cast,
  div,
  dot,
  max,
  maximum,
  mul,
  neg,
  oneHot,
  range,
  reshape,
  type Scalar,
  step,
  sub,
  sum,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import { outerSum, rowDot } from './grids.js';

/** Otsu's split of a non-negative feature map. */
export interface OtsuSplit {
  /** Mean of the pixels at or below the threshold, a scalar. */
  low: Scalar;
  /** Mean of the pixels above the threshold (here: the field of view's typical level), a scalar. */
  high: Scalar;
}

/** Histogram bins. */
const BINS = 64;
/** Longest side of the copy the histogram is taken on: the split needs the distribution, not detail. */
const HISTOGRAM_SIZE = 32;

/**
 * Otsu's split (maximum between-class variance) of one feature map [1, h, w, 1] ≥ 0, over 64 bins from 0 to its
 * maximum. The cumulative histogram comes from comparing every bin edge with every pixel of a coarse copy, laid
 * out [bins, pixels] so both sums run along the inner axis: no histogram kernel (TF.js's WebGL `DenseBincount`
 * reads the data back to the CPU), no scan, and reductions every backend runs well. Call inside `tidy`.
 *
 * @see N. Otsu, "A threshold selection method from gray-level histograms", IEEE Trans. SMC 9(1), 1979.
 */
export function otsuSplit(feature: Tensor4D): OtsuSplit {
  const [, h, w] = feature.shape;
  const k = Math.min(Math.max(1, Math.ceil(Math.max(h, w) / HISTOGRAM_SIZE)), Math.min(h, w));
  const coarse = k === 1 ? feature : avgPool(feature, k, k, 'valid');
  const values = reshape(coarse, [1, -1]); // [1, P]
  const pixels = values.shape[1]!;
  const top = maximum(max(values), 1e-6);
  const edges = reshape(mul(range(1, BINS + 1), div(top, BINS)), [BINS, 1]); // upper bin edges
  // values ≤ edge as 1 − step(values − edge): TF.js's wasm backend runs a broadcast comparison ~40× slower than
  // broadcast arithmetic.
  const below = sub(1, step(outerSum(neg(edges), values))) as Tensor2D; // [B, P]
  const count0 = sum(below, 1) as Tensor1D; // pixels at or below each edge
  const sum0 = rowDot(below, values);
  const total = sum(values);
  const count1 = sub(pixels, count0);
  const mean0 = div(sum0, maximum(count0, 1));
  const mean1 = div(sub(total, sum0), maximum(count1, 1));
  const gap = sub(mean1, mean0);
  const between = mul(mul(count0, count1), mul(gap, gap)); // ∝ w0·w1·(μ1 − μ0)²
  // Reshape: WebGPU's ArgMax of a vector gives shape [1], not [].
  const pick = reshape(cast(oneHot(argMax(between), BINS), 'float32'), [BINS]) as Tensor1D;
  return { low: dot(mean0, pick) as Scalar, high: dot(mean1, pick) as Scalar };
}
