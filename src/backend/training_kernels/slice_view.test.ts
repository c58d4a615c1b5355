import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';

/** Reference slice: element by element from the definition. */
function referenceSlice(values: number[], shape: number[], begin: number[], size: number[]): number[] {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const total = size.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let i = 0; i < total; i++) {
    let rem = i;
    let offset = 0;
    for (let d = size.length - 1; d >= 0; d--) {
      offset += ((rem % size[d]!) + begin[d]!) * strides[d]!;
      rem = Math.floor(rem / size[d]!);
    }
    out.push(values[offset]!);
  }
  return out;
}

// Slice is replaced on wasm and cpu (slice_view.ts); every backend must agree with the definition.
const CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [10], begin: [3], size: [4] },
  { shape: [6, 7], begin: [2, 0], size: [3, 7] }, // contiguous rows
  { shape: [6, 7], begin: [1, 2], size: [4, 3] },
  { shape: [3, 4, 5], begin: [1, 0, 0], size: [2, 4, 5] },
  { shape: [3, 4, 5], begin: [0, 1, 2], size: [3, 2, 3] },
  { shape: [2, 3, 4, 5], begin: [1, 1, 0, 0], size: [1, 2, 4, 5] }, // trailing axes whole: one run per row
  { shape: [2, 3, 4, 5], begin: [0, 0, 1, 1], size: [2, 3, 2, 4] },
  { shape: [2, 2, 3, 2, 3], begin: [1, 0, 1, 0, 1], size: [1, 2, 2, 2, 2] },
  { shape: [4, 5], begin: [2, 1], size: [0, 3] }, // empty
  { shape: [3, 2, 40], begin: [1, 0, 2], size: [2, 2, 35] }, // runs of 32 values or more: one `set` each
  { shape: [3, 4, 5, 6], begin: [1, 1, 1, 1], size: [2, 2, 2, 5] }, // 4 levels: wasm walks the outer one in JS
  { shape: [4, 5], begin: [0, 2], size: [4, 1] }, // a column: runs of one value
];

describeEachBackend('slice (wasm: without the whole-input copy; cpu: box copy)', () => {
  for (const { shape, begin, size } of CASES) {
    it(`[${shape}] from [${begin}] size [${size}], float32, int32 and bool`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, (_, i) => i * 3 - 7);
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const data = dtype === 'bool' ? values.map((v) => (v % 2 === 0 ? 1 : 0)) : values;
        const x = tf.tensor(data, shape, dtype);
        const y = await expectNoLeaks(() => tf.slice(x, begin, size));
        expect(y.shape).toEqual(size);
        expect(y.dtype).toBe(dtype);
        expect(Array.from(await y.data())).toEqual(referenceSlice(data, shape, begin, size));
        tf.dispose([x, y]);
      }
    });
  }

  it('a slice of a slice, and size -1 to the end', async () => {
    const x = tf.tensor2d(
      Array.from({ length: 24 }, (_, i) => i),
      [4, 6],
    );
    const y = tf.tidy(() => tf.slice(tf.slice(x, [1, 1], [3, -1]), [1, 0], [-1, 2]));
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(await y.data())).toEqual([13, 14, 19, 20]);
    tf.dispose([x, y]);
  });
});

// SplitV is replaced on wasm (slice_view.ts); each piece must be the slice the definition gives.
const SPLITS: { shape: number[]; sizes: number[]; axis: number }[] = [
  { shape: [2, 3, 4, 7], sizes: [2, 1, 4], axis: 3 }, // a concatenation's gradient: channels
  { shape: [2, 3, 4, 7], sizes: [1, -1], axis: 1 },
  { shape: [5, 4], sizes: [2, 0, 3], axis: 0 }, // an empty piece
  { shape: [6], sizes: [3, 3], axis: -1 },
];

describeEachBackend('split (wasm: pieces copied straight from the heap)', () => {
  for (const { shape, sizes, axis } of SPLITS) {
    it(`[${shape}] into [${sizes}] along axis ${axis}, float32 and int32`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, (_, i) => i * 5 - 11);
      const ax = axis < 0 ? shape.length + axis : axis;
      const known = sizes.filter((s) => s >= 0).reduce((a, b) => a + b, 0);
      const resolved = sizes.map((s) => (s < 0 ? shape[ax]! - known : s));
      for (const dtype of ['float32', 'int32'] as const) {
        const x = tf.tensor(values, shape, dtype);
        const pieces = await expectNoLeaks(() => tf.split(x, sizes, axis));
        expect(pieces).toHaveLength(sizes.length);
        let start = 0;
        for (const [i, piece] of pieces.entries()) {
          const begin = shape.map((_, d) => (d === ax ? start : 0));
          const size = shape.map((d, k) => (k === ax ? resolved[i]! : d));
          expect(piece.shape).toEqual(size);
          expect(piece.dtype).toBe(dtype);
          expect(Array.from(await piece.data())).toEqual(referenceSlice(values, shape, begin, size));
          start += resolved[i]!;
        }
        tf.dispose([x, ...pieces]);
      }
    });
  }
});
