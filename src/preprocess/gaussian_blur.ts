import { cast, op, type Tensor3D, type Tensor4D, tidy } from '@tensorflow/tfjs-core';
import { invalid, positiveNumber } from './check_args.js';
import { blurDownsampleFactor, decimatedGaussianBlur } from './decimated_blur.js';
import { imageBatch } from './image_batch.js';
import { filterAxis } from './row_filter.js';

export interface GaussianBlurArgs {
  /** Standard deviation of the Gaussian in pixels, > 0 (the same along both axes). */
  sigma: number;
  /**
   * Kernel width and height in pixels, an odd positive integer.
   * @defaultValue `round(6·sigma + 1) | 1` (±3σ), the size OpenCV's `GaussianBlur(img, (0, 0), sigma)`
   * picks for 8-bit images. (For float images OpenCV takes ±4σ; pass `ksize` to match that.)
   */
  ksize?: number;
  /**
   * Blur on a grid this many times coarser and interpolate back (see the remarks): `1` is the exact blur,
   * `'auto'` picks 4 or 2 where σ / factor ≥ 4 and the factor divides the image's height and width, else 1.
   * Not with `ksize` (the coarse kernel always spans ±3σ).
   * @defaultValue 1
   */
  downsample?: number | 'auto';
}

/** OpenCV's kernel size for an 8-bit image and `sigma` (cv::createGaussianKernels: `cvRound(σ·3·2 + 1) | 1`). */
export function gaussianKernelSize(sigma: number): number {
  return Math.round(sigma * 6 + 1) | 1;
}

/**
 * The normalised 1-D Gaussian (`cv::getGaussianKernel(ksize, sigma)`): `exp(−x²/2σ²)` at x = i − (ksize−1)/2,
 * computed in double and divided by its sum.
 */
export function gaussianKernel(sigma: number, ksize: number): Float32Array {
  const weights = Array.from({ length: ksize }, (_, i) =>
    Math.exp(-((i - (ksize - 1) / 2) ** 2) / (2 * sigma ** 2)),
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  return Float32Array.from(weights, (w) => w / sum);
}

/**
 * Gaussian blur, like `cv2.GaussianBlur(img, (0, 0), sigma)`: a separable kernel (rows then columns, every
 * channel on its own) with OpenCV's default border BORDER_REFLECT_101 (mirror without repeating the edge), on
 * every backend. Each 1-D pass runs as a blocked convolution (see `filterAxis`), not a depthwise one, which is
 * slow for long kernels on wasm.
 *
 * NaN spreads locally: to the output pixels whose kernel window covers it, and (because of the blocking)
 * to the rest of their 8-pixel blocks along each axis; pixels farther than half a kernel plus 15 stay finite.
 *
 * With `downsample` above 1 the blur is computed on a coarser grid (box average, Gaussian, bilinear back):
 * 4 × 4 coarser at σ = 512/30 costs ~1/60 of the multiply-adds (wasm: ~10 ms instead of ~40 ms for a 512² RGB
 * image, most of it fixed per-kernel cost) and differs from the exact blur by 0.01-0.02 grey levels on average
 * on real 512² fundus crops (at most ~0.25), borders included: the coarse grid mirrors the border as the
 * exact blur does.
 *
 * @param image Any value range (the blur is linear), [H, W, C] or [N, H, W, C], any channel count.
 * @param args `sigma` (required, > 0) and optionally `ksize` (odd, ≥ 1).
 * @returns The blurred image, same shape and rank, float32, same value range.
 * @example
 * ```ts
 * const background = gaussianBlur(image, { sigma: 512 / 30 }); // the local average colour
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4.
 * @throws {@link InvalidArgumentError} when `sigma` is not a positive number, `ksize` not an odd positive
 * integer, or `downsample` not `'auto'` or a positive integer dividing the image's height and width (or given
 * with `ksize`).
 * @see OpenCV `cv::GaussianBlur` and `cv::getGaussianKernel`.
 */
function gaussianBlur_<T extends Tensor3D | Tensor4D>(image: T, args: GaussianBlurArgs): T {
  const fn = 'gaussianBlur';
  const sigma = positiveNumber(fn, 'sigma', args?.sigma);
  const ksize = args?.ksize ?? gaussianKernelSize(sigma);
  if (!Number.isInteger(ksize) || ksize < 1 || ksize % 2 === 0) {
    throw invalid(fn, 'ksize', 'an odd positive integer', ksize);
  }
  const downsample = args?.downsample ?? 1;
  if (downsample !== 1 && args?.ksize !== undefined) {
    throw invalid(fn, 'downsample', '1 when ksize is given', downsample);
  }
  return tidy(() => {
    const { batch, restore } = imageBatch(fn, image);
    const [, h, w] = batch.shape;
    const factor = blurDownsampleFactor(fn, downsample, sigma, h, w);
    if (factor > 1) return restore<T>(decimatedGaussianBlur(cast(batch, 'float32'), sigma, factor));
    const kernel = gaussianKernel(sigma, ksize);
    const vertical = filterAxis(cast(batch, 'float32'), 1, kernel);
    return restore<T>(filterAxis(vertical, 2, kernel));
  });
}

export const gaussianBlur = op({ gaussianBlur_ });
