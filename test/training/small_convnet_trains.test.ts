import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { seededValues } from '../support/reference_conv.js';

/**
 * Two classes of 16×16 images: a bright 4×4 patch in the top-left or in the bottom-right quadrant, on
 * seeded noise. A conv net must use its convolution weights (and so their gradients) to tell them apart.
 */
function patchDataset(n: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const size = 16;
  const pixels = seededValues(n * size * size * 3, 31).map((v) => 0.2 * v);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels.push(label);
    const origin = label === 0 ? 2 : 10;
    for (let r = origin; r < origin + 4; r++)
      for (let c = origin; c < origin + 4; c++)
        for (let ch = 0; ch < 3; ch++) pixels[((i * size + r) * size + c) * 3 + ch]! += 1;
  }
  return {
    x: tf.tensor4d(pixels, [n, size, size, 3]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2) as tf.Tensor2D),
  };
}

function smallConvNet(): tfl.LayersModel {
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [16, 16, 3],
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
}

describeEachBackend('a small conv net trains', () => {
  it('loss falls by more than half over 20 SGD steps', async () => {
    const model = smallConvNet();
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const { x, y } = patchDataset(16);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) losses.push((await model.trainOnBatch(x, y)) as number);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]!).toBeLessThan(0.5 * losses[0]!);
    const correct = tf.tidy(() =>
      tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, -1), tf.argMax(y, -1)), 'float32')),
    );
    expect((await correct.data())[0]).toBe(1);
    correct.dispose();
    tf.dispose([x, y]);
    model.dispose();
    (model.optimizer as tf.Optimizer).dispose();
  });
});
