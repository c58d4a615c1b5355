import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { camMap, camWeights } from './cam_map.js';

// Hand-made activations and gradients, [1, 2, 2, 2] (N, h, w, K), values at (i, j) listed per channel.
const A = [
  [1, 2, 0, 3], // channel 0 at (0,0) (0,1) (1,0) (1,1)
  [0.5, 0, 1, 1],
];
const G = [
  [0.2, -0.1, 0, 0.4],
  [-0.3, 0.5, 0.25, 0],
];
const nhwk = (perChannel: number[][]) => {
  const values: number[] = [];
  for (let p = 0; p < 4; p++) for (let k = 0; k < 2; k++) values.push(perChannel[k]![p]!);
  return tf.tensor4d(values, [1, 2, 2, 2]);
};

/**
 * Eq. 19 of Chattopadhyay et al. 2018 with Y = exp(S): ∂Y/∂A = e^S·G, ∂²Y/∂A² = e^S·G², ∂³Y/∂A³ = e^S·G³;
 * α_ij = ∂²Y / (2·∂²Y + Σ_ab A_ab·∂³Y) (0 where the denominator is 0), w = Σ_ij α_ij·relu(∂Y/∂A_ij) (Eq. 10).
 */
function eq19Weights(S: number): number[] {
  const e = Math.exp(S);
  return [0, 1].map((k) => {
    const a = A[k]!;
    const g = G[k]!;
    const sumA = a.reduce((s, v) => s + v, 0);
    let w = 0;
    for (let p = 0; p < 4; p++) {
      const d2 = e * g[p]! ** 2;
      const d3 = e * g[p]! ** 3;
      const denominator = 2 * d2 + sumA * d3;
      const alpha = denominator === 0 ? 0 : d2 / denominator;
      w += alpha * Math.max(0, e * g[p]!);
    }
    return w;
  });
}

describeEachBackend('camMap', () => {
  it('Grad-CAM++ weights match Eq. 19 (exp-score derivatives) up to the factor e^S', async () => {
    const a = nhwk(A);
    const g = nhwk(G);
    const w = await expectNoLeaks(() => camWeights('gradcam++', a, g));
    const S = 1.3;
    const expected = eq19Weights(S).map((v) => v / Math.exp(S));
    // By hand, channel 0: ΣA = 6; (0,0): α = 0.04 / (0.08 + 6·0.008) = 0.3125, ×0.2 = 0.0625; (0,1): relu(−0.1) = 0;
    // (1,0): G = 0 → α = 0; (1,1): α = 0.16 / (0.32 + 6·0.064) = 0.22727…, ×0.4 = 0.090909…; w₀ = 0.153409….
    expect(expected[0]).toBeCloseTo(0.0625 + 0.4 / 4.4, 10);
    const got = Array.from(await w.data());
    got.forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k]!, 5);
    });
    // The map: Σ_k w_k·A_k.
    const map = camMap('gradcam++', a, g);
    const m = Array.from(await map.data());
    m.forEach((v, p) => {
      expect(v).toBeCloseTo(expected[0]! * A[0]![p]! + expected[1]! * A[1]![p]!, 5);
    });
    tf.dispose([a, g, w, map]);
  });

  it('Grad-CAM averages gradients; HiResCAM and LayerCAM weight element-wise', async () => {
    const a = nhwk(A);
    const g = nhwk(G);
    const mean = [0, 1].map((k) => G[k]!.reduce((s, v) => s + v, 0) / 4);
    const cases = {
      gradcam: (p: number) => mean[0]! * A[0]![p]! + mean[1]! * A[1]![p]!,
      hirescam: (p: number) => G[0]![p]! * A[0]![p]! + G[1]![p]! * A[1]![p]!,
      layercam: (p: number) => Math.max(0, G[0]![p]!) * A[0]![p]! + Math.max(0, G[1]![p]!) * A[1]![p]!,
    } as const;
    for (const [method, reference] of Object.entries(cases)) {
      const map = await expectNoLeaks(() => camMap(method as keyof typeof cases, a, g));
      expect(map.shape).toEqual([1, 2, 2]);
      Array.from(await map.data()).forEach((v, p) => {
        expect(v, method).toBeCloseTo(reference(p), 5);
      });
      map.dispose();
    }
    tf.dispose([a, g]);
  });
});
