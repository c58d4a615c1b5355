import { cast, op, pad, type Tensor3D, type Tensor4D, tidy } from '@tensorflow/tfjs-core';
import { finiteNumber } from './check_args.js';
import { imageBatch } from './image_batch.js';

export interface PadToSquareArgs {
  /** Fill value of the added rows or columns. @defaultValue 0 (black, like a fundus photo's surround) */
  value?: number;
}

/**
 * Pads the shorter side so the image becomes square, the image centred: for a side short of the longer by d,
 * `floor(d / 2)` rows/columns go before (top or left) and the rest after. Square images come back unchanged.
 * Use before `resize` to keep the aspect ratio (a round field of view stays round).
 *
 * @param image Any value range, [H, W, C] or [N, H, W, C], any channel count.
 * @param args `value`: the fill.
 * @returns [S, S, C] with S = max(H, W), same rank, float32.
 * @example
 * ```ts
 * const square = padToSquare(image); // 2144 × 1424 → 2144 × 2144, 360 black rows above, 360 below
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4.
 * @throws {@link InvalidArgumentError} when `value` is not a finite number.
 */
function padToSquare_<T extends Tensor3D | Tensor4D>(image: T, args: PadToSquareArgs = {}): T {
  const value = finiteNumber('padToSquare', 'value', args.value ?? 0);
  return tidy(() => {
    const { batch, restore } = imageBatch('padToSquare', image);
    const [, h, w] = batch.shape;
    const side = Math.max(h, w);
    const [top, left] = [Math.floor((side - h) / 2), Math.floor((side - w) / 2)];
    const paddings: Array<[number, number]> = [
      [0, 0],
      [top, side - h - top],
      [left, side - w - left],
      [0, 0],
    ];
    return restore<T>(pad(cast(batch, 'float32'), paddings, value));
  });
}

export const padToSquare = op({ padToSquare_ });
