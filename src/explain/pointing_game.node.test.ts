import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../test/support/backends.js';
import { lesionImages, lesionNet } from '../../test/support/explain_lesions.js';
import { gradCam } from './grad_cam.js';

/**
 * The pointing game (Zhang et al., "Top-down Neural Attention by Excitation Backprop", ECCV 2016): a hit when
 * the heatmap's maximum lies inside the object's mask. A small CNN trained briefly to detect one synthetic
 * lesion type must point at the lesion on ≥ 80 % of held-out positive images, with every method.
 */
describe('gradCam pointing game on a trained lesion detector [wasm]', () => {
  let model: tfl.LayersModel;
  let accuracy = 0;
  const SIZE = 64;

  beforeAll(async () => {
    await useBackend('wasm');
    model = lesionNet(SIZE);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const train = lesionImages(256, 1, SIZE);
    const history = await model.fit(train.images, train.labels, {
      batchSize: 32,
      epochs: 4,
      shuffle: false,
      verbose: 0,
    });
    accuracy = (history.history.acc ?? history.history.accuracy ?? []).at(-1) as number;
    tf.dispose([train.images, train.labels]);
  });

  afterAll(() => model?.dispose());

  it('puts the heatmap peak inside the lesion mask on ≥ 80 % of held-out images', async () => {
    const test = lesionImages(80, 777, SIZE);
    const before = tf.memory().numTensors;
    const hits: Record<string, number> = {};
    let positives = 0;
    for (const method of ['gradcam', 'gradcam++', 'hirescam', 'layercam'] as const) {
      const { heatmaps, raw, scores } = gradCam(model, test.images, { method, target: 1 });
      const peaks = tf.tidy(() => tf.argMax(tf.reshape(heatmaps, [heatmaps.shape[0], -1]), 1));
      const index = await peaks.data();
      tf.dispose([heatmaps, ...raw, scores, peaks]);
      positives = 0;
      hits[method] = 0;
      test.masks.forEach((mask, n) => {
        if (!test.positive[n]) return;
        positives++;
        if (mask[index[n] as number] === 1) hits[method] = (hits[method] as number) + 1;
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    const rates = Object.fromEntries(Object.entries(hits).map(([m, h]) => [m, h / positives]));
    console.log(
      `pointing game (${positives} held-out lesions, train accuracy ${accuracy.toFixed(3)}):`,
      rates,
    );
    for (const rate of Object.values(rates)) expect(rate).toBeGreaterThanOrEqual(0.8);
    tf.dispose([test.images, test.labels]);
  });
});
