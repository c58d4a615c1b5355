import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { useBackend } from '../support/backends.js';
import { resnetShaped } from '../support/reference_nets.js';

/** Full-size ResNet-50 (25.6 M parameters, 224², batch 2) takes SGD steps on wasm: the headline promise. */
it('a full-size ResNet-50-shaped net trains on wasm in Node', async () => {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const model = resnetShaped({ inputSize: 224, classes: 1000 });
  expect(model.countParams()).toBe(25_636_712); // keras.applications ResNet50 with top
  const optimizer = tf.train.sgd(0.01);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([2, 224, 224, 3], 0, 1, 'float32', 7);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([3, 999], 'int32'), 1000));
  const stem = model.getLayer('conv1_conv').getWeights()[0]!;
  const stemBefore = await stem.data();
  const losses = [(await model.trainOnBatch(x, y)) as number, (await model.trainOnBatch(x, y)) as number];
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(losses[1]!).toBeLessThan(losses[0]!);
  // The stem's filters moved: its gradient came through every block's backward pass.
  const stemAfter = await model.getLayer('conv1_conv').getWeights()[0]!.data();
  expect(stemAfter.some((v, i) => v !== stemBefore[i])).toBe(true);
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  expect(tf.memory().numTensors).toBe(before);
}, 300_000);
