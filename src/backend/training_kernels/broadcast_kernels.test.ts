import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { relativeError, seededValues } from '../../../test/support/reference_conv.js';

/**
 * Sum/Mean over leading axes, broadcasting Tile and Identity — replaced on wasm (see broadcast_kernels.ts) —
 * against float64 loops, on every backend; plus the cases that must still reach the original kernels.
 */
const SHAPE = [3, 4, 5, 6];

function referenceReduce(values: Float32Array, leading: number, mean: boolean): Float64Array {
  const cols = SHAPE.slice(leading).reduce((a, b) => a * b, 1);
  const rows = values.length / cols;
  const out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c]! += values[r * cols + c]!;
  return mean ? out.map((v) => v / rows) : out;
}

describeEachBackend('reductions, tile and identity used by batch-norm gradients', (backend) => {
  const values = seededValues(3 * 4 * 5 * 6, 51);

  for (const op of ['sum', 'mean'] as const) {
    it(`${op} over leading axes [0], [0,1], [0,1,2] (and negative axes, keepDims)`, async () => {
      const x = tf.tensor4d(values, SHAPE as [number, number, number, number]);
      const reduce = op === 'sum' ? tf.sum : tf.mean;
      for (const axes of [[0], [0, 1], [0, 1, 2], [-4, -3, -2]]) {
        const leading = axes.length;
        for (const keepDims of [false, true]) {
          const out = await expectNoLeaks(() => reduce(x, axes, keepDims));
          expect(out.shape).toEqual(
            keepDims ? SHAPE.map((d, i) => (i < leading ? 1 : d)) : SHAPE.slice(leading),
          );
          expect(
            relativeError(await out.data(), referenceReduce(values, leading, op === 'mean')),
          ).toBeLessThan(1e-5);
          out.dispose();
        }
      }
      // One row (nothing to reduce), and an empty tensor.
      const single = tf.tensor4d(values.subarray(0, 120), [1, 4, 5, 6]);
      const same = reduce(single, 0);
      expect(Array.from(await same.data())).toEqual(Array.from(values.subarray(0, 120)));
      tf.dispose([single, same]);
      // An empty tensor: zeros, as the cpu backend gives (mean too). webgl's and webgpu's own kernels throw on it.
      if (backend === 'cpu' || backend === 'wasm') {
        const nothing = tf.zeros([0, 3]);
        const empty = reduce(nothing, 0);
        expect(Array.from(await empty.data())).toEqual([0, 0, 0]);
        tf.dispose([nothing, empty]);
      }
      // Not leading axes, all axes, and int32: the original kernels.
      const inner = reduce(x, [1, 3]);
      expect(inner.shape).toEqual([3, 5]);
      const all = reduce(x);
      expect((await all.data())[0]).toBeCloseTo(referenceReduce(values, 4, op === 'mean')[0]!, 3);
      const ints = tf.tidy(() => tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0));
      expect(ints.dtype).toBe('int32');
      expect(Array.from(await ints.data())).toEqual([4, 6]);
      tf.dispose([x, inner, all, ints]);
    });
  }

  it('sum and mean over the batch statistics axes of a batch-norm sized tensor, and of a dense layer [N, units]', async () => {
    for (const shape of [
      [4, 28, 28, 40],
      [37, 300],
    ]) {
      const n = shape.reduce((a, b) => a * b);
      const big = seededValues(n, 52);
      const x = tf.tensor(big, shape);
      const axes = shape.length === 4 ? [0, 1, 2] : [0];
      for (const op of ['sum', 'mean'] as const) {
        const out = await expectNoLeaks(() => (op === 'sum' ? tf.sum : tf.mean)(x, axes));
        const cols = shape[shape.length - 1]!;
        const ref = new Float64Array(cols);
        for (let i = 0; i < n; i++) ref[i % cols]! += big[i]!;
        if (op === 'mean') for (let c = 0; c < cols; c++) ref[c]! /= n / cols;
        expect(relativeError(await out.data(), ref), `${op} ${shape}`).toBeLessThan(1e-5);
        out.dispose();
      }
      x.dispose();
    }
  });

  it('sums integers exactly (pixel counts), over a count that is not a power of two', async () => {
    const x = tf.tidy(() => tf.floor(tf.mul(tf.randomUniform([8943, 4], 0, 1, 'float32', 3), 7)));
    const values = await x.data();
    const want = [0, 0, 0, 0];
    for (let i = 0; i < values.length; i++) want[i % 4]! += values[i]!;
    const got = tf.sum(x, 0);
    expect(Array.from(await got.data())).toEqual(want);
    tf.dispose([x, got]);
  });

  it('tile that repeats size-1 axes (a broadcast), and a general tile', async () => {
    const v = tf.tensor4d([1, 2, 3], [1, 1, 1, 3]);
    const tiled = await expectNoLeaks(() => tf.tile(v, [2, 2, 1, 1]));
    expect(tiled.shape).toEqual([2, 2, 1, 3]);
    expect(Array.from(await tiled.data())).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    const general = tf.tidy(() => tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2]), [1, 2]));
    expect(Array.from(await general.data())).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    const ints = tf.tidy(() => tf.tile(tf.tensor2d([7, 8], [1, 2], 'int32'), [2, 1]));
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([7, 8, 7, 8]);
    tf.dispose([v, tiled, general, ints]);
  });

  it('a cast to the same dtype shares nothing observable either; other casts convert', async () => {
    const x = tf.tensor1d([1.5, -2, 0]);
    const same = tf.cast(x, 'float32');
    const ints = tf.cast(x, 'int32');
    x.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2, 0]);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([1, -2, 0]);
    tf.dispose([same, ints]);
  });

  it('identity shares nothing observable: the copy outlives the original', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.engine().runKernel('Identity', { x }, {}) as tf.Tensor;
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    y.dispose();
  });
});
