import {
  add,
  clipByValue,
  mul,
  reshape,
  slice,
  sub,
  type Tensor3D,
  type Tensor4D,
  tensor3d,
} from '@tensorflow/tfjs-core';
import type { AxisPad } from './area_resize_data.js';
import { decimatedGaussianBlur } from './decimated_blur.js';
import { gaussianKernel, gaussianKernelSize } from './gaussian_blur.js';
import { blockLayout, filterAxis, filterPadded } from './row_filter.js';

/** An axis-aligned ellipse in pixel coordinates (pixel centres at integers). */
export interface PixelEllipse {
  cy: number;
  cx: number;
  ry: number;
  rx: number;
}

/** Settings of {@link benGrahamMasked}. */
export interface BenGrahamMaskedSettings {
  sigma: number;
  scale: number;
  offset: number;
  /** Blur on a grid this many times coarser (`decimatedGaussianBlur`); 1: the exact blur. */
  downsample: number;
  /** Pixels whose centre lies within this ellipse keep their value; the others become `offset`. */
  ellipse: PixelEllipse;
}

/**
 * `benGraham` followed by the field-of-view mask, fused for an image known to be float32 and free of NaN
 * (what `fundusPipeline` has after detection): `clip((x − blur(x)) · m + offset, 0, 255)` with `m = scale`
 * inside the ellipse and 0 outside, so the mask costs one product instead of a comparison and a select, and
 * no NaN guard is needed. With `downsample` 1, the same values as `benGraham(x, {maskRadius: null})` then a select on the ellipse test
 * `((y − cy)/ry)² + ((x − cx)/rx)² ≤ 1` evaluated in float32 as the tensor version does. Call inside `tidy`.
 */
export function benGrahamMasked(
  image: Tensor3D,
  s: BenGrahamMaskedSettings,
  rowsPadded?: Tensor4D,
): Tensor3D {
  const [h, w, c] = image.shape;
  const gain = tensor3d(ellipseGain(h, w, c, s.ellipse, s.scale), [h, w, c]);
  const blurred =
    s.downsample > 1
      ? reshape(decimatedGaussianBlur(reshape(image, [1, h, w, c]), s.sigma, s.downsample), [h, w, c])
      : exactBlur(image, s.sigma, rowsPadded);
  return clipByValue(add(mul(sub(image, blurred), gain), s.offset), 0, 255) as Tensor3D;
}

/** The exact separable blur, from `rowsPadded` when given. */
function exactBlur(image: Tensor3D, sigma: number, rowsPadded?: Tensor4D): Tensor3D {
  const [h, w, c] = image.shape;
  const kernel = gaussianKernel(sigma, gaussianKernelSize(sigma));
  // With `rowsPadded` (the image with its rows padded as benGrahamRowPadding says), the first pass pads nothing.
  const down =
    rowsPadded === undefined
      ? filterAxis(reshape(image, [1, h, w, c]) as Tensor4D, 1, kernel)
      : filterPadded(rowsPadded, 1, kernel);
  const rows = down.shape[1] === h ? down : (slice(down, [0, 0, 0, 0], [1, h, w, c]) as Tensor4D);
  return reshape(filterAxis(rows, 2, kernel), [h, w, c]);
}

/**
 * The row padding `benGrahamMasked` expects of its `rowsPadded` input for an image of `h` rows and `sigma`:
 * what `filterAxis` pads along the rows (reflect-101 over the kernel's half-width, then up to whole blocks).
 */
export function benGrahamRowPadding(h: number, sigma: number): AxisPad {
  const { before, after } = blockLayout(h, gaussianKernelSize(sigma));
  return { before, after };
}

/** [h · w · c]: `scale` where the pixel centre is inside the ellipse (float32 arithmetic), else 0. */
export function ellipseGain(h: number, w: number, c: number, e: PixelEllipse, scale: number): Float32Array {
  const f = Math.fround;
  const square = (i: number, centre: number, radius: number) => {
    const d = f(f(i - f(centre)) / f(radius));
    return f(d * d);
  };
  const dy2 = Float32Array.from({ length: h }, (_, i) => square(i, e.cy, e.ry));
  const dx2 = Float32Array.from({ length: w }, (_, j) => square(j, e.cx, e.rx));
  const out = new Float32Array(h * w * c);
  // Each row's inside is one run of columns: dx2 (rounded) grows with the distance from cx on either side.
  for (let i = 0; i < h; i++) {
    let first = -1;
    let last = -2;
    for (let j = 0; j < w; j++) {
      if (f(dy2[i]! + dx2[j]!) > 1) continue;
      if (first < 0) first = j;
      last = j;
    }
    if (first >= 0) out.fill(scale, (i * w + first) * c, (i * w + last + 1) * c);
  }
  return out;
}
