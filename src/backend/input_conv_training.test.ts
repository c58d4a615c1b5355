import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import { relativeError } from '../../test/support/reference_conv.js';
import { registerInputConvTraining, unregisterInputConvTraining } from './input_conv_training.js';

/** input → zero padding → 3×3/2 conv (linear, bias: a stem) → batch norm → ReLU → 3×3 conv → pool → dense. */
function stemNet(name: string): tfl.LayersModel {
  const input = tfl.input({ shape: [9, 9, 2] });
  let x = tfl.layers.zeroPadding2d({ padding: 1 }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 2, name: `${name}_stem` })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.reLU().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2 }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name });
}

/** Every weight's gradient of sum(model(x)²) in training mode, and the kernels the step ran. */
async function gradients(
  model: tfl.LayersModel,
  x: tf.Tensor,
): Promise<{ grads: Float32Array[]; kernels: string[]; peakBytes: number }> {
  let grads: Float32Array[] = [];
  const profile = await tf.profile(async () => {
    const { value, grads: g } = tf.variableGrads(
      () => {
        const y = model.apply(x, { training: true }) as tf.Tensor;
        return tf.sum(tf.square(y)) as tf.Scalar;
      },
      model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
    );
    grads = await Promise.all(Object.values(g).map(async (t) => (await t.data()) as Float32Array));
    tf.dispose([value, ...Object.values(g)]);
  });
  return { grads, kernels: profile.kernels.map((k) => k.name), peakBytes: profile.peakBytes };
}

describeEachBackend('registerInputConvTraining', () => {
  afterAll(() => registerInputConvTraining());

  it('skips the stem input gradient nothing uses, with the same weight gradients as the fused op', async () => {
    const x = tf.randomNormal([2, 9, 9, 2], 0, 1, 'float32', 5);
    const model = stemNet('net');
    registerInputConvTraining();
    const patched = await gradients(model, x);
    unregisterInputConvTraining();
    const plain = await gradients(model, x);
    const count = (k: string[]) => k.filter((n) => n === 'Conv2DBackpropInput').length;
    expect(count(plain.kernels)).toBe(2);
    expect(count(patched.kernels)).toBe(1);
    expect(patched.grads).toHaveLength(plain.grads.length);
    for (const [i, g] of patched.grads.entries()) {
      expect(relativeError(g, plain.grads[i]!), `weight ${i}`).toBeLessThan(1e-5);
    }
    model.dispose();
    x.dispose();
  });

  it('still computes the input gradient when a trainable layer comes before a nested backbone', async () => {
    const x = tf.randomNormal([2, 9, 9, 2], 0, 1, 'float32', 6);
    const input = tfl.input({ shape: [9, 9, 2] });
    const pre = tfl.layers
      .conv2d({ filters: 2, kernelSize: 1, name: 'pre' })
      .apply(input) as tfl.SymbolicTensor;
    const outer = tfl.model({
      inputs: input,
      outputs: stemNet('inner').apply(pre) as tfl.SymbolicTensor,
    });
    registerInputConvTraining();
    const patched = await gradients(outer, x);
    unregisterInputConvTraining();
    const plain = await gradients(outer, x);
    // 'pre' kernel and bias are the first two weights: they need the stem's input gradient.
    expect(patched.grads[0]!.some((v) => v !== 0)).toBe(true);
    for (const [i, g] of patched.grads.entries()) {
      expect(relativeError(g, plain.grads[i]!), `weight ${i}`).toBeLessThan(1e-5);
    }
    outer.dispose();
    x.dispose();
  });

  it('runs Conv2D + bias + ReLU as one taped op in training: same gradients, fewer live tensors', async () => {
    const x = tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 7);
    const input = tfl.input({ shape: [12, 12, 3] });
    let z = tfl.layers
      .conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' })
      .apply(input) as tfl.SymbolicTensor;
    z = tfl.layers
      .conv2d({ filters: 6, kernelSize: 3, strides: 2, activation: 'relu' })
      .apply(z) as tfl.SymbolicTensor;
    z = tfl.layers.globalAveragePooling2d({}).apply(z) as tfl.SymbolicTensor;
    const model = tfl.model({
      inputs: input,
      outputs: tfl.layers.dense({ units: 2 }).apply(z) as tfl.SymbolicTensor,
    });
    registerInputConvTraining();
    const tensorsBefore = tf.memory().numTensors;
    const patched = await gradients(model, x);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    unregisterInputConvTraining();
    const plain = await gradients(model, x);
    const count = (k: string[], name: string) => k.filter((n) => n === name).length;
    // TF.js: Conv2D, Add, Relu per layer; patched: the fused kernel, under its own name in the first layer, whose
    // input gradient nothing uses: neither computes it.
    expect(count(plain.kernels, 'Relu')).toBe(2);
    expect(count(plain.kernels, 'Conv2DBackpropInput')).toBe(1);
    expect(count(patched.kernels, 'Relu')).toBe(0);
    expect(count(patched.kernels, 'FusedConv2D')).toBe(1);
    expect(count(patched.kernels, 'FundusKitConv2DReluPerInput')).toBe(1);
    expect(count(patched.kernels, 'Conv2DBackpropInput')).toBe(1);
    expect(patched.peakBytes).toBeLessThan(plain.peakBytes);
    expect(patched.grads).toHaveLength(plain.grads.length);
    for (const [i, g] of patched.grads.entries()) {
      expect(relativeError(g, plain.grads[i]!), `weight ${i}`).toBeLessThan(1e-5);
    }
    // The gradient with respect to the model input (a saliency map) is the same too.
    const saliency = async () => {
      const g = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.square(model.apply(input, { training: true }) as tf.Tensor)),
      );
      const out = g(x);
      const values = (await out.data()) as Float32Array;
      out.dispose();
      return values;
    };
    registerInputConvTraining();
    const patchedSaliency = await saliency();
    unregisterInputConvTraining();
    const plainSaliency = await saliency();
    expect(plainSaliency.some((v) => v !== 0)).toBe(true);
    expect(relativeError(patchedSaliency, plainSaliency)).toBeLessThan(1e-5);
    model.dispose();
    x.dispose();
  });
});
