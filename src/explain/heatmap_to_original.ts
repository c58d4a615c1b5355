import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import type { FovBox } from '../preprocess/fov/fov_box.js';
import { uncropFromFov } from '../preprocess/fov/uncrop_from_fov.js';

/** Arguments of {@link heatmapToOriginal}. */
export interface HeatmapToOriginalArgs {
  /**
   * Value of the photo's pixels outside the crop box.
   * @defaultValue 0
   */
  fill?: number;
}

/**
 * Maps heatmaps computed on a field-of-view crop (resized to the model's input) back onto the original photograph:
 * bilinear resize to the crop box, placed where the box lies, `fill` outside it.
 *
 * @param heatmap [h, w] or [N, h, w], any values (e.g. {@link gradCam}'s heatmaps of the resized crops).
 * @param box The crop box from `cropToFov`.
 * @param originalSize The photo's [height, width], from `cropToFov`.
 * @returns float32 [height, width] or [N, height, width].
 * @example
 * ```ts
 * const { image: eye, box, originalSize } = await cropToFov(photo);
 * const input = tf.expandDims(tf.image.resizeBilinear(eye, [224, 224]));
 * const { heatmaps } = gradCam(model, input);
 * const onPhoto = heatmapToOriginal(heatmaps, box, originalSize); // [1, H, W]
 * const shown = overlay(tf.expandDims(photo), onPhoto);
 * ```
 * @throws {@link ShapeError} when `heatmap` is not rank 2 or 3.
 * @throws {@link InvalidArgumentError} for a bad box, size or fill (see `uncropFromFov`).
 */
function heatmapToOriginal_<T extends tf.Tensor2D | tf.Tensor3D>(
  heatmap: T,
  box: FovBox,
  originalSize: readonly [number, number],
  args: HeatmapToOriginalArgs = {},
): T {
  if (heatmap.rank !== 2 && heatmap.rank !== 3) {
    throw new ShapeError(
      `heatmapToOriginal: heatmap must be rank 2 or 3, but got rank ${heatmap.rank} (shape [${heatmap.shape.join(',')}]).`,
      heatmap.shape,
    );
  }
  return tf.tidy(() => {
    const withChannel = tf.expandDims(heatmap, -1) as tf.Tensor3D | tf.Tensor4D;
    const placed = uncropFromFov(withChannel, box, originalSize, {
      method: 'bilinear',
      fill: args.fill ?? 0,
    });
    return tf.squeeze(placed, [placed.rank - 1]) as T;
  });
}

export const heatmapToOriginal = tf.op({ heatmapToOriginal_ });
