import { cast, op, type Tensor3D, type Tensor4D, image as tfImage, tidy } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import { imageBatch } from '../image_batch.js';
import { checkBox, type FovBox } from './fov_box.js';
import { sampleBox } from './sample_box.js';

/** Arguments of {@link uncropFromFov}. */
export interface UncropFromFovArgs {
  /**
   * How a result whose size differs from the box (a 512×512 heatmap of a resized crop) is resized to it:
   * `'bilinear'` for continuous maps, `'nearest'` for label masks.
   * @defaultValue 'bilinear'
   */
  method?: 'bilinear' | 'nearest';
  /**
   * Value of the pixels the box does not cover.
   * @defaultValue 0
   */
  fill?: number;
}

/**
 * Maps a result computed on a field-of-view crop (a heatmap, a mask, an enhanced image) back into the original
 * frame: resizes it to the crop box when its size differs (half-pixel centres, as `tf.image.resize` in
 * TensorFlow 2 and OpenCV), drops what lies outside the frame and pads the rest with `fill`.
 *
 * @param tensor [h, w, C] or [N, h, w, C], any values and channel count.
 * @param box The crop's box, from {@link cropToFov}.
 * @param originalSize The original [height, width], from {@link cropToFov}.
 * @returns float32 [height, width, C] or [N, height, width, C].
 * @example
 * ```ts
 * const { image: eye, box, originalSize } = await cropToFov(photo);
 * const heatmap = gradCam(model, tf.image.resizeBilinear(eye, [224, 224])); // [224, 224, 1]
 * const onPhoto = uncropFromFov(heatmap, box, originalSize);               // [H, W, 1]
 * ```
 * @throws {@link ShapeError} when `tensor` is not rank 3 or 4 (or empty, or not numeric).
 * @throws {@link InvalidArgumentError} for a bad box, size, method or fill.
 */
function uncropFromFov_<T extends Tensor3D | Tensor4D>(
  tensor: T,
  box: FovBox,
  originalSize: readonly [number, number],
  args: UncropFromFovArgs = {},
): T {
  checkBox('uncropFromFov', box, originalSize);
  const method = args.method ?? 'bilinear';
  if (method !== 'bilinear' && method !== 'nearest') {
    throw new InvalidArgumentError(
      'method',
      `uncropFromFov: method must be 'bilinear' or 'nearest', but got ${JSON.stringify(method)}.`,
      method,
    );
  }
  const fill = args.fill ?? 0;
  if (typeof fill !== 'number') {
    throw new InvalidArgumentError(
      'fill',
      `uncropFromFov: fill must be a number, but got ${String(fill)}.`,
      fill,
    );
  }
  return tidy(() => {
    const { batch, restore } = imageBatch('uncropFromFov', tensor);
    const [, h, w] = batch.shape;
    let x = cast(batch, 'float32') as Tensor4D;
    if (h !== box.height || w !== box.width) {
      const size: [number, number] = [box.height, box.width];
      x =
        method === 'bilinear'
          ? tfImage.resizeBilinear(x, size, false, true)
          : tfImage.resizeNearestNeighbor(x, size, false, true);
    }
    const [height, width] = originalSize;
    // Frame pixel (Y, X) is box pixel (Y − top, X − left); outside the box: fill.
    return restore<T>(sampleBox(x, -box.top, -box.left, height, width, fill));
  });
}

export const uncropFromFov = op({ uncropFromFov_ });
