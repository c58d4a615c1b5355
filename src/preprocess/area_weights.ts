import { gather, mul, reshape, sum, type Tensor4D, tensor1d, tensor2d } from '@tensorflow/tfjs-core';

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

/** Applies `areaTaps(in, out)` along axis 1 (rows) or 2 (columns) of a float batch. Call inside `tidy`. */
export function resizeAreaAxis(x: Tensor4D, axis: 1 | 2, outSize: number): Tensor4D {
  const { taps, index, weight } = areaTaps(x.shape[axis], outSize);
  const [n, h, w, c] = x.shape;
  const picked = gather(x, tensor1d(index, 'int32'), axis); // [.., out·taps, ..]
  if (axis === 1) {
    const windows = reshape(picked, [n, outSize, taps, w, c]);
    return sum(mul(windows, reshape(tensor2d(weight, [outSize, taps]), [outSize, taps, 1, 1])), 2);
  }
  const windows = reshape(picked, [n, h, outSize, taps, c]);
  return sum(mul(windows, reshape(tensor2d(weight, [outSize, taps]), [outSize, taps, 1])), 3);
}
