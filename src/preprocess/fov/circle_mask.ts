import {
  cast,
  greater,
  less,
  lessEqual,
  logicalOr,
  range,
  reshape,
  type Scalar,
  slice,
  square,
  sub,
  type Tensor1D,
  type Tensor3D,
  where,
} from '@tensorflow/tfjs-core';
import { outerSum } from './grids.js';

/** Squared distance that no pixel inside the frame reaches: marks rows and columns outside the extent. */
const FAR = 1e12;

/**
 * Rasterises one circle (cx, cy, r) [3] (input pixels, centres at integers) into a 0/1 float32 mask
 * [height, width, 1]: a pixel is inside when its centre is within r of the circle's centre and inside the
 * `extent` [4] = (top, bottom, left, right) when given. The frame clips the circle, so a field of view cut by the
 * frame gives the part of the disc inside the image. A NaN circle gives an all-zero mask. Call inside `tidy`.
 */
export function circleMask(circle: Tensor1D, height: number, width: number, extent?: Tensor1D): Tensor3D {
  const part = (t: Tensor1D, i: number) => reshape(slice(t, [i], [1]), []) as Scalar;
  const offsets = (size: number, centre: Scalar, lowIndex: number) => {
    const coordinate = range(0, size);
    const d2 = square(sub(coordinate, centre));
    if (extent === undefined) return d2;
    const outside = logicalOr(
      less(coordinate, part(extent, lowIndex)),
      greater(coordinate, part(extent, lowIndex + 1)),
    );
    return where(outside, FAR, d2);
  };
  const d2 = outerSum(offsets(height, part(circle, 1), 0), offsets(width, part(circle, 0), 2)); // dy² + dx²
  return reshape(cast(lessEqual(d2, square(part(circle, 2))), 'float32'), [height, width, 1]) as Tensor3D;
}
