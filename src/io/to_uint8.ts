import { cast, clipByValue, round, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';

/** Checks an image to encode is [H, W, 1|3|4] and returns its 0-255 values rounded to bytes. */
export async function imageBytes(
  fn: string,
  image: Tensor,
): Promise<{ data: Uint8Array; height: number; width: number; channels: 1 | 3 | 4 }> {
  const shape = image.shape;
  if (shape.length !== 3 || ![1, 3, 4].includes(shape[2]!)) {
    throw new ShapeError(`${fn}: image must be [H, W, 1|3|4], but got shape [${shape.join(',')}].`, shape);
  }
  const bytes = tidy(() => cast(round(clipByValue(image, 0, 255)), 'int32'));
  const values = await bytes.data();
  bytes.dispose();
  return {
    data: Uint8Array.from(values),
    height: shape[0]!,
    width: shape[1]!,
    channels: shape[2] as 1 | 3 | 4,
  };
}
