import type { Tensor } from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { imageBatch } from '../image_batch.js';

/** A field of view's circle in the input's pixel coordinates (pixel centres at integers, x right, y down). */
export interface FovCircle {
  /** Centre column. */
  cx: number;
  /** Centre row. */
  cy: number;
  /** Radius in pixels. */
  r: number;
}

/** Smallest image side the detector accepts. */
export const MIN_FOV_IMAGE_SIDE = 8;

/**
 * Validates a field-of-view image and views it as a batch: rank 3 or 4, 1 or 3 channels, at least 8×8 pixels.
 * Call inside `tidy`.
 *
 * @throws {@link ShapeError} naming `fn` and the shape.
 */
export function fovImageBatch(fn: string, image: Tensor) {
  const view = imageBatch(fn, image, [1, 3]);
  const [, h, w] = view.batch.shape;
  if (h < MIN_FOV_IMAGE_SIDE || w < MIN_FOV_IMAGE_SIDE) {
    throw new ShapeError(
      `${fn}: image must be at least ${MIN_FOV_IMAGE_SIDE}×${MIN_FOV_IMAGE_SIDE} pixels, but got shape [${image.shape.join(',')}].`,
      image.shape,
    );
  }
  return view;
}

/**
 * Checks a caller-given circle, or one per image of a batch of `n`; a single circle applies to every image.
 *
 * @throws {@link InvalidArgumentError} naming `fn`.
 */
export function givenCircles(fn: string, circle: FovCircle | FovCircle[], n: number): FovCircle[] {
  const list = Array.isArray(circle) ? circle : Array.from({ length: n }, () => circle);
  if (list.length !== n) {
    throw new InvalidArgumentError(
      'circle',
      `${fn}: circle must be one circle or one per image (${n}), but got ${list.length}.`,
      circle,
    );
  }
  for (const c of list) {
    const ok =
      c !== null &&
      typeof c === 'object' &&
      [c.cx, c.cy, c.r].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
      c.r > 0;
    if (!ok) {
      throw new InvalidArgumentError(
        'circle',
        `${fn}: circle must be {cx, cy, r} with finite numbers and r > 0, but got ${JSON.stringify(c)}.`,
        c,
      );
    }
  }
  return list;
}
