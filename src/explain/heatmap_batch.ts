import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';

/**
 * A heatmap for an image batch [N, H, W, C]: [H, W] (rank-3 image) or [N, H, W] (rank-4 image), or either with a
 * trailing 1, as [N, H, W, 1] float32 — bilinearly resized (half-pixel centres) when its size differs, NaN read as
 * 0. Call inside `tidy`.
 *
 * @throws {@link ShapeError} naming `fn` when the ranks or batch sizes do not fit.
 */
export function heatmapBatch(
  fn: string,
  heatmap: tf.Tensor,
  image: tf.Tensor4D,
  imageRank: number,
): tf.Tensor4D {
  const shape = heatmap.shape;
  const squeezed = shape.length === imageRank && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : shape;
  const [n, height, width] = image.shape;
  const batchOk = imageRank === 3 ? squeezed.length === 2 : squeezed.length === 3 && squeezed[0] === n;
  if (!(heatmap instanceof tf.Tensor) || !batchOk || squeezed.some((d) => d === 0)) {
    throw new ShapeError(
      `${fn}: heatmap must be ${imageRank === 3 ? '[h, w]' : `[${n}, h, w]`} for an image of shape [${imageRank === 3 ? image.shape.slice(1) : image.shape}], but got ${heatmap instanceof tf.Tensor ? `shape [${shape.join(',')}]` : String(heatmap)}.`,
      heatmap instanceof tf.Tensor ? shape : [],
    );
  }
  const [h, w] = squeezed.slice(-2) as [number, number];
  let map = tf.reshape(tf.cast(heatmap, 'float32'), [n, h, w, 1]) as tf.Tensor4D;
  map = tf.where(tf.isNaN(map), tf.zerosLike(map), map);
  if (h !== height || w !== width) map = tf.image.resizeBilinear(map, [height, width], false, true);
  return map;
}
