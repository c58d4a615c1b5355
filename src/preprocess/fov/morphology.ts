import { maxPool, sub, type Tensor4D } from '@tensorflow/tfjs-core';

// Binary morphology on 0/1 float masks [N, h, w, 1] with square structuring elements, from max pooling (a kernel
// every backend has). 'same' padding ignores what lies outside the frame, so a mask touching the frame is not
// eroded from the frame's side: a field of view cut by the frame keeps its straight edge. Call inside `tidy`.

/**
 * Sliding maximum over a size × size window, as a column pass then a row pass: 2·size comparisons per pixel
 * instead of size², which matters on the cpu backend.
 */
export function maxFilter(x: Tensor4D, size: number): Tensor4D {
  return maxPool(maxPool(x, [size, 1], 1, 'same'), [1, size], 1, 'same');
}

/** Erosion as the complement of the dilated complement (the same padding rule on every backend). */
function erode(mask: Tensor4D, size: number): Tensor4D {
  return sub(1, maxFilter(sub(1, mask), size));
}

/** Opening: removes specks (JPEG noise, text strokes in the surround) narrower than `size`. */
export function open(mask: Tensor4D, size: number): Tensor4D {
  return maxFilter(erode(mask, size), size);
}
