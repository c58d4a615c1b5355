import {
  add,
  avgPool,
  cast,
  fill,
  greater,
  isNaN as isNanTensor,
  max,
  op,
  slice,
  type Tensor3D,
  type Tensor4D,
  image as tfImage,
  tidy,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { type AreaWindow, resizeAreaAxis } from './area_weights.js';
import { booleanArg, invalid } from './check_args.js';
import { imageBatch } from './image_batch.js';

/** Interpolation: `'area'` averages the covered input (anti-aliased), `'bilinear'` and `'nearest'` sample. */
export type ResizeMethod = 'bilinear' | 'area' | 'nearest';

export interface ResizeArgs {
  /**
   * @defaultValue `'area'` when either side shrinks by more than 2× (bilinear would alias: it reads only 2×2
   * input pixels per output pixel), otherwise `'bilinear'`.
   */
  method?: ResizeMethod;
  /**
   * Bilinear/nearest only: map the corner pixels' centres onto each other (TF1 `align_corners`). By default
   * pixel centres are at half-integers, as OpenCV, PIL and TF2 (`half_pixel_centers`) do.
   * @defaultValue false
   */
  alignCorners?: boolean;
}

const METHODS: readonly ResizeMethod[] = ['bilinear', 'area', 'nearest'];

/**
 * Resizes images to `size`.
 *
 * - `'area'`: each output pixel is the average of the input area it covers, partly covered pixels weighted by
 *   the covered fraction: OpenCV's `INTER_AREA`, the anti-aliased choice for large downscales (e.g. a 4000 px
 *   photo to 512). Whole-number factors run as one average pool (fast everywhere); others as a banded weighted
 *   sum per axis (banded matrix products, ~30 ms for a 702² RGB crop → 512² on wasm).
 * - `'bilinear'`: OpenCV's `INTER_LINEAR` / `tf.image.resize` bilinear with half-pixel centres.
 * - `'nearest'`: nearest neighbour with half-pixel centres (as PIL's `NEAREST` and TF2's `'nearest'`); for masks.
 *
 * @param image Any value range, [H, W, C] or [N, H, W, C], any channel count.
 * @param size Output `[height, width]`, or one number for a square; positive integers.
 * @param args `method` (default: area when shrinking more than 2×, else bilinear) and `alignCorners`.
 * @returns [size..., C], same rank, float32, within the input's value range. NaN spreads to the output pixels
 * whose footprint covers it.
 * @example
 * ```ts
 * const small = resize(photo, 512); // 4000 × 2600 → 512 × 512 by area averaging
 * const mask = resize(lesionMask, [256, 384], { method: 'nearest' });
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4.
 * @throws {@link InvalidArgumentError} when `size` is not a positive integer or [height, width] of them, `method`
 * is unknown, or `alignCorners` is set with `'area'`.
 * @see OpenCV `cv::resize` (INTER_AREA, INTER_LINEAR); `tf.image.resizeBilinear`, `tf.image.resizeNearestNeighbor`.
 */
function resize_<T extends Tensor3D | Tensor4D>(
  image: T,
  size: number | [number, number],
  args: ResizeArgs = {},
): T {
  const fn = 'resize';
  const [outH, outW] = outputSize(fn, size);
  const alignCorners = booleanArg(fn, 'alignCorners', args.alignCorners ?? false);
  if (args.method !== undefined && !METHODS.includes(args.method)) {
    throw invalid(fn, 'method', `one of ${METHODS.map((m) => `'${m}'`).join(', ')}`, args.method);
  }
  if (args.method === 'area' && alignCorners) {
    throw invalid(fn, 'alignCorners', "false with method 'area'", true);
  }
  return tidy(() => {
    const { batch, restore } = imageBatch(fn, image);
    const [, h, w] = batch.shape;
    const x = cast(batch, 'float32');
    const method = args.method ?? (h > 2 * outH || w > 2 * outW ? 'area' : 'bilinear');
    if (method === 'bilinear') {
      return restore<T>(tfImage.resizeBilinear(x, [outH, outW], alignCorners, !alignCorners));
    }
    if (method === 'nearest') {
      return restore<T>(tfImage.resizeNearestNeighbor(x, [outH, outW], alignCorners, !alignCorners));
    }
    if (h % outH === 0 && w % outW === 0) {
      const factor: [number, number] = [h / outH, w / outW];
      return restore<T>(factor[0] === 1 && factor[1] === 1 ? x : avgPool(x, factor, factor, 'valid'));
    }
    // The area products multiply every input of a band by its weight, zero or not, so a NaN would reach
    // pixels outside its footprint: resize without NaN, and the NaN indicator (any channel) beside it.
    const nan = isNanTensor(x);
    const clean = where(nan, zerosLike(x), x);
    const spread = areaBothAxes(max(cast(nan, 'float32'), -1, true), outH, outW);
    const out = areaBothAxes(clean, outH, outW);
    return restore<T>(where(greater(add(spread, zerosLike(out)), 0), fill(out.shape, Number.NaN), out));
  });
}

/** Area resize of a float batch, the axis that shrinks most first (the second pass then has less to do). */
function areaBothAxes(x: Tensor4D, outH: number, outW: number): Tensor4D {
  const [, h, w] = x.shape;
  const rowsFirst = h / outH >= w / outW;
  const first = rowsFirst ? resizeAreaAxis(x, 1, outH) : resizeAreaAxis(x, 2, outW);
  return rowsFirst ? resizeAreaAxis(first, 2, outW) : resizeAreaAxis(first, 1, outH);
}

/**
 * Area resize of the window `rows` × `cols` of a float batch to [outH, outW], as if the window had been cut out
 * first with zeros where it leaves the image (what `cropToFov` then `resize(…, {method: 'area'})` computes),
 * without making the crop. The input must hold no NaN (it is not checked: a NaN would spread along its band).
 * Call inside `tidy`.
 */
export function areaResizeWindow(
  x: Tensor4D,
  outH: number,
  outW: number,
  rows: AreaWindow,
  cols: AreaWindow,
): Tensor4D {
  const [n, h, w, c] = x.shape;
  const rowsFirst = rows.length / outH >= cols.length / outW;
  // Keep only the image's part of the window along the axis resized second (the first pass reads only its
  // band; the second one, after a transpose, would otherwise move the whole axis).
  const keep = (win: AreaWindow, size: number) => {
    const from = Math.min(size - 1, Math.max(0, win.start));
    const to = Math.max(from + 1, Math.min(size, win.start + win.length));
    return { from, count: to - from, win: { start: win.start - from, length: win.length } };
  };
  const r = rowsFirst ? { from: 0, count: h, win: rows } : keep(rows, h);
  const k = rowsFirst ? keep(cols, w) : { from: 0, count: w, win: cols };
  const part =
    r.count === h && k.count === w
      ? x
      : (slice(x, [0, r.from, k.from, 0], [n, r.count, k.count, c]) as Tensor4D);
  if (rowsFirst) return resizeAreaAxis(resizeAreaAxis(part, 1, outH, r.win), 2, outW, k.win);
  return resizeAreaAxis(resizeAreaAxis(part, 2, outW, k.win), 1, outH, r.win);
}

function outputSize(fn: string, size: unknown): [number, number] {
  const pair = typeof size === 'number' ? [size, size] : size;
  const ok = Array.isArray(pair) && pair.length === 2 && pair.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) throw invalid(fn, 'size', 'a positive integer or [height, width] of positive integers', size);
  return pair as [number, number];
}

export const resize = op({ resize_ });
