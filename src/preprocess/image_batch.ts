import { reshape, type Tensor, type Tensor3D, type Tensor4D } from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';

/**
 * Shared input handling of the image transforms, which (like tfjs-core ops) accept one image [H, W, C] or a
 * batch [N, H, W, C] and return the same rank: validate, view as a batch, and give the rank back after.
 */
export interface ImageBatch {
  /** The input as [N, H, W, C] (a reshape of a rank-3 input, not a copy). */
  batch: Tensor4D;
  /** Puts a [N, H', W', C'] result back in the caller's rank (`T` is the caller's input type). */
  restore<T extends Tensor3D | Tensor4D>(out: Tensor4D): T;
}

/** Allowed channel counts, e.g. `[1, 3]`; undefined allows any. */
export type ChannelRule = readonly number[] | undefined;

/**
 * Checks `image` is a float/int rank-3 or rank-4 image tensor with allowed channels, and views it as a batch.
 * Call inside `tidy`.
 *
 * @throws {@link ShapeError} `"<fn>: image must be rank 3 or 4, but got rank 2 (shape [512,512])."` and the
 * like for channels, empty dimensions and non-numeric dtypes.
 */
export function imageBatch(fn: string, image: Tensor, channels?: ChannelRule): ImageBatch {
  const shape = image.shape;
  const described = `shape [${shape.join(',')}]`;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new ShapeError(
      `${fn}: image must be rank 3 or 4, but got rank ${shape.length} (${described}).`,
      shape,
    );
  }
  if (image.dtype !== 'float32' && image.dtype !== 'int32') {
    throw new ShapeError(
      `${fn}: image must be float32 or int32, but got ${image.dtype} (${described}).`,
      shape,
    );
  }
  if (shape.some((d) => d === 0)) {
    throw new ShapeError(`${fn}: image must not be empty, but got ${described}.`, shape);
  }
  const c = shape[shape.length - 1]!;
  if (channels !== undefined && !channels.includes(c)) {
    throw new ShapeError(
      `${fn}: image must have ${channels.join(' or ')} channels, but got ${c} (${described}).`,
      shape,
    );
  }
  const wasRank3 = shape.length === 3;
  const batch = (wasRank3 ? reshape(image, [1, shape[0]!, shape[1]!, shape[2]!]) : image) as Tensor4D;
  return {
    batch,
    restore: <T extends Tensor3D | Tensor4D>(out: Tensor4D) =>
      (wasRank3 ? reshape(out, out.shape.slice(1) as [number, number, number]) : out) as T,
  };
}
