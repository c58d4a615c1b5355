import { InvalidArgumentError } from '../../errors.js';
import type { FovCircle } from './fov_input.js';

/**
 * A crop rectangle in the original image's pixels: rows `top … top + height − 1`, columns
 * `left … left + width − 1`. It may reach past the frame (negative `top`, say) when a square crop is asked of a
 * field of view the frame cuts; the part outside was padded with zeros.
 */
export interface FovBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * The crop box of a field of view: the circle's bounding square grown by `margin`·r on every side, centred on the
 * circle (to the nearest pixel); unless `square`, clipped to the frame.
 */
export function fovBox(
  circle: FovCircle,
  margin: number,
  square: boolean,
  frame: readonly [number, number],
): FovBox {
  const reach = circle.r * (1 + margin);
  const size = Math.max(1, Math.round(2 * reach));
  // A box of `size` pixels starting at `start` has its centre at start + (size − 1)/2.
  const top = Math.round(circle.cy - (size - 1) / 2);
  const left = Math.round(circle.cx - (size - 1) / 2);
  if (square) return { top, left, height: size, width: size };
  const [h, w] = frame;
  const t = clamp(top, 0, h - 1);
  const l = clamp(left, 0, w - 1);
  return {
    top: t,
    left: l,
    height: Math.max(1, clamp(top + size, 1, h) - t),
    width: Math.max(1, clamp(left + size, 1, w) - l),
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Checks a {@link FovBox} (integers, positive size) and an [H, W] frame size.
 *
 * @throws {@link InvalidArgumentError} naming `fn` and the value.
 */
export function checkBox(fn: string, box: FovBox, frame: readonly number[]): void {
  const ok =
    box !== null &&
    typeof box === 'object' &&
    [box.top, box.left, box.height, box.width].every(Number.isInteger) &&
    box.height >= 1 &&
    box.width >= 1;
  if (!ok) {
    throw new InvalidArgumentError(
      'box',
      `${fn}: box must be {top, left, height, width} with integers and height, width ≥ 1, but got ${JSON.stringify(box)}.`,
      box,
    );
  }
  if (!Array.isArray(frame) || frame.length !== 2 || !frame.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new InvalidArgumentError(
      'originalSize',
      `${fn}: originalSize must be [height, width] with positive integers, but got ${JSON.stringify(frame)}.`,
      frame,
    );
  }
}
