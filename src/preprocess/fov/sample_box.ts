import { cast, pad, type Tensor4D, tensor1d, tensor2d, image as tfImage } from '@tensorflow/tfjs-core';

/**
 * Copies the window rows `top … top + height − 1`, columns `left … left + width − 1` out of `images`
 * [N, H, W, C] (the window may reach past the frame: those pixels get `fill`), as float32 [N, height, width, C].
 *
 * One `CropAndResize` (nearest) per call: slicing columns and padding take TF.js's cpu backend through a
 * per-element index path, over ten times slower than this kernel on a 1024-px photo. The sample grid is
 * contracted towards the frame's centre by 0.1 px over the longest span so that float32 rounding never pushes a
 * frame-edge pixel out of range (which would fill it); every sample stays within 0.1 px of its pixel, and nearest
 * rounding then picks exactly that pixel. Call inside `tidy`.
 */
export function sampleBox(
  images: Tensor4D,
  top: number,
  left: number,
  height: number,
  width: number,
  fill: number,
): Tensor4D {
  let source = cast(images, 'float32') as Tensor4D;
  let [n, h, w] = source.shape;
  // A one-pixel side would make CropAndResize's (size − 1) scale zero; a border of `fill` avoids that.
  if (h === 1 || w === 1) {
    source = pad(
      source,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      fill,
    );
    top += 1;
    left += 1;
    h += 2;
    w += 2;
  }
  const span = Math.max(h, w, Math.abs(top) + height, Math.abs(left) + width, 2);
  const shrink = 1 - 0.1 / span;
  const axis = (first: number, count: number, size: number): [number, number] => {
    const centre = (size - 1) / 2;
    const at = (p: number) => (centre + (p - centre) * shrink) / (size - 1); // normalised, contracted
    return [at(first), at(first + count - 1)];
  };
  const [y1, y2] = axis(top, height, h);
  const [x1, x2] = axis(left, width, w);
  const boxes = tensor2d(
    Array.from({ length: n }, () => [y1, x1, y2, x2]),
    [n, 4],
  );
  const index = tensor1d(
    Array.from({ length: n }, (_, i) => i),
    'int32',
  );
  return tfImage.cropAndResize(source, boxes, index, [height, width], 'nearest', fill);
}
