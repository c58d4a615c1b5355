import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend, useBackend } from '../support/backends.js';
import { relativeError, seededValues } from '../support/reference_conv.js';
import { alexnetShaped, googlenetShaped, resnetShaped, vggShaped } from '../support/reference_nets.js';

/**
 * Every kernel the backward pass of our backbones asks for (conv with stride/padding, max/avg pooling,
 * batch-norm in training mode, LRN, concat, dense, softmax cross-entropy) runs on every backend, and the
 * gradient of every weight matches the cpu backend's (the plain-JS float32 backend, whose conv gradient
 * kernels conv_backprop.test.ts checks against float64 loops).
 * Small widths keep the cpu reference fast; dropout is 0 so both runs see the same function.
 */
const NETS: Record<string, () => tfl.LayersModel> = {
  resnet: () => resnetShaped({ inputSize: 64, classes: 3, width: 1 / 16, blocks: [1, 1, 1, 1] }),
  vgg: () => vggShaped({ inputSize: 16, classes: 3, width: 1 / 16, blocks: [1, 1, 1], dropout: 0 }),
  alexnet: () => alexnetShaped({ inputSize: 67, classes: 3, width: 1 / 8, dropout: 0 }),
  googlenet: () => googlenetShaped({ inputSize: 32, classes: 3, width: 1 / 8, dropout: 0 }),
};

interface Fixture {
  model: tfl.LayersModel;
  x: tf.Tensor;
  y: tf.Tensor;
  reference: Map<string, Float32Array>;
  /** ‖all reference gradients‖: errors of gradients that vanish in exact arithmetic are judged against it. */
  globalNorm: number;
}

function lossGradients(f: Fixture): { names: string[]; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(() => {
    const p = f.model.apply(f.x, { training: true }) as tf.Tensor;
    return tf.neg(tf.mean(tf.sum(tf.mul(f.y, tf.log(tf.add(p, 1e-7))), -1))) as tf.Scalar;
  });
  value.dispose();
  const names = f.model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
  return { names, grads: names.map((n) => grads[n]!) };
}

const fixtures = new Map<string, Fixture>();

beforeAll(async () => {
  await useBackend('cpu');
  for (const [name, make] of Object.entries(NETS)) {
    const model = make();
    const size = model.inputs[0]!.shape[1]!;
    const x = tf.tensor4d(seededValues(2 * size * size * 3, 21), [2, size, size, 3]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3));
    const f: Fixture = { model, x, y, reference: new Map(), globalNorm: 0 };
    const { names, grads } = lossGradients(f);
    for (let i = 0; i < names.length; i++) f.reference.set(names[i]!, grads[i]!.dataSync() as Float32Array);
    f.globalNorm = Math.sqrt(
      [...f.reference.values()].reduce((s, g) => s + g.reduce((a, v) => a + v * v, 0), 0),
    );
    tf.dispose(grads);
    fixtures.set(name, f);
  }
});

const TOLERANCE: Record<string, number> = {
  cpu: 1e-6,
  wasm: 1e-3,
  tensorflow: 1e-3,
  webgl: 1e-2,
  webgpu: 1e-3,
};

describeEachBackend('backward pass of backbone-shaped nets', (backend) => {
  for (const name of Object.keys(NETS)) {
    it(`${name}: every weight's gradient matches the cpu backend`, async () => {
      const f = fixtures.get(name)!;
      const { names, grads } = lossGradients(f);
      try {
        expect(names.length).toBeGreaterThan(4);
        for (let i = 0; i < names.length; i++) {
          const err = relativeError(await grads[i]!.data(), f.reference.get(names[i]!)!, 1e-3 * f.globalNorm);
          expect(err, `${names[i]} on ${backend}`).toBeLessThan(TOLERANCE[backend]!);
        }
      } finally {
        tf.dispose(grads);
      }
    });
  }
});
