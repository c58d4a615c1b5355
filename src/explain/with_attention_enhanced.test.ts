import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import { expect, it } from 'vitest';
import { backendsUnderTest, describeEachBackend } from '../../test/support/backends.js';
import { gapDenseNet, testImages } from '../../test/support/explain_models.js';
import { InvalidArgumentError } from '../errors.js';
import { attentionEnhance } from './attention_enhance.js';
import { gradCam } from './grad_cam.js';
import { withAttentionEnhanced } from './with_attention_enhanced.js';

// Dataset plumbing over gradCam and attentionEnhance (both tested numerically on every backend): cpu and wasm
// suffice, and spare the GPU backends' shader compilation.
const plumbingBackends = backendsUnderTest().filter((b) => b === 'cpu' || b === 'wasm');

describeEachBackend(
  'withAttentionEnhanced',
  () => {
    it('yields each batch with its Grad-CAM-enhanced copy, as a pair or stacked', async () => {
      const model = gapDenseNet();
      const images = tf.tidy(() => tf.mul(testImages(4, 12), 255) as tf.Tensor4D);
      const batches = () =>
        tfd.generator(function* () {
          for (const i of [0, 2]) {
            yield tf.tidy(() => ({
              xs: tf.slice(images, i, 2),
              ys: tf.oneHot(tf.tensor1d([i, i + 1], 'int32'), 4),
            }));
          }
        });
      const before = tf.memory().numTensors;
      const seen: number[][] = [];
      // Read values with await (webgpu's dataSync is unreliable), so iterate by hand rather than forEachAsync.
      const pairs = await withAttentionEnhanced(batches(), model, {
        strength: 0.7,
        modelInput: (x) => tf.div(x, 255),
      }).iterator();
      for (let next = await pairs.next(); !next.done; next = await pairs.next()) {
        const {
          xs: [original, enhanced],
          ys,
        } = next.value;
        const scaled = tf.div(original, 255) as tf.Tensor4D;
        const cam = gradCam(model, scaled);
        scaled.dispose();
        const expected = attentionEnhance(original, cam.heatmaps, { strength: 0.7 });
        const [labels, gap] = tf.tidy(() => [tf.argMax(ys, 1), tf.max(tf.abs(tf.sub(expected, enhanced)))]);
        seen.push(Array.from(await labels!.data()));
        const diff = (await gap!.data())[0] as number;
        tf.dispose([labels!, gap!]);
        expect(diff).toBeLessThan(1e-3);
        tf.dispose([original, enhanced, ys, expected, cam.heatmaps, cam.scores, ...cam.raw]);
      }
      expect(seen).toEqual([
        [0, 1],
        [2, 3],
      ]);
      await withAttentionEnhanced(batches(), model, {
        combine: 'batch',
        modelInput: (x) => tf.div(x, 255),
      }).forEachAsync(({ xs, ys }) => {
        expect(xs.shape).toEqual([4, 12, 12, 3]);
        expect(ys.shape).toEqual([4, 4]);
        tf.dispose([xs, ys]);
      });
      expect(tf.memory().numTensors, 'tensors left by the two epochs').toBe(before);
      expect(() => withAttentionEnhanced(batches(), model, { combine: 'both' as never })).toThrow(
        InvalidArgumentError,
      );
      expect(() => withAttentionEnhanced(batches(), model, { strength: -1 })).toThrow(/strength/);
      images.dispose();
      model.dispose();
    });
  },
  plumbingBackends,
);
