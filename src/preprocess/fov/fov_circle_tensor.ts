import {
  greater,
  op,
  reshape,
  slice,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  tidy,
  where,
} from '@tensorflow/tfjs-core';
import { DETECTION, detectFov } from './detect_fov.js';
import { type FovArgs, fovSettings } from './fov_args.js';
import { fovImageBatch } from './fov_input.js';

/**
 * Detects the circular field of view, on the device: the tensor half of {@link fovCircle}, for pipelines that
 * keep working with tensors (no data read, so it runs inside `tidy` and composes with other ops).
 *
 * The image is box-averaged to at most `workingSize` pixels; each pixel's colour distance from the surround (the
 * median colour of the four corners, so grey and coloured surrounds work as black does) is thresholded
 * adaptively (above the surround's noise and a share of the contrast found by Otsu's method, and relative to the
 * local rim level, which follows vignetting and dark photos); the outermost transition of every row and column
 * is located to sub-pixel precision and a circle is fitted robustly (Kåsa's fit refined by Tukey-weighted
 * refits), so a notch, a flare or text in the surround do not pull it, and a frame that cuts the circle (common
 * in EyePACS) leaves it whole.
 *
 * @param image RGB or grey, values 0-255, [H, W, 1|3] or [N, H, W, 1|3], at least 8×8.
 * @returns (cx, cy, r) in input pixels, float32: [3] for one image, [N, 3] for a batch. NaN where no field of
 * view was found (contrast below `minContrast`) or the image holds NaN.
 * @example
 * ```ts
 * const circle = fovCircleTensor(image); // [3]: cx, cy, r
 * ```
 * @throws {@link ShapeError} for another rank, channel count or dtype, or an image under 8×8.
 * @throws {@link InvalidArgumentError} for bad `args`.
 * @see N. Otsu, "A threshold selection method from gray-level histograms", IEEE Trans. SMC 9(1), 1979.
 * @see I. Kåsa, "A circle fitting procedure and its error analysis", IEEE Trans. Instrum. Meas. 25(1), 1976.
 */
function fovCircleTensor_<T extends Tensor3D | Tensor4D>(
  image: T,
  args: FovArgs = {},
): T extends Tensor3D ? Tensor1D : Tensor2D {
  const settings = fovSettings('fovCircleTensor', args);
  return tidy(() => {
    const { batch } = fovImageBatch('fovCircleTensor', image);
    const detection = detectFov(batch, settings);
    const circles = circlesOrNaN(detection);
    return (image.rank === 3 ? reshape(circles, [3]) : circles) as never;
  });
}

export const fovCircleTensor = op({ fovCircleTensor_ });

/** (cx, cy, r) [N, 3] from a detection, NaN where nothing was found. Call inside `tidy`. */
export function circlesOrNaN(detection: Tensor2D): Tensor2D {
  const n = detection.shape[0];
  const circles = slice(detection, [0, DETECTION.cx], [n, 3]);
  const found = slice(detection, [0, DETECTION.found], [n, 1]);
  return where(greater(found, 0.5), circles, NaN) as Tensor2D;
}
