import { type Tensor, type Tensor3D, type Tensor4D, tidy } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import { DETECTION, detectFov } from './detect_fov.js';
import { type FovArgs, fovSettings } from './fov_args.js';
import { type FovCircle, fovImageBatch } from './fov_input.js';

/**
 * Finds the circular field of view of a fundus photograph: its centre and radius in the input's pixels. The
 * detection runs on the device (see {@link fovCircleTensor} for how); this reads back its few numbers: one small
 * data read per call.
 *
 * @param image RGB or grey, values 0-255, [H, W, 1|3] or [N, H, W, 1|3], at least 8×8.
 * @returns one {@link FovCircle} for one image, an array for a batch. The circle may reach past the frame: a
 * field of view cut at the top and bottom keeps its full radius.
 * @example
 * ```ts
 * const { cx, cy, r } = await fovCircle(await readImage('eye.jpg'));
 * ```
 * @throws {@link InvalidArgumentError} (argument `image`) when no field of view is found (a blank or uniform
 * image: contrast with the surround below `minContrast`), or the image holds NaN; the message names the image's
 * index in a batch.
 * @throws {@link ShapeError} for another rank, channel count or dtype, or an image under 8×8.
 */
export async function fovCircle(image: Tensor3D, args?: FovArgs): Promise<FovCircle>;
export async function fovCircle(image: Tensor4D, args?: FovArgs): Promise<FovCircle[]>;
export async function fovCircle(
  image: Tensor3D | Tensor4D,
  args: FovArgs = {},
): Promise<FovCircle | FovCircle[]> {
  const circles = await detectCircles('fovCircle', image, args);
  return image.rank === 3 ? circles[0]! : circles;
}

/**
 * Runs the detector and reads its rows: the one data read. Throws for images with NaN or no field of view.
 */
export async function detectCircles(fn: string, image: Tensor, args: FovArgs): Promise<FovCircle[]> {
  const settings = fovSettings(fn, args);
  const detection = tidy(() => detectFov(fovImageBatch(fn, image).batch, settings));
  const values = await detection.data();
  detection.dispose();
  const width = detection.shape[1];
  const batch = image.rank === 4;
  const circles: FovCircle[] = [];
  for (let i = 0; i < detection.shape[0]; i++) {
    const row = values.subarray(i * width, (i + 1) * width);
    const which = batch ? ` (image ${i} of the batch)` : '';
    if (row[DETECTION.hasNaN] === 1) {
      throw new InvalidArgumentError('image', `${fn}: image holds NaN values${which}.`, image.shape);
    }
    if (row[DETECTION.found] !== 1) {
      throw new InvalidArgumentError(
        'image',
        `${fn}: no field of view found${which}: nothing differs from the surround (the image corners) by at least minContrast = ${settings.minContrast}.`,
        image.shape,
      );
    }
    circles.push({ cx: row[DETECTION.cx]!, cy: row[DETECTION.cy]!, r: row[DETECTION.r]! });
  }
  return circles;
}
