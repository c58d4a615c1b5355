import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { asMatrixTransposes } from './transpose_by_tiles.js';
import { copyValuesModule } from './wasm/heap_module.js';

/** Reference transpose: out[i] is x at the input index whose permuted coordinates are out's i-th. */
function referenceTranspose(values: number[], shape: number[], perm: number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const total = values.length;
  const out: number[] = [];
  for (let i = 0; i < total; i++) {
    let rem = i;
    let offset = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      offset += (rem % outShape[d]!) * strides[perm[d]!]!;
      rem = Math.floor(rem / outShape[d]!);
    }
    out.push(values[offset]!);
  }
  return out;
}

// Transpose is replaced on wasm: 4 × 4 SIMD tiles with ragged edges (rows or columns not a multiple of 4), batches,
// merged axes, and permutations that are not matrix transposes (the original kernel).
const CASES: { shape: number[]; perm: number[] }[] = [
  { shape: [8, 12], perm: [1, 0] }, // whole tiles only
  { shape: [7, 9], perm: [1, 0] }, // ragged right and bottom edges
  { shape: [3, 2], perm: [1, 0] }, // smaller than one tile
  { shape: [3, 6, 5], perm: [0, 2, 1] }, // a batch of 3
  { shape: [2, 5, 3, 6], perm: [3, 0, 1, 2] }, // NHWC → CNHW: [30, 6] transposed
  { shape: [4, 1, 6, 1, 5], perm: [0, 4, 3, 2, 1] }, // size-1 axes dropped: a batch of [6, 5]
  { shape: [2, 3, 4], perm: [2, 0, 1] }, // [6, 4] transposed
  { shape: [2, 3, 4, 5], perm: [0, 2, 1, 3] }, // not a matrix transpose: the original kernel
  { shape: [2, 3, 4], perm: [0, 1, 2] }, // identity: the original kernel
  { shape: [0, 4], perm: [1, 0] }, // empty
];

describeEachBackend('transpose (wasm: matrix transposes in SIMD tiles)', (backend) => {
  for (const { shape, perm } of CASES) {
    it(`[${shape}] by [${perm}], float32 and int32`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, (_, i) => i * 7 - 13);
      for (const dtype of ['float32', 'int32'] as const) {
        const x = tf.tensor(values, shape, dtype);
        const y = await expectNoLeaks(() => tf.transpose(x, perm));
        expect(y.shape).toEqual(perm.map((p) => shape[p]!));
        expect(y.dtype).toBe(dtype);
        expect(Array.from(await y.data())).toEqual(referenceTranspose(values, shape, perm));
        tf.dispose([x, y]);
      }
    });
  }

  it('keeps NaN, infinities, negative zero and subnormals as they are', async () => {
    const tiny = Math.fround(1e-42); // subnormal in float32
    const x = tf.tensor2d(
      [Number.NaN, Number.POSITIVE_INFINITY, -0, Number.NEGATIVE_INFINITY, tiny, 3, -5, 7],
      [2, 4],
    );
    const y = tf.transpose(x);
    const got = Array.from(await y.data());
    expect(got).toEqual([Number.NaN, tiny, Number.POSITIVE_INFINITY, 3, -0, -5, Number.NEGATIVE_INFINITY, 7]);
    expect(Object.is(got[4], -0)).toBe(true);
    tf.dispose([x, y]);
  });

  if (backend === 'wasm') {
    it('runs the SIMD module on the backend heap', () => {
      expect(copyValuesModule((tf.backend() as unknown as { wasm: unknown }).wasm)).toBeDefined();
    });
  }
});

describe('asMatrixTransposes', () => {
  it('merges axes that move together and drops size-1 axes', () => {
    expect(asMatrixTransposes([8, 15, 15, 256], [3, 0, 1, 2])).toEqual({ batch: 1, rows: 1800, cols: 256 });
    expect(asMatrixTransposes([9, 384, 256], [0, 2, 1])).toEqual({ batch: 9, rows: 384, cols: 256 });
    expect(asMatrixTransposes([4, 1, 6, 1, 5], [0, 4, 3, 2, 1])).toEqual({ batch: 4, rows: 6, cols: 5 });
    expect(asMatrixTransposes([2, 3, 4, 5], [2, 3, 0, 1])).toEqual({ batch: 1, rows: 6, cols: 20 });
  });

  it('is undefined for identities and for permutations that are not matrix transposes', () => {
    expect(asMatrixTransposes([2, 3], [0, 1])).toBeUndefined();
    expect(asMatrixTransposes([2, 3, 4, 5], [0, 2, 1, 3])).toBeUndefined();
    expect(asMatrixTransposes([2, 3, 4], [1, 0, 2])).toBeUndefined();
    expect(asMatrixTransposes([2, 3, 4], [2, 1, 0])).toBeUndefined();
    expect(asMatrixTransposes([5, 1], [1, 0])).toBeUndefined();
  });
});
