import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { seededValues } from '../../../test/support/reference_conv.js';
import { maxPoolGradModule } from './wasm/heap_module.js';

/**
 * MaxPoolGrad (replaced on wasm, see max_pool_grad.ts) against a float64 loop of its definition: each window's
 * first maximum in row-major order receives the window's dy, summed where windows overlap.
 */
interface Case {
  shape: [number, number, number, number];
  size: number;
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { shape: [2, 9, 9, 3], size: 3, stride: 2, pad: 'same' }, // ResNet's stem pool, overlapping
  { shape: [1, 8, 8, 5], size: 2, stride: 2, pad: 'valid' }, // VGG's pools, disjoint
  { shape: [2, 7, 6, 4], size: 3, stride: 1, pad: 'same' }, // GoogLeNet's pool branches
  { shape: [1, 13, 11, 2], size: 3, stride: 2, pad: 'valid' }, // AlexNet's pools, odd sizes
  { shape: [1, 5, 5, 1], size: 5, stride: 3, pad: 'same' },
  { shape: [2, 10, 9, 13], size: 3, stride: 2, pad: 'same' }, // three 4-channel SIMD groups and one left over
];

function reference(x: Float32Array, dy: Float32Array, c: Case): Float64Array {
  const [b, h, w, ch] = c.shape;
  const oh = c.pad === 'same' ? Math.ceil(h / c.stride) : Math.floor((h - c.size) / c.stride) + 1;
  const ow = c.pad === 'same' ? Math.ceil(w / c.stride) : Math.floor((w - c.size) / c.stride) + 1;
  const padH = c.pad === 'same' ? Math.max(0, (oh - 1) * c.stride + c.size - h) : 0;
  const padW = c.pad === 'same' ? Math.max(0, (ow - 1) * c.stride + c.size - w) : 0;
  const [top, left] = [Math.floor(padH / 2), Math.floor(padW / 2)];
  const dx = new Float64Array(x.length);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let k = 0; k < ch; k++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let p = i * c.stride - top; p < i * c.stride - top + c.size; p++)
            for (let q = j * c.stride - left; q < j * c.stride - left + c.size; q++) {
              if (p < 0 || q < 0 || p >= h || q >= w) continue;
              const idx = ((n * h + p) * w + q) * ch + k;
              if (x[idx]! > best) {
                best = x[idx]!;
                at = idx;
              }
            }
          if (at >= 0) dx[at]! += dy[((n * oh + i) * ow + j) * ch + k]!;
        }
  return dx;
}

function maxPoolGrad(x: tf.Tensor4D, dy: tf.Tensor4D, c: Case): tf.Tensor {
  return tf.tidy(() => {
    const output = tf.maxPool(x, c.size, c.stride, c.pad);
    return tf
      .engine()
      .runKernel(
        'MaxPoolGrad',
        { dy, input: x, output },
        { filterSize: c.size, strides: c.stride, pad: c.pad },
      ) as tf.Tensor;
  });
}

describeEachBackend('MaxPoolGrad', (backend) => {
  // Which of several equal maxima gets the gradient is each backend's choice: cpu and wasm (ours) take the first,
  // as TensorFlow does; webgl and webgpu's own kernels pick another one, so ties are checked where it is defined.
  const tieRule = backend === 'cpu' || backend === 'wasm';
  for (const ties of tieRule ? [false, true] : [false]) {
    it(`matches its definition for overlapping, disjoint, same and valid windows${ties ? ' (many ties)' : ''}`, async () => {
      for (const c of CASES) {
        const n = c.shape.reduce((a, b) => a * b);
        // With ties: values from {0, 1, 2}, so most windows hold their maximum more than once.
        const values = seededValues(n, 61).map((v) => (ties ? Math.floor((v + 1) * 1.5) : v));
        const x = tf.tensor4d(values, c.shape);
        const y = tf.maxPool(x, c.size, c.stride, c.pad);
        const yShape = y.shape;
        y.dispose();
        const dyValues = seededValues(
          yShape.reduce((a, b) => a * b),
          62,
        );
        const dy = tf.tensor4d(dyValues, yShape);
        const dx = await expectNoLeaks(() => maxPoolGrad(x, dy, c));
        expect(dx.shape).toEqual(c.shape);
        const want = reference(values, dyValues, c);
        const got = await dx.data();
        for (let i = 0; i < n; i++) expect(got[i], `${JSON.stringify(c)} at ${i}`).toBeCloseTo(want[i]!, 5);
        tf.dispose([x, dy, dx]);
      }
    });
  }

  if (backend === 'wasm') {
    it('runs the SIMD module on the backend heap (shared memory in isolated pages, unshared in Node)', () => {
      expect(maxPoolGradModule((tf.backend() as unknown as { wasm: unknown }).wasm)).toBeDefined();
    });
  }

  if (tieRule) {
    it('passes no gradient to NaN, and none from a window of only −∞ or NaN', async () => {
      const nan = Number.NaN;
      const inf = Number.NEGATIVE_INFINITY;
      // Two channels of a 2×4 map (NHWC), 2×2/2 windows. Channel 0: {NaN, 1, 3, 4} → 4, {NaN, 3, NaN, 0} → 3.
      // Channel 1: {−∞, 2, NaN, 2} → the first 2; {NaN, −∞, NaN, NaN} → no maximum, its dy goes nowhere.
      const x = tf.tensor4d([nan, inf, 1, 2, nan, nan, 3, inf, 3, nan, 4, 2, nan, nan, 0, nan], [1, 2, 4, 2]);
      const dy = tf.tensor4d([10, 20, 30, 40], [1, 1, 2, 2]);
      const dx = await expectNoLeaks(() =>
        maxPoolGrad(x, dy, { shape: [1, 2, 4, 2], size: 2, stride: 2, pad: 'valid' }),
      );
      const want = new Array(16).fill(0);
      want[10] = 10; // (1, 1, ch 0)
      want[3] = 20; // (0, 1, ch 1)
      want[6] = 30; // (0, 3, ch 0)
      expect(Array.from(await dx.data())).toEqual(want);
      tf.dispose([x, dy, dx]);
    });
  }

  it('trains through a max pool: the gradient of sum(maxPool(x)) puts one 1 per window maximum', async () => {
    const x = tf.tensor4d([1, 5, 2, 3, 4, 0, 7, 6, 9, 8, 2, 1, 0, 3, 5, 4], [1, 4, 4, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))(x);
    expect(Array.from(await g.data())).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
    tf.dispose([x, g]);
  });
});
