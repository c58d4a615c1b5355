import {
  add,
  avgPool,
  concat,
  div,
  matMul,
  max,
  maximum,
  min,
  mul,
  ones,
  reshape,
  type Scalar,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import { onCpuBackend } from './grids.js';

/** How far each working pixel's colour is from the colour of the surround (the frame's corners). */
export interface SurroundDistance {
  /** Euclidean colour distance from the surround colour, 3×3 box-smoothed, [1, h, w, 1] (0-255 units). */
  distance: Tensor4D;
  /** The same before smoothing. */
  raw: Tensor4D;
  /** Typical `distance` in the surround (its noise floor), a scalar. */
  level: Scalar;
  /** Standard deviation of `distance` in the surround (JPEG noise, sensor noise), a scalar. */
  noise: Scalar;
}

/**
 * The surround is whatever fills the four corners of the frame: black for most cameras, but grey, coloured or
 * noisy for some. Measuring distance from it (rather than brightness) makes the threshold work on any uniform
 * surround. Its colour is the per-channel median of the four corner means, so text or a flare in one corner
 * does not move it. One image `small` [1, h, w, C]; call inside `tidy`.
 */
export function surroundDistance(small: Tensor4D): SurroundDistance {
  const [, h, w] = small.shape;
  const surround = medianOf4(cornerMeans(small)); // [C]
  const raw = sqrt(reshape(maximum(squaredDistance(small, surround), 0), [1, h, w, 1])) as Tensor4D;
  // A 3×3 box blur tames JPEG noise near black; it is symmetric, so it does not move the edge.
  const distance = avgPool(avgPool(raw, [3, 1], 1, 'same'), [1, 3], 1, 'same') as Tensor4D; // separable
  const means = cornerMeans(distance);
  const spread = sqrt(maximum(sub(cornerMeans(square(distance)), square(means)), 0));
  const level = reshape(medianOf4(means), []) as Scalar;
  const noise = reshape(medianOf4(spread), []) as Scalar;
  return { distance, raw, level, noise };
}

/**
 * Σ_c (x_c − s_c)² per pixel of [1, h, w, C]. On cpu, ‖x‖² − 2 x·s + ‖s‖² as one matrix product (no
 * broadcasting); elsewhere the broadcast difference, summed over the channels by an average pool across the
 * interleaved channel axis: a sum over 3 values per pixel runs one workgroup per pixel on WebGPU (a second for a
 * 120×150 image under SwiftShader), the pool does not.
 */
function squaredDistance(small: Tensor4D, surround: Tensor1D): Tensor {
  const [, h, w, c] = small.shape;
  if (onCpuBackend()) {
    const pixels = reshape(small, [h * w, c]);
    const terms = concat([square(pixels), pixels], 1) as Tensor2D; // [P, 2C]
    const weights = reshape(concat([ones([c]), mul(surround, -2)]), [2 * c, 1]) as Tensor2D;
    return add(matMul(terms, weights), sum(square(surround)));
  }
  const squared = square(sub(small, reshape(surround, [1, 1, 1, c])));
  if (c === 1) return squared;
  return mul(avgPool(reshape(squared, [1, h, w * c, 1]) as Tensor4D, [1, c], [1, c], 'valid'), c);
}

/**
 * Per-channel mean of each corner patch (5 % of the shorter side, at least 1 pixel): [4, C]. One average pool
 * whose stride jumps from one corner to the other gives all four.
 */
function cornerMeans(x: Tensor4D): Tensor2D {
  const [, h, w, c] = x.shape;
  const s = Math.max(1, Math.round(0.05 * Math.min(h, w)));
  return reshape(avgPool(x, s, [h - s, w - s], 'valid'), [4, c]) as Tensor2D;
}

/** Median of 4 values along axis 0 (mean of the middle two), without a sort: (Σ − max − min) / 2. */
function medianOf4(x: Tensor): Tensor1D {
  return div(sub(sub(sum(x, 0), max(x, 0)), min(x, 0)), 2) as Tensor1D;
}
