import type { Tensor3D } from '@tensorflow/tfjs-core';
import type { BalanceMode } from './balance.js';
import type { LabelArgs } from './labels.js';

/** What to do with a bad row (see `BadRowKind`): stop with a `DatasetError`, or skip it and record it in the summary. */
export type OnError = 'throw' | 'skip';

/**
 * A dataset's per-image preprocessing: synchronous (`Tensor3D` out), or `async` returning a tensor or an
 * object with an `image` tensor (a `fundusPipeline`'s result).
 */
export type DatasetTransform =
  | ((image: Tensor3D) => Tensor3D)
  | ((image: Tensor3D) => Promise<Tensor3D | { image: Tensor3D }>);

/**
 * Arguments every streaming dataset shares (`fromCsv`, `fromFolder`): labels, preprocessing, batching,
 * shuffling, balancing and error handling.
 */
export interface DatasetArgs extends LabelArgs {
  /**
   * Preprocessing applied to each decoded image (RGB float32 [H, W, 3], 0-255) before batching, e.g. the
   * package's `fundusPipeline` (the recommended transform) or a `compose(...)` chain. A synchronous transform
   * runs inside `tidy`; an `async` function (like `fundusPipeline`'s, which returns `{ image, … }`: its `image`
   * is taken) runs as is and must free its own intermediates (a plain function returning a promise fails: tidy
   * cannot span an await). It must not dispose its input (the dataset does). An error it throws stops the
   * stream whatever `onError` says (it is a bug, not a bad row).
   * @defaultValue undefined (images as decoded, then `size` if given)
   */
  transform?: DatasetTransform;
  /**
   * Resize every image (after `transform`) to size × size, or [height, width], with bilinear interpolation
   * (half-pixel centres, as TF2's `tf.image.resize`); images already that size are left alone. Images of
   * different sizes cannot be batched, so give this (or a transform that resizes) unless all images match.
   * Plain bilinear aliases on large downscales: prefer `fundusPipeline` (anti-aliased, FOV crop) for training.
   * @defaultValue undefined (no resize)
   */
  size?: number | readonly [number, number];
  /**
   * Images per batch of `dataset` (`elements` is unbatched).
   * @defaultValue 32
   */
  batchSize?: number;
  /**
   * Drop the last batch when it is smaller than `batchSize` (Keras' `drop_remainder`).
   * @defaultValue false
   */
  dropRemainder?: boolean;
  /**
   * Visit rows in a new seeded random order every epoch (a full permutation of row indices, which costs no
   * image memory, unlike a buffer of decoded images). Turn off for evaluation in file order.
   * @defaultValue true
   */
  shuffle?: boolean;
  /**
   * Seed of the shuffle and of the over/undersampling draw; epoch e uses (seed, e), so runs repeat exactly.
   * (The ratio split has its own seed.)
   * @defaultValue 0
   */
  seed?: number;
  /**
   * Class balancing; see {@link BalanceMode}. Over/undersampling need single-label tasks.
   * @defaultValue `'none'`
   */
  balance?: BalanceMode;
  /**
   * Bad rows: `'throw'` a `DatasetError` naming the file and CSV line, or `'skip'` them and list them in
   * `summary.skipped` (labels and missing files when the dataset is created, undecodable images as epochs meet them).
   * @defaultValue `'throw'`
   */
  onError?: OnError;
  /**
   * Images read and decoded concurrently ahead of the consumer. Decoding runs on sharp's threads in Node, so
   * this overlaps I/O and decoding with training; memory holds at most this many preprocessed images beyond
   * the batch being built. 1 reads strictly one at a time.
   * @defaultValue 4
   */
  prefetch?: number;
}
