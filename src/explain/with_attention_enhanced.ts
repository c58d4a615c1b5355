import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';
import { type AttentionEnhanceArgs, attentionEnhance } from './attention_enhance.js';
import { describeArgument } from './cam_gradients.js';
import { type GradCamArgs, gradCam } from './grad_cam.js';

/** Arguments of {@link withAttentionEnhanced}: Grad-CAM's, the enhancement's, and how the pair is delivered. */
export interface WithAttentionEnhancedArgs
  extends Omit<GradCamArgs, 'normalize'>,
    Omit<AttentionEnhanceArgs, never> {
  /**
   * `'pair'`: `{xs: [original, enhanced], ys}`, for a model with two image inputs (or two branches).
   * `'batch'`: `{xs: concat(original, enhanced), ys: concat(ys, ys)}`, the enhanced copies as extra samples of the
   * same labels (batch size doubles).
   * @defaultValue `'pair'`
   */
  combine?: 'pair' | 'batch';
  /**
   * What the explaining model takes, computed from the batch's `xs` (e.g. `vggPreprocess`); the enhancement is
   * applied to `xs` itself.
   * @defaultValue `xs` unchanged
   */
  modelInput?: (xs: tf.Tensor4D) => tf.Tensor;
}

/** A batch of {@link withAttentionEnhanced} with `combine: 'pair'`. */
export type AttentionPairBatch = { xs: [tf.Tensor4D, tf.Tensor4D]; ys: tf.Tensor };

/** A batch of {@link withAttentionEnhanced} with `combine: 'batch'`. */
export type AttentionStackedBatch = { xs: tf.Tensor4D; ys: tf.Tensor };

/**
 * Streams each batch of a dataset with an attention-enhanced copy of its images: Grad-CAM heatmaps from `model`
 * (in inference mode), then {@link attentionEnhance}. The scheme of the Micromachines 2023 multi-label model,
 * where the original and the enhanced image are both fed to the classifier. Lazy like tf.data: nothing runs
 * until iterated; each batch belongs to the consumer (`fitDataset` disposes it).
 *
 * @param dataset Batches `{xs: [B, H, W, C], ys}`, e.g. a `FundusDataset`'s `dataset`.
 * @param model The model whose attention guides the enhancement (a trained classifier).
 * @returns the dataset of pairs (see `combine`).
 * @example
 * ```ts
 * const pairs = withAttentionEnhanced(train.dataset, screeningModel, { strength: 0.8, combine: 'pair' });
 * await twoInputModel.fitDataset(pairs, { epochs: 5 });
 * ```
 * @throws {@link InvalidArgumentError} when `model` is not a LayersModel or `combine`, `mode`, `strength` or
 * `range` is invalid (at once); Grad-CAM argument errors surface when a batch is computed.
 * @see "A Multi-Label Detection Deep Learning Model with Attention-Guided Image Enhancement for Retinal Images",
 * Micromachines 14 (2023).
 */
export function withAttentionEnhanced(
  dataset: Dataset<{ xs: tf.Tensor4D; ys: tf.Tensor }>,
  model: tfl.LayersModel,
  args: WithAttentionEnhancedArgs & { combine: 'batch' },
): Dataset<AttentionStackedBatch>;
export function withAttentionEnhanced(
  dataset: Dataset<{ xs: tf.Tensor4D; ys: tf.Tensor }>,
  model: tfl.LayersModel,
  args?: WithAttentionEnhancedArgs & { combine?: 'pair' },
): Dataset<AttentionPairBatch>;
export function withAttentionEnhanced(
  dataset: Dataset<{ xs: tf.Tensor4D; ys: tf.Tensor }>,
  model: tfl.LayersModel,
  args: WithAttentionEnhancedArgs = {},
): Dataset<AttentionPairBatch | AttentionStackedBatch> {
  const fn = 'withAttentionEnhanced';
  if (!(model instanceof tfl.LayersModel)) {
    throw new InvalidArgumentError(
      'model',
      `${fn}: model must be a tf.LayersModel, but got ${describeArgument(model)}.`,
      model,
    );
  }
  const combine = args.combine ?? 'pair';
  if (combine !== 'pair' && combine !== 'batch') {
    throw new InvalidArgumentError(
      'combine',
      `${fn}: combine must be 'pair' or 'batch', but got ${JSON.stringify(combine)}.`,
      combine,
    );
  }
  const { combine: _c, modelInput, mode, strength, range, ...camArgs } = args;
  const enhance: AttentionEnhanceArgs = { mode, strength, range };
  // Checks the enhancement arguments now rather than at the first batch.
  tf.tidy(() => {
    attentionEnhance(tf.zeros([1, 1, 1]) as tf.Tensor3D, tf.zeros([1, 1]), enhance);
  });
  return dataset.map(({ xs, ys }) => {
    const input = modelInput === undefined ? xs : tf.tidy(() => modelInput(xs));
    const cam = gradCam(model, input, camArgs);
    const enhanced = attentionEnhance(xs, cam.heatmaps, enhance);
    tf.dispose([cam.heatmaps, cam.scores, ...cam.raw]);
    if (input !== xs) tf.dispose(input);
    if (combine === 'pair') return { xs: [xs, enhanced], ys } as AttentionPairBatch;
    const stacked = tf.tidy(() => ({ xs: tf.concat([xs, enhanced]), ys: tf.concat([ys, ys]) }));
    enhanced.dispose();
    return stacked as AttentionStackedBatch;
  });
}
