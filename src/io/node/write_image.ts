import { extname } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import { imageBytes } from '../to_uint8.js';
import { loadSharp } from './load_sharp.js';

/** Arguments of Node's {@link writeImage}. */
export interface WriteImageArgs {
  /**
   * JPEG quality 1-100 (ignored for PNG).
   * @defaultValue 90
   */
  quality?: number;
}

/**
 * Writes an image tensor to a PNG or JPEG file (chosen by the extension), through sharp.
 *
 * @param image [H, W, 1|3|4], values 0-255 (clipped and rounded).
 * @example
 * ```ts
 * await writeImage('out/overlay.png', overlayTensor);
 * ```
 * @throws {@link ShapeError} for another shape; {@link InvalidArgumentError} for another extension or a bad
 * quality.
 */
export async function writeImage(path: string, image: Tensor, args: WriteImageArgs = {}): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (!['.png', '.jpg', '.jpeg'].includes(ext)) {
    throw new InvalidArgumentError(
      'path',
      `writeImage: path must end in .png, .jpg or .jpeg, but got '${path}'.`,
      path,
    );
  }
  const quality = args.quality ?? 90;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new InvalidArgumentError(
      'quality',
      `writeImage: quality must be an integer 1-100, but got ${quality}.`,
      quality,
    );
  }
  const { data, width, height, channels } = await imageBytes('writeImage', image);
  const sharp = await loadSharp('writeImage');
  const pipeline = sharp(data, { raw: { width, height, channels } });
  await (ext === '.png' ? pipeline.png() : pipeline.jpeg({ quality })).toFile(path);
}
