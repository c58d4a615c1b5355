import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { relativeError, seededValues } from '../../test/support/reference_conv.js';
import { registerBatchNormTraining, unregisterBatchNormTraining } from './batch_norm_training.js';

/**
 * The closed-form batch-norm gradient against TF.js's own (autodiff through `moments` and `FusedBatchNorm`),
 * on every backend: outputs, the gradients of x, γ and β, and the moving averages after one training call.
 */
const SHAPE: [number, number, number, number] = [2, 5, 6, 4];

interface Result {
  y: Float32Array;
  dx: Float32Array;
  dGamma: Float32Array;
  dBeta: Float32Array;
  movingMean: Float32Array;
  movingVariance: Float32Array;
}

async function run(shape: number[]): Promise<Result> {
  const channels = shape[shape.length - 1]!;
  const layer = tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  layer.build(shape);
  const initial = [
    tf.tensor1d(seededValues(channels, 1).map((v) => 1 + v)),
    tf.tensor1d(seededValues(channels, 2)),
    tf.tensor1d(seededValues(channels, 3)),
    tf.tensor1d(seededValues(channels, 4).map((v) => 1 + Math.abs(v))),
  ];
  layer.setWeights(initial);
  tf.dispose(initial);
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    seededValues(size, 5).map((v) => 3 * v + 0.5),
    shape,
  );
  // A non-uniform upstream gradient: the loss weighs every output differently.
  const w = tf.tensor(seededValues(size, 6), shape);
  const [gamma, beta] = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, w));
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const dx = tf.grad(loss)(x);
  const { value, grads } = tf.variableGrads(() => loss(x) as tf.Scalar, [gamma!, beta!]);
  const weights = layer.getWeights();
  const result: Result = {
    y: (await y.data()) as Float32Array,
    dx: (await dx.data()) as Float32Array,
    dGamma: (await grads[gamma!.name]!.data()) as Float32Array,
    dBeta: (await grads[beta!.name]!.data()) as Float32Array,
    movingMean: (await weights[2]!.data()) as Float32Array,
    movingVariance: (await weights[3]!.data()) as Float32Array,
  };
  tf.dispose([x, w, y, dx, value, ...Object.values(grads)]);
  for (const v of layer.weights) v.dispose();
  return result;
}

afterAll(() => {
  registerBatchNormTraining(); // as setupBackend leaves it
});

describeEachBackend('BatchNormalization training with the closed-form gradient', () => {
  for (const shape of [SHAPE, [7, 3]]) {
    it(`matches TF.js's own gradient and moving averages, input [${shape}]`, async () => {
      unregisterBatchNormTraining();
      const reference = await run(shape);
      expect(registerBatchNormTraining()).toBe(true);
      expect(registerBatchNormTraining()).toBe(false); // idempotent
      const ours = await expectNoLeaks(() => run(shape));
      expect(relativeError(ours.y, reference.y)).toBeLessThan(1e-6);
      expect(relativeError(ours.dx, reference.dx)).toBeLessThan(1e-4);
      expect(relativeError(ours.dGamma, reference.dGamma)).toBeLessThan(1e-4);
      expect(relativeError(ours.dBeta, reference.dBeta)).toBeLessThan(1e-5);
      // The moving statistics after the same three training calls (forward, and one per gradient).
      expect(relativeError(ours.movingMean, reference.movingMean)).toBeLessThan(1e-5);
      expect(relativeError(ours.movingVariance, reference.movingVariance)).toBeLessThan(1e-5);
      // By hand: dβ_c = Σ dy = Σ of the loss weights w over every position of channel c.
      const channels = shape[shape.length - 1]!;
      const w = seededValues(
        shape.reduce((a, b) => a * b, 1),
        6,
      );
      const sums = new Float64Array(channels);
      w.forEach((v, i) => {
        sums[i % channels]! += v;
      });
      expect(relativeError(ours.dBeta, sums)).toBeLessThan(1e-5);
    });
  }

  it('frees its intermediates once dx is made, not at the end of the backward pass', async () => {
    // TF.js runs a customGrad's gradFunc in the scope of the whole backward pass. A probe before the layer sees
    // what is alive when its gradient runs, just after the layer's: x (saved), dy and dx and a few channel vectors,
    // not x − μ, x̂, dy·x̂ and the rest (about 6 more tensors the size of x without the tidy).
    const shape = [2, 16, 16, 32];
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    const layer = tfl.layers.batchNormalization({ epsilon: 1e-3 });
    layer.build(shape);
    const x = tf.tensor(seededValues(bytes / 4, 7), shape);
    const w = tf.tensor(seededValues(bytes / 4, 8), shape);
    let alive = 0;
    const probe = tf.customGrad((input, save) => {
      (save as tf.GradSaveFunc)([]);
      return {
        value: tf.mul(input as tf.Tensor, 1),
        gradFunc: (dy: tf.Tensor) => {
          alive = tf.memory().numBytes;
          return tf.mul(dy, 1);
        },
      };
    });
    const before = tf.memory().numBytes;
    const dx = await expectNoLeaks(() =>
      tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply(probe(input), { training: true }) as tf.Tensor, w)),
      )(x),
    );
    // In sizes of x (numBytes counts per tensor, so shared buffers count twice): 8.0 with the tidy, 14.0 without.
    expect((alive - before) / bytes).toBeLessThan(11);
    tf.dispose([x, w, dx]);
    for (const v of layer.weights) v.dispose();
  });

  it("registering uses up no automatic layer name (the user's unnamed layers keep theirs)", () => {
    const suffix = (name: string) => Number(/(\d+)$/.exec(name)?.[1]);
    const before = tfl.layers.batchNormalization({}).name;
    unregisterBatchNormTraining();
    registerBatchNormTraining();
    const after = tfl.layers.batchNormalization({}).name;
    expect(suffix(after)).toBe(suffix(before) + 1);
  });

  it('layers it does not cover (channels first) run tfjs-layers’ own code', async () => {
    const apply = async () => {
      const layer = tfl.layers.batchNormalization({ axis: 1 });
      layer.build([2, 3, 4]);
      const x = tf.tensor(seededValues(24, 9), [2, 3, 4]);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const values = await y.data();
      tf.dispose([x, y]);
      for (const v of layer.weights) v.dispose();
      return values;
    };
    unregisterBatchNormTraining();
    const reference = await apply();
    registerBatchNormTraining();
    const ours = await expectNoLeaks(apply);
    expect(Array.from(ours)).toEqual(Array.from(reference));
  });
});
