import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';
import { imageBatch } from '../preprocess/image_batch.js';
import { heatmapBatch } from './heatmap_batch.js';

/** Arguments of {@link attentionEnhance}. */
export interface AttentionEnhanceArgs {
  /**
   * `'multiply'`: image·(1 + strength·map), brightening and sharpening what the model attends to (the lesion-map
   * re-weighting image·(1 + P) of Yang et al. 2020), clipped to `range`. `'blend'`: (1 − strength)·image +
   * strength·image·map, keeping the attended regions and dimming the rest.
   * @defaultValue `'multiply'`
   */
  mode?: 'multiply' | 'blend';
  /**
   * Strength s ≥ 0 of the enhancement; for `'blend'` at most 1.
   * @defaultValue 1 for `'multiply'`, 0.5 for `'blend'`
   */
  strength?: number;
  /**
   * Value range the result is clipped to (`'multiply'` only; `null`: no clipping, e.g. for normalised inputs).
   * @defaultValue [0, 255]
   */
  range?: readonly [number, number] | null;
}

/**
 * An enhanced copy of an image that emphasises where a model looks, from a heatmap in [0, 1] (e.g.
 * {@link gradCam}'s): feed both the original and the enhanced copy to a model, as the attention-guided scheme of
 * the Micromachines 2023 multi-label model does (see {@link withAttentionEnhanced}). The heatmap is resized to the
 * image (bilinear) when its size differs; NaN reads as 0.
 *
 * @param image [H, W, C] or [N, H, W, C], any channel count, values in `range` (0-255 by default).
 * @param heatmap Values 0-1: [h, w] for one image, [N, h, w] for a batch.
 * @returns float32, the image's shape.
 * @example
 * ```ts
 * const { heatmaps } = gradCam(model, images);
 * const enhanced = attentionEnhance(images, heatmaps, { strength: 0.8 });
 * ```
 * @throws {@link ShapeError} for an image of another rank, or a heatmap that does not match it.
 * @throws {@link InvalidArgumentError} for an unknown `mode`, a negative `strength` (above 1 for `'blend'`) or a bad
 * `range`.
 * @see "A Multi-Label Detection Deep Learning Model with Attention-Guided Image Enhancement for Retinal Images",
 * Micromachines 14 (2023).
 * @see Y. Yang et al., "Robust Collaborative Learning of Patch-level and Image-level Annotations for Diabetic
 * Retinopathy Grading from Fundus Image", arXiv 2008.00610 (image·(1 + P_k)).
 */
function attentionEnhance_<T extends tf.Tensor3D | tf.Tensor4D>(
  image: T,
  heatmap: tf.Tensor,
  args: AttentionEnhanceArgs = {},
): T {
  const fn = 'attentionEnhance';
  const mode = args.mode ?? 'multiply';
  if (mode !== 'multiply' && mode !== 'blend') {
    throw new InvalidArgumentError(
      'mode',
      `${fn}: mode must be 'multiply' or 'blend', but got ${JSON.stringify(mode)}.`,
      mode,
    );
  }
  const strength = args.strength ?? (mode === 'multiply' ? 1 : 0.5);
  const maxStrength = mode === 'blend' ? 1 : Number.POSITIVE_INFINITY;
  if (
    typeof strength !== 'number' ||
    !(strength >= 0 && strength <= maxStrength) ||
    !Number.isFinite(strength)
  ) {
    throw invalid(fn, 'strength', mode === 'blend' ? 'a number in [0, 1]' : 'a finite number ≥ 0', strength);
  }
  const range = args.range === undefined ? ([0, 255] as const) : args.range;
  const rangeOk =
    range === null ||
    (Array.isArray(range) &&
      range.length === 2 &&
      range.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
      (range[0] as number) < (range[1] as number));
  if (!rangeOk) throw invalid(fn, 'range', '[low, high] with low < high, or null', range);
  return tf.tidy(() => {
    const { batch, restore } = imageBatch(fn, image);
    const map = heatmapBatch(fn, heatmap, batch, image.rank);
    const x = tf.cast(batch, 'float32');
    const gain =
      mode === 'multiply' ? tf.add(1, tf.mul(strength, map)) : tf.add(1 - strength, tf.mul(strength, map));
    let out = tf.mul(x, gain);
    if (mode === 'multiply' && range !== null)
      out = tf.clipByValue(out, range[0] as number, range[1] as number);
    return restore<T>(out as tf.Tensor4D);
  });
}

export const attentionEnhance = tf.op({ attentionEnhance_ });
