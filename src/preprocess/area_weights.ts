import {
  concat,
  matMul,
  reshape,
  slice,
  type Tensor2D,
  type Tensor4D,
  tensor2d,
  transpose,
} from '@tensorflow/tfjs-core';

/**
 * Area interpolation along one axis as a banded weight table: output pixel `o` is the average of the input
 * interval [o·s, (o+1)·s), s = in/out, each input pixel weighted by the length it overlaps (fractional at the
 * ends) over s. That is OpenCV's INTER_AREA for shrinking, and for enlarging too (an output pixel inside one
 * input pixel copies it; one straddling two blends them). Stored as `taps` (index, weight) pairs per output
 * pixel rather than an [out, in] matrix: the work is O(out · taps), taps ≤ ceil(s) + 1, not O(out · in)
 * (a dense matmul along the rows of a 4288 × 2848 photo would be ~19 GMAC).
 */
export interface AreaTaps {
  taps: number;
  /** [out · taps] input indices; unused taps repeat an index of the same window with weight 0 (NaN stays local). */
  index: Int32Array;
  /** [out · taps] weights, each row summing to 1. */
  weight: Float32Array;
}

export function areaTaps(inSize: number, outSize: number): AreaTaps {
  // Integer arithmetic in units of 1/outSize input pixels: input pixel i spans [i·out, (i+1)·out), output
  // pixel o spans [o·in, (o+1)·in). Overlaps are exact, so no epsilon is needed for whole-pixel boundaries.
  const rows: Array<Array<[number, number]>> = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * inSize;
    const end = start + inSize;
    const row: Array<[number, number]> = [];
    for (let i = Math.floor(start / outSize); i * outSize < end; i++) {
      const overlap = Math.min(end, (i + 1) * outSize) - Math.max(start, i * outSize);
      if (overlap > 0) row.push([i, overlap / inSize]);
    }
    rows.push(row);
  }
  const taps = Math.max(...rows.map((r) => r.length));
  const index = new Int32Array(outSize * taps);
  const weight = new Float32Array(outSize * taps);
  rows.forEach((row, o) => {
    for (let t = 0; t < taps; t++) {
      const [i, w] = row[Math.min(t, row.length - 1)]!;
      index[o * taps + t] = i;
      weight[o * taps + t] = t < row.length ? w : 0;
    }
  });
  return { taps, index, weight };
}

/**
 * A window along one axis: `length` positions from `start` (either may reach past the axis, where the input
 * counts as 0), resized as if it had been cut out first (zero-padded where it leaves the axis).
 */
export interface AreaWindow {
  start: number;
  length: number;
}

/**
 * `areaTaps(window.length, outSize)` moved onto an axis of `size` positions: indices shifted by `window.start`;
 * taps outside the axis get weight 0 (they would read zero padding) and a clamped index, so the indices stay
 * non-decreasing. Only for inputs without NaN (a 0-weighted NaN still makes NaN in a product).
 */
export function windowTaps(window: AreaWindow, size: number, outSize: number): AreaTaps {
  const { taps, index, weight } = areaTaps(window.length, outSize);
  for (let k = 0; k < index.length; k++) {
    const i = index[k]! + window.start;
    if (i < 0 || i >= size) weight[k] = 0;
    index[k] = Math.min(size - 1, Math.max(0, i));
  }
  return { taps, index, weight };
}

/** Output positions per matrix product: sized so each product reads about this many input positions. */
const SPAN = 32;

/**
 * Applies `areaTaps(in, out)` along axis 1 (rows) or 2 (columns) of a float batch. Call inside `tidy`.
 *
 * The axis is moved to the front and cut into chunks of output positions; each chunk is one matrix product
 * of its dense [chunk, span] weights with the input rows it reads (a contiguous slice). A gather of the taps
 * would be simpler but runs at ~35 ns an element on wasm (0.14 s for a 660² → 512² photo); these products
 * take a few milliseconds and do at most ~SPAN multiply-adds per output value.
 */
export function resizeAreaAxis(x: Tensor4D, axis: 1 | 2, outSize: number, window?: AreaWindow): Tensor4D {
  const [n, h, w, c] = x.shape;
  const inSize = x.shape[axis];
  const { taps, index, weight } =
    window === undefined ? areaTaps(inSize, outSize) : windowTaps(window, inSize, outSize);
  const front = axis === 1 ? [1, 0, 2, 3] : [2, 0, 1, 3];
  const rest = (n * h * w * c) / inSize;
  const lines = reshape(n === 1 && axis === 1 ? x : transpose(x, front), [inSize, rest]) as Tensor2D;
  const chunk = Math.max(1, Math.floor((SPAN * outSize) / inSize));
  const parts: Tensor2D[] = [];
  for (let o0 = 0; o0 < outSize; o0 += chunk) {
    const o1 = Math.min(outSize, o0 + chunk);
    const first = index[o0 * taps]!;
    const last = index[o1 * taps - 1]!;
    const span = last - first + 1;
    const dense = new Float32Array((o1 - o0) * span);
    for (let o = o0; o < o1; o++) {
      for (let t = 0; t < taps; t++) {
        dense[(o - o0) * span + index[o * taps + t]! - first]! += weight[o * taps + t]!;
      }
    }
    parts.push(matMul(tensor2d(dense, [o1 - o0, span]), slice(lines, [first, 0], [span, rest])));
  }
  const resized = parts.length === 1 ? parts[0]! : concat(parts, 0);
  if (axis === 1) {
    const moved = reshape(resized, [outSize, n, w, c]);
    return (n === 1 ? reshape(moved, [1, outSize, w, c]) : transpose(moved, [1, 0, 2, 3])) as Tensor4D;
  }
  return transpose(reshape(resized, [outSize, n, h, c]), [1, 2, 0, 3]) as Tensor4D;
}
