import { expandDims, squeeze, type Tensor3D, type Tensor4D, tidy, unstack } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import type { FovArgs } from './fov_args.js';
import { type FovBox, fovBox } from './fov_box.js';
import { detectCircles } from './fov_circle.js';
import { type FovCircle, fovImageBatch, givenCircles } from './fov_input.js';
import { sampleBox } from './sample_box.js';

/** Arguments of {@link cropToFov}. */
export interface CropToFovArgs extends FovArgs {
  /**
   * Extra border around the circle, as a fraction of its radius (0.05: 5 % of r on every side; negative crops
   * inside the circle). Must be above −1.
   * @defaultValue 0
   */
  margin?: number;
  /**
   * Crop a square centred on the circle, padding with zeros (black) where it reaches past the frame, as for a
   * circle the frame cuts: every crop then has the eye in the same place and resizes without distortion. With
   * `false` the box is clipped to the frame instead.
   * @defaultValue true
   */
  square?: boolean;
  /**
   * A known field of view: skips detection (and its data read). One circle for every image, or one per image.
   * @defaultValue undefined (detect)
   */
  circle?: FovCircle | FovCircle[];
}

/** One image cropped to its field of view, and what maps results back. */
export interface FovCrop {
  /** The crop, float32 [height, width, C], input values kept, zeros where the box leaves the frame. */
  image: Tensor3D;
  /** Where the crop lies in the original image (pass to {@link uncropFromFov}). */
  box: FovBox;
  /** The field of view, in the original image's pixels. */
  circle: FovCircle;
  /** The original image's [height, width]. */
  originalSize: [number, number];
}

/**
 * Crops fundus photographs to their field of view: the circle's bounding box plus `margin`, by default a square
 * centred on the circle, padded with black where the frame cuts the circle. Returns the crop box so heatmaps and
 * masks computed on the crop map back with {@link uncropFromFov}. Detects the circle with {@link fovCircle}
 * (one small data read) unless `circle` is given.
 *
 * @param image RGB or grey, values 0-255, [H, W, 1|3] or [N, H, W, 1|3], at least 8×8.
 * @returns one {@link FovCrop} for one image; for a batch an array (crops differ in size). The caller owns (and
 * disposes) each crop's `image`.
 * @example
 * ```ts
 * const { image: eye, box, originalSize } = await cropToFov(photo, { margin: 0.02 });
 * const input = tf.image.resizeBilinear(eye, [512, 512]);
 * // … a 512×512 heatmap of `input` back onto the photo:
 * const onPhoto = uncropFromFov(heatmap, box, originalSize);
 * ```
 * @throws {@link InvalidArgumentError} when no field of view is found or the image holds NaN (see
 * {@link fovCircle}), or for bad `args`.
 * @throws {@link ShapeError} for another rank, channel count or dtype, or an image under 8×8.
 */
export async function cropToFov(image: Tensor3D, args?: CropToFovArgs): Promise<FovCrop>;
export async function cropToFov(image: Tensor4D, args?: CropToFovArgs): Promise<FovCrop[]>;
export async function cropToFov(
  image: Tensor3D | Tensor4D,
  args: CropToFovArgs = {},
): Promise<FovCrop | FovCrop[]> {
  const margin = args.margin ?? 0;
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin <= -1) {
    throw new InvalidArgumentError(
      'margin',
      `cropToFov: margin must be a number above -1, but got ${String(margin)}.`,
      margin,
    );
  }
  const square = args.square ?? true;
  if (typeof square !== 'boolean') {
    throw new InvalidArgumentError(
      'square',
      `cropToFov: square must be true or false, but got ${String(square)}.`,
      square,
    );
  }
  const n = tidy(() => fovImageBatch('cropToFov', image).batch.shape[0]);
  const circles =
    args.circle === undefined
      ? await detectCircles('cropToFov', image, args)
      : givenCircles('cropToFov', args.circle, n);
  const [h, w] = image.rank === 3 ? image.shape : image.shape.slice(1);
  const frame: [number, number] = [h!, w!];
  const boxes = circles.map((c) => fovBox(c, margin, square, frame));
  const crops = tidy(() => {
    const images = image.rank === 3 ? [image] : unstack(image as Tensor4D);
    return images.map((one, i) => cropBox(one as Tensor3D, boxes[i]!));
  });
  const results = crops.map((crop, i) => ({
    image: crop,
    box: boxes[i]!,
    circle: circles[i]!,
    originalSize: [h!, w!] as [number, number],
  }));
  return image.rank === 3 ? results[0]! : results;
}

/** Cuts `box` out of one image [H, W, C], zero-padding where it leaves the frame. Call inside `tidy`. */
function cropBox(image: Tensor3D, box: FovBox): Tensor3D {
  const one = expandDims(image, 0) as Tensor4D;
  return squeeze(sampleBox(one, box.top, box.left, box.height, box.width, 0), [0]) as Tensor3D;
}
