import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, tinyBatch, trainableCount } from '../../test/support/architectures_tiny.js';
import { expectNoLeaks, useBackend } from '../../test/support/backends.js';
import { featureLayers, resnet50, splitAt } from './index.js';

describe('ResNet-50 at full size (wasm)', () => {
  beforeAll(() => useBackend('wasm'));

  it("has keras.applications' parameter counts: 25 636 712 (53 120 batch-norm statistics), 23 587 712 without the top", async () => {
    const notop = await resnet50({ includeTop: false });
    expect(notop.countParams()).toBe(23_587_712);
    expect(notop.layers).toHaveLength(175);
    notop.dispose();
  });

  it('runs a 224 × 224 forward pass; splitting at conv4_block6_out gives the same output', async () => {
    const model = await resnet50();
    expect(model.countParams()).toBe(25_636_712);
    expect(trainableCount(model)).toBe(25_583_592);
    expect(model.layers).toHaveLength(177); // Keras: input_1 … predictions
    expect(featureLayers(model).map((f) => [f.name, f.shape])).toEqual([
      ['conv1_relu', [112, 112, 64]],
      ['conv2_block3_out', [56, 56, 256]],
      ['conv3_block4_out', [28, 28, 512]],
      ['conv4_block6_out', [14, 14, 1024]],
      ['conv5_block3_out', [7, 7, 2048]],
    ]);
    const x = tinyBatch(1, 224);
    const y = await expectNoLeaks(() => model.predict(x) as tf.Tensor);
    expect(y.shape).toEqual([1, 1000]);
    const probs = Array.from(await y.data());
    expect(probs.every(Number.isFinite)).toBe(true);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const { features, head } = splitAt(model, 'conv4_block6_out');
    const composed = tf.tidy(() => head.predict(features.predict(x) as tf.Tensor) as tf.Tensor);
    expect(await maxAbsDiff(composed, y)).toBeLessThan(1e-6);
    tf.dispose([x, y, composed]);
    model.dispose();
  });
});
