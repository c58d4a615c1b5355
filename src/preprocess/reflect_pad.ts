import { gather, mirrorPad, pad, type Tensor4D, tensor1d } from '@tensorflow/tfjs-core';

/**
 * Source index of each padded position along an axis of length `size`, for OpenCV's default border
 * BORDER_REFLECT_101 (`gfedcb|abcdefgh|gfedcba`: mirrored without repeating the edge, as `tf.mirrorPad`'s
 * 'reflect'), reflecting again as often as needed, so the padding may exceed the axis (`mirrorPad` cannot).
 * Same rule as OpenCV's `borderInterpolate`; a length-1 axis repeats its only pixel.
 */
export function reflect101Indices(size: number, before: number, after: number): Int32Array {
  const out = new Int32Array(before + size + after);
  for (let i = 0; i < out.length; i++) {
    let p = i - before;
    if (size === 1) p = 0;
    while (p < 0 || p >= size) p = p < 0 ? -p : 2 * (size - 1) - p;
    out[i] = p;
  }
  return out;
}

/**
 * Pads axis 1 (rows) or 2 (columns) of a batch with BORDER_REFLECT_101. Uses `mirrorPad` when the padding
 * fits inside the axis (a gather is several times slower on wasm), else one gather. Call inside `tidy`.
 */
export function padReflect101(x: Tensor4D, axis: 1 | 2, before: number, after: number): Tensor4D {
  if (before === 0 && after === 0) return x;
  const size = x.shape[axis];
  if (before < size && after < size) {
    const widths: [number, number][] = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    widths[axis] = [before, after];
    return mirrorPad(x, widths, 'reflect');
  }
  const indices = reflect101Indices(size, before, after);
  return gather(x, tensor1d(indices, 'int32'), axis) as Tensor4D;
}

/**
 * Pads `axis` with BORDER_REFLECT_101 for `reflect` positions on each side, then with zeros up to `before` /
 * `after`: for filters whose taps reach only `reflect` positions, the ones beyond meet zero weights, so their
 * values do not matter and a cheap zero pad replaces the reflection.
 */
export function padReflectThenZero(
  x: Tensor4D,
  axis: 1 | 2,
  reflect: number,
  before: number,
  after: number,
): Tensor4D {
  const size = x.shape[axis];
  // One mirrorPad when it reaches (extra reflected positions are as harmless as zeros).
  if (reflect >= size || (before < size && after < size)) return padReflect101(x, axis, before, after);
  const mirrored = padReflect101(x, axis, reflect, reflect);
  const widths: [number, number][] = [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  widths[axis] = [before - reflect, after - reflect];
  return pad(mirrored, widths);
}
