import {
  add,
  cast,
  fill,
  lessEqual,
  mul,
  op,
  range,
  reshape,
  square,
  sub,
  type Tensor3D,
  type Tensor4D,
  tidy,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { finiteNumber, invalid, positiveNumber } from './check_args.js';
import { blurDownsampleFactor } from './decimated_blur.js';
import { gaussianBlur } from './gaussian_blur.js';
import { imageBatch } from './image_batch.js';
import { clipKeepingNaN } from './nan_safe_clip.js';

export interface BenGrahamArgs {
  /**
   * Field-of-view radius in pixels, > 0. Sets the default `sigma` and the mask size.
   * @defaultValue half the image width (the image cropped to the field of view)
   */
  radius?: number;
  /**
   * Centre of the field of view (and of the mask) as `[y, x]` in pixel coordinates, pixel centres at integers
   * (e.g. from a detected circle on an uncropped photo).
   * @defaultValue the image centre, `[(H − 1) / 2, (W − 1) / 2]`
   */
  center?: [number, number];
  /**
   * Standard deviation of the Gaussian that estimates the local average colour, in pixels, > 0.
   * @defaultValue `radius / 30` (Ben Graham's Kaggle code). The widely copied script that resizes to a
   * square `size` and blurs with `size / 30` uses twice that: pass `sigma: size / 30` to match it.
   */
  sigma?: number;
  /** Gain on the difference from the local average. @defaultValue 4 */
  scale?: number;
  /** Grey level added after scaling, and the value given to pixels outside the mask. @defaultValue 128 */
  offset?: number;
  /**
   * Radius of the circular mask as a fraction of `radius` (> 0); pixels farther than `maskRadius · radius` from
   * `center` are set to `offset`, hiding the bright ring the filter makes at the field-of-view edge.
   * `null` keeps every pixel. @defaultValue 0.9
   */
  maskRadius?: number | null;
  /**
   * Compute the blur on a coarser grid (see `gaussianBlur`'s `downsample`): `'auto'` uses 4 or 2 where
   * σ / factor ≥ 4 and the factor divides the image's sides (σ = 512/30 on 512²: 4, ~4× faster on wasm, ~0.02 grey
   * levels of blur difference on average inside the mask). `1` is the exact blur.
   * @defaultValue 1
   */
  downsample?: number | 'auto';
}

/**
 * Ben Graham's fundus colour normalisation (Kaggle Diabetic Retinopathy 2015, 1st place): subtract the local
 * average colour and amplify what is left, `scale·I − scale·Gσ(I) + offset` clipped to 0-255 (as OpenCV's
 * `addWeighted(img, 4, GaussianBlur(img, (0, 0), σ), −4, 128)` saturates), then a circular mask.
 *
 * The mask keeps pixels whose centre lies within `maskRadius · radius` of `center` (default: the image centre).
 * The Python recipe draws it with `cv2.circle` at the integer pixel (W//2, H//2) and radius `int(0.9·r)`, half a
 * pixel off-centre for even sizes; pass `center: [H >> 1, W >> 1]` and `maskRadius: Math.floor(0.9 * r) / r` to
 * reproduce it exactly. Unlike the 8-bit recipe, the blur is not rounded to integers (±1 after the ×4 gain).
 * NaN input gives NaN output inside the mask (spreading locally through the blur); outside it is `offset`.
 *
 * @param image RGB or grey, values 0-255, [H, W, C] or [N, H, W, C] with C = 1 or 3, cropped to the field of view.
 * @param args See {@link BenGrahamArgs}; defaults give Ben Graham's recipe.
 * @returns Values 0-255 (mid-grey 128 where the image is flat), same shape and rank, float32.
 * @example
 * ```ts
 * const square = resize(fovCroppedImage, 512);
 * const x = benGraham(square); // σ = 256 / 30, mask at 0.9 r
 * const asInTheScript = benGraham(square, { sigma: 512 / 30 });
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4 with 1 or 3 channels.
 * @throws {@link InvalidArgumentError} when `radius`, `sigma` or `maskRadius` is not a positive number,
 * `scale` or `offset` is not finite, `center` is not two finite numbers, or `downsample` does not fit the image.
 * @see B. Graham, "Kaggle Diabetic Retinopathy Detection competition report", 2015 (section "Preprocessing").
 */
function benGraham_<T extends Tensor3D | Tensor4D>(image: T, args: BenGrahamArgs = {}): T {
  const fn = 'benGraham';
  const scale = finiteNumber(fn, 'scale', args.scale ?? 4);
  const offset = finiteNumber(fn, 'offset', args.offset ?? 128);
  const maskRadius =
    args.maskRadius === null ? null : positiveNumber(fn, 'maskRadius', args.maskRadius ?? 0.9);
  if (args.radius !== undefined) positiveNumber(fn, 'radius', args.radius);
  if (args.sigma !== undefined) positiveNumber(fn, 'sigma', args.sigma);
  const center = args.center;
  if (
    center !== undefined &&
    !(Array.isArray(center) && center.length === 2 && center.every(Number.isFinite))
  ) {
    throw invalid(fn, 'center', '[y, x] of finite numbers', center);
  }
  return tidy(() => {
    const { batch, restore } = imageBatch(fn, image, [1, 3]);
    const [, h, w] = batch.shape;
    const radius = args.radius ?? w / 2;
    const sigma = args.sigma ?? radius / 30;
    const downsample = blurDownsampleFactor(fn, args.downsample ?? 1, sigma, h, w);
    const x = cast(batch, 'float32');
    const detail = sub(x, gaussianBlur(x, { sigma, downsample }));
    const out = clipKeepingNaN(add(mul(detail, scale), offset), 0, 255) as Tensor4D;
    if (maskRadius === null) return restore<T>(out);
    const [cy, cx] = center ?? [(h - 1) / 2, (w - 1) / 2];
    // Condition and fill value at the output's full shape: a broadcasting `where` tiles its inputs first,
    // which costs more than the whole filter on wasm.
    const inside = lessEqual(add(distanceSquared(h, w, cy, cx), zerosLike(out)), (maskRadius * radius) ** 2);
    return restore<T>(where(inside, out, fill(out.shape, offset)));
  });
}

/** [H, W, 1] squared distances of pixel centres from (cy, cx). Built on the device, nothing uploaded. */
function distanceSquared(h: number, w: number, cy: number, cx: number) {
  const dy2 = reshape(square(sub(range(0, h), cy)), [h, 1, 1]);
  const dx2 = reshape(square(sub(range(0, w), cx)), [1, w, 1]);
  return add(dy2, dx2);
}

export const benGraham = op({ benGraham_ });
