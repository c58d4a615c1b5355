import {
  add,
  clipByValue,
  div,
  greater,
  lessEqual,
  matMul,
  mul,
  pow,
  reshape,
  sub,
  type Tensor4D,
  tensor2d,
  where,
} from '@tensorflow/tfjs-core';

/**
 * CIE L*a*b* (D65) from and to sRGB with the standard float formulas and OpenCV's constants
 * (`cv::cvtColor` COLOR_RGB2Lab / COLOR_Lab2RGB): sRGB gamma, the sRGB→XYZ matrix, white point Xn = 0.950456,
 * Zn = 1.088754, and the cube root with its linear toe below 0.008856. Internal to CLAHE, which changes L only.
 * (OpenCV's 8-bit conversion uses fixed-point tables instead, so its L can differ from this by ±1 of 255.)
 *
 * Works on F = (f(X/Xn), f(Y), f(Z/Zn)), from which L = 116·f(Y) − 16, a* = 500·(fx − fy), b* = 200·(fy − fz):
 * changing L by d while keeping a* and b* is adding d/116 to all three — no channel splitting needed.
 */

// sRGB → XYZ rows with the white point folded in (X/Xn, Y, Z/Zn).
const SRGB_TO_XYZN = [
  [0.412453 / 0.950456, 0.35758 / 0.950456, 0.180423 / 0.950456],
  [0.212671, 0.71516, 0.072169],
  [0.019334 / 1.088754, 0.119193 / 1.088754, 0.950227 / 1.088754],
];
// XYZ → sRGB columns scaled by the white point (so it takes X/Xn, Y, Z/Zn).
const XYZN_TO_SRGB = [
  [3.240479 * 0.950456, -1.53715, -0.498535 * 1.088754],
  [-0.969256 * 0.950456, 1.875991, 0.041556 * 1.088754],
  [0.055648 * 0.950456, -0.204043, 1.057311 * 1.088754],
];
const T0 = 0.008856; // (6/29)^3: below it f is linear
const F0 = 7.787 * T0 + 16 / 116; // f(T0)

/** [N, H, W, 3] × matrix (rows = output channels), as one matmul. */
function mix(x: Tensor4D, matrix: number[][]): Tensor4D {
  const [n, h, w, c] = x.shape;
  const flat = matMul(reshape(x, [n * h * w, c]), tensor2d(matrix), false, true);
  return reshape(flat, [n, h, w, matrix.length]) as Tensor4D;
}

/** RGB 0-255 (clipped to it) → F = (f(X/Xn), f(Y), f(Z/Zn)), [N, H, W, 3]. Call inside `tidy`. */
export function srgbToLabF(rgb: Tensor4D): Tensor4D {
  const c = div(clipByValue(rgb, 0, 255), 255);
  const linear = where(lessEqual(c, 0.04045), div(c, 12.92), pow(div(add(c, 0.055), 1.055), 2.4)) as Tensor4D;
  const t = mix(linear, SRGB_TO_XYZN);
  return where(greater(t, T0), pow(t, 1 / 3), add(mul(t, 7.787), 16 / 116)) as Tensor4D;
}

/** L* (0-100) of F, [N, H, W, 1]. */
export function lightness(f: Tensor4D): Tensor4D {
  return sub(mix(f, [[0, 116, 0]]), 16) as Tensor4D;
}

/** F → RGB 0-255, clipped to the sRGB gamut. Call inside `tidy`. */
export function labFToSrgb(f: Tensor4D): Tensor4D {
  const t = where(greater(f, F0), pow(f, 3), div(sub(f, 16 / 116), 7.787)) as Tensor4D;
  const linear = clipByValue(mix(t, XYZN_TO_SRGB), 0, 1);
  const encoded = where(
    lessEqual(linear, 0.0031308),
    mul(linear, 12.92),
    sub(mul(pow(linear, 1 / 2.4), 1.055), 0.055),
  );
  return mul(encoded, 255) as Tensor4D;
}
