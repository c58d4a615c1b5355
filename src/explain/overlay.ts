import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';
import { imageBatch } from '../preprocess/image_batch.js';
import { COLORMAPS, type ColormapName, colormapTable } from './colormaps.js';
import { heatmapBatch } from './heatmap_batch.js';

/** Arguments of {@link overlay}. */
export interface OverlayArgs {
  /**
   * Colour scale for the heatmap: `'jet'` (the classic CAM look), `'turbo'` (Google's smoother rainbow) or
   * `'viridis'` (perceptually uniform, colour-blind safe).
   * @defaultValue `'jet'`
   */
  colormap?: ColormapName;
  /**
   * Opacity of the coloured heatmap, 0 (image only) to 1 (heatmap only).
   * @defaultValue 0.4
   */
  alpha?: number;
}

/**
 * Draws a heatmap over an image: (1 − alpha)·image + alpha·255·colormap(heatmap). The heatmap is resized to the
 * image (bilinear) when its size differs and clipped to [0, 1]; NaN reads as 0. Write the result with
 * `writeImage` (Node) or draw it with `toCanvas` (browser); for the original photo, first map both back with
 * {@link heatmapToOriginal} / `uncropFromFov`.
 *
 * @param image RGB or grey, values 0-255, [H, W, C] or [N, H, W, C] with C = 1 or 3.
 * @param heatmap Values 0-1 (as {@link gradCam} returns them): [h, w] for one image, [N, h, w] for a batch.
 * @returns RGB float32 0-255, [H, W, 3] or [N, H, W, 3] (the image's rank).
 * @example
 * ```ts
 * const { heatmaps } = gradCam(model, batch);
 * const shown = overlay(batch, heatmaps, { colormap: 'turbo', alpha: 0.5 });
 * await writeImage('cam.png', tf.unstack(shown)[0]);
 * ```
 * @throws {@link ShapeError} for an image of another rank or channel count, or a heatmap that does not match it.
 * @throws {@link InvalidArgumentError} for an unknown `colormap` or `alpha` outside [0, 1].
 * @see B. Zhou et al., "Learning Deep Features for Discriminative Localization", CVPR 2016 (the CAM overlay).
 */
function overlay_<T extends tf.Tensor3D | tf.Tensor4D>(
  image: T,
  heatmap: tf.Tensor,
  args: OverlayArgs = {},
): T {
  const fn = 'overlay';
  const colormap = args.colormap ?? 'jet';
  if (!COLORMAPS.includes(colormap)) {
    throw new InvalidArgumentError(
      'colormap',
      `${fn}: colormap must be one of ${COLORMAPS.map((c) => `'${c}'`).join(', ')}, but got ${JSON.stringify(colormap)}.`,
      colormap,
    );
  }
  const alpha = args.alpha ?? 0.4;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1))
    throw invalid(fn, 'alpha', 'a number in [0, 1]', alpha);
  return tf.tidy(() => {
    const { batch, restore } = imageBatch(fn, image, [1, 3]);
    const map = heatmapBatch(fn, heatmap, batch, image.rank);
    const rgb = batch.shape[3] === 1 ? tf.tile(batch, [1, 1, 1, 3]) : batch;
    const index = tf.cast(tf.round(tf.mul(tf.clipByValue(map, 0, 1), 255)), 'int32');
    const table = tf.tensor2d(colormapTable(colormap), [256, 3]);
    const [n, h, w] = batch.shape;
    const colours = tf.reshape(tf.gather(table, tf.reshape(index, [-1])), [n, h, w, 3]);
    const mixed = tf.add(tf.mul(tf.cast(rgb, 'float32'), 1 - alpha), tf.mul(colours, 255 * alpha));
    return restore<T>(mixed as tf.Tensor4D);
  });
}

export const overlay = tf.op({ overlay_ });
