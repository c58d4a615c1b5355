import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { relativeError, seededValues } from '../../../test/support/reference_conv.js';

/** C[b] = op(A[b]) · op(B[b]) in float64, op = transpose or identity, row-major [batch, rows, cols]. */
function referenceMatMul(
  a: Float32Array,
  aShape: [number, number, number],
  b: Float32Array,
  bShape: [number, number, number],
  transposeA: boolean,
  transposeB: boolean,
): Float64Array {
  const [batch, ar, ac] = aShape;
  const [, br, bc] = bShape;
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const n = transposeB ? br : bc;
  const out = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) {
          const av = transposeA ? a[p * ar * ac + q * ac + i]! : a[p * ar * ac + i * ac + q]!;
          const bv = transposeB ? b[p * br * bc + j * bc + q]! : b[p * br * bc + q * bc + j]!;
          sum += av * bv;
        }
        out[(p * m + i) * n + j] = sum;
      }
  return out;
}

const TOLERANCE: Record<string, number> = {
  cpu: 1e-5,
  wasm: 1e-5,
  tensorflow: 1e-5,
  webgl: 1e-3,
  webgpu: 1e-4,
};

describeEachBackend('matMul with transposed operands', (backend) => {
  it('A·B with a large B and few rows while gradients are recorded (a dense layer training forward: transposed row blocks of B on wasm)', async () => {
    const [m, k, n] = [2, 2100, 2048]; // B: 4.3 M values, past the blocking threshold; 2100 rows = 16 blocks + 52
    const av = seededValues(m * k, 15);
    const bv = seededValues(k * n, 16);
    const [a, b] = [tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [k, n])];
    // valueAndGrads runs the product with the tape on, as a training step's forward pass does.
    const c = await expectNoLeaks(() =>
      tf.tidy(() => tf.valueAndGrads((x: tf.Tensor) => tf.matMul(x, b) as tf.Scalar)([a]).value),
    );
    expect(c.shape).toEqual([m, n]);
    const want = referenceMatMul(av, [1, m, k], bv, [1, k, n], false, false);
    expect(relativeError(await c.data(), want)).toBeLessThan(TOLERANCE[backend]!);
    tf.dispose([a, b, c]);
  });

  it('A·B with a large B and many rows while gradients are recorded (row blocks of A and B on wasm)', async () => {
    const [m, k, n] = [260, 4100, 1024]; // 4·m > n: B's blocks are packed; 4100 rows = 16 blocks + 4
    const av = seededValues(m * k, 17);
    const bv = seededValues(k * n, 18);
    const [a, b] = [tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [k, n])];
    const c = await expectNoLeaks(() =>
      tf.tidy(() => tf.valueAndGrads((x: tf.Tensor) => tf.matMul(x, b) as tf.Scalar)([a]).value),
    );
    expect(c.shape).toEqual([m, n]);
    // The float64 reference on three rows (first, middle, last) keeps the check fast.
    const got = await c.data();
    for (const row of [0, 130, m - 1]) {
      const want = referenceMatMul(
        av.subarray(row * k, (row + 1) * k),
        [1, 1, k],
        bv,
        [1, k, n],
        false,
        false,
      );
      expect(relativeError(got.subarray(row * n, (row + 1) * n), want), `row ${row}`).toBeLessThan(
        TOLERANCE[backend]!,
      );
    }
    tf.dispose([a, b, c]);
  });

  it('A·Bᵀ with a B larger than A and the result (a dense layer input gradient, computed as (B·Aᵀ)ᵀ on wasm)', async () => {
    const [m, k, n] = [3, 40, 50];
    const av = seededValues(m * k, 13);
    const bv = seededValues(n * k, 14);
    const [a, b] = [tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [n, k])];
    const c = await expectNoLeaks(() => tf.matMul(a, b, false, true));
    expect(c.shape).toEqual([m, n]);
    expect(
      relativeError(await c.data(), referenceMatMul(av, [1, m, k], bv, [1, n, k], false, true)),
    ).toBeLessThan(TOLERANCE[backend]!);
    tf.dispose([a, b, c]);
  });

  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`batched matMul transposeA=${transposeA} transposeB=${transposeB}`, async () => {
      const [batch, m, k, n] = [3, 5, 7, 4];
      const aShape: [number, number, number] = transposeA ? [batch, k, m] : [batch, m, k];
      const bShape: [number, number, number] = transposeB ? [batch, n, k] : [batch, k, n];
      const av = seededValues(batch * m * k, 11);
      const bv = seededValues(batch * k * n, 12);
      const [a, b] = [tf.tensor3d(av, aShape), tf.tensor3d(bv, bShape)];
      const c = await expectNoLeaks(() => tf.matMul(a, b, transposeA, transposeB));
      expect(c.shape).toEqual([batch, m, n]);
      expect(
        relativeError(await c.data(), referenceMatMul(av, aShape, bv, bShape, transposeA, transposeB)),
      ).toBeLessThan(TOLERANCE[backend]!);
      tf.dispose([a, b, c]);
    });
  }

  it('fused matMul (bias + relu) with transposeB, as a dense layer runs it', async () => {
    const av = seededValues(6 * 8, 13);
    const bv = seededValues(5 * 8, 14);
    const biasv = seededValues(5, 15);
    const [a, b, bias] = [tf.tensor2d(av, [6, 8]), tf.tensor2d(bv, [5, 8]), tf.tensor1d(biasv)];
    const c = await expectNoLeaks(() =>
      tf.fused.matMul({ a, b, transposeB: true, bias, activation: 'relu' }),
    );
    const product = referenceMatMul(av, [1, 6, 8], bv, [1, 5, 8], false, true);
    const expected = product.map((v, i) => Math.max(0, v + biasv[i % 5]!));
    expect(relativeError(await c.data(), expected)).toBeLessThan(TOLERANCE[backend]!);
    tf.dispose([a, b, bias, c]);
  });
});
