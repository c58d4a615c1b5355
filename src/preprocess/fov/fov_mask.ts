import {
  any,
  cast,
  concat,
  greater,
  isNaN as isNaNOp,
  mul,
  op,
  reshape,
  slice,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  tensor2d,
  tidy,
  where,
} from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import { circleMask } from './circle_mask.js';
import { DETECTION, detectFov } from './detect_fov.js';
import { type FovArgs, fovSettings } from './fov_args.js';
import { circlesOrNaN } from './fov_circle_tensor.js';
import { type FovCircle, fovImageBatch, givenCircles } from './fov_input.js';

/** Arguments of {@link fovMask}. */
export interface FovMaskArgs extends FovArgs {
  /**
   * Scales the detected radius: below 1 keeps the mask clear of the rim's blur and glare (0.9 is common before
   * local-contrast filters), above 1 grows it.
   * @defaultValue 1
   */
  radiusScale?: number;
  /**
   * A known field of view (e.g. from {@link fovCircle}, or fixed for a camera): skips detection. One circle for
   * every image, or one per image of a batch. A given circle is used as is: no band cut (see the returns).
   * @defaultValue undefined (detect)
   */
  circle?: FovCircle | FovCircle[];
}

/**
 * The circular field of view (FOV) of fundus photographs as a 0/1 mask, in tensor ops on any backend with no
 * data read (see {@link fovCircleTensor} for the detection). The mask is the fitted circle clipped by the frame:
 * a circle cut at the top and bottom by the frame (common in EyePACS) gives the part inside the image, and when
 * a black band cuts the circle flat inside the frame (some cameras leave a dark strip along an edge), the band is
 * left out too.
 *
 * @param image RGB or grey, values 0-255, [H, W, 1|3] or [N, H, W, 1|3], at least 8×8.
 * @returns float32 0/1 mask [H, W, 1] or [N, H, W, 1], 1 inside the field of view. An image with no field of
 * view (nothing differs from the surround by `minContrast`) gets an all-zero mask, an image holding NaN an
 * all-NaN one: a transform cannot throw on data without reading it back; {@link fovCircle} throws instead.
 * @example
 * ```ts
 * const mask = fovMask(image);                 // [H, W, 1]
 * const inner = fovMask(image, { radiusScale: 0.9 });
 * const masked = tf.mul(image, mask);         // black outside the field of view
 * ```
 * @throws {@link ShapeError} for another rank, channel count or dtype, or an image under 8×8.
 * @throws {@link InvalidArgumentError} for bad `args`.
 */
function fovMask_<T extends Tensor3D | Tensor4D>(image: T, args: FovMaskArgs = {}): T {
  const settings = fovSettings('fovMask', args);
  const radiusScale = args.radiusScale ?? 1;
  if (typeof radiusScale !== 'number' || !Number.isFinite(radiusScale) || radiusScale <= 0) {
    throw new InvalidArgumentError(
      'radiusScale',
      `fovMask: radiusScale must be a positive number, but got ${String(radiusScale)}.`,
      radiusScale,
    );
  }
  return tidy(() => {
    const { batch, restore } = fovImageBatch('fovMask', image);
    const [n, h, w] = batch.shape;
    let circles: Tensor2D;
    let extents: Tensor2D | undefined;
    let nanFlags: Tensor2D;
    if (args.circle !== undefined) {
      const list = givenCircles('fovMask', args.circle, n);
      circles = tensor2d(list.map((c) => [c.cx, c.cy, c.r]));
      // NaN in, NaN out, without detection: flag the images that hold NaN.
      nanFlags = reshape(cast(any(isNaNOp(batch), [1, 2, 3]), 'float32'), [n, 1]) as Tensor2D;
    } else {
      const detection = detectFov(batch, settings);
      circles = circlesOrNaN(detection);
      extents = slice(detection, [0, DETECTION.top], [n, 4]);
      nanFlags = slice(detection, [0, DETECTION.hasNaN], [n, 1]);
    }
    const scaled = mul(circles, [[1, 1, radiusScale]]) as Tensor2D;
    const masks = Array.from({ length: n }, (_, i) => {
      const row = (t: Tensor2D, width: number) => reshape(slice(t, [i, 0], [1, width]), [width]) as Tensor1D;
      const mask = circleMask(row(scaled, 3), h, w, extents && row(extents, 4));
      // A NaN image gives NaN everywhere: where the flag is 1, multiply by NaN.
      const nan = reshape(slice(nanFlags, [i, 0], [1, 1]), []);
      return reshape(mul(mask, where(greater(nan, 0.5), NaN, 1)), [1, h, w, 1]);
    });
    return restore<T>((n === 1 ? masks[0] : concat(masks, 0)) as Tensor4D);
  });
}

export const fovMask = op({ fovMask_ });
