import type { Dataset } from '@tensorflow/tfjs-data';
import type { ClassWeights } from './balance.js';
import type { LabelTask } from './labels.js';
import type { DatasetBatch, DatasetElement } from './stream_dataset.js';
import type { DatasetSummary } from './summary.js';

/** One row a dataset streams. */
export interface DatasetRow {
  /** The image file, resolved (absolute for `fromCsv`/`fromFolder`). */
  file: string;
  /** 1-based CSV line (header = 1); undefined for folders. */
  line: number | undefined;
  /** The raw label text (cells joined with `,` for several label columns). */
  label: string;
  /** The `ys` values. */
  target: readonly number[];
  /** Class index for single-label tasks (binary 0/1, grade = the grade); −1 for multi-label. */
  classIndex: number;
}

/**
 * A streaming, labelled image dataset and what is known about it without decoding anything.
 *
 * **Tensor ownership.** Nothing is decoded until a dataset is iterated, and nothing is kept across elements.
 * `dataset` stacks elements into batches and disposes the per-image tensors itself; each batch then belongs
 * to the consumer: `model.fitDataset` disposes it, a `forEachAsync`/`iterator()` loop must `tf.dispose` it.
 * Elements of `elements` likewise belong to whoever takes them (tf.data's `map`/`batch` dispose inputs they
 * replace). An epoch abandoned midway (e.g. `take(n)`) leaves at most `prefetch` preprocessed images
 * undisposed, because tf.data never tells a source it was abandoned.
 */
export interface FundusDataset {
  /** Batches `{xs: [B, H, W, 3], ys: [B, width]}` (float32), one epoch per iteration: pass to `model.fitDataset`. */
  readonly dataset: Dataset<DatasetBatch>;
  /** The same stream unbatched, `{xs: [H, W, 3], ys: [width]}`, to add your own `map` (augmentation) before `batch`. */
  readonly elements: Dataset<DatasetElement>;
  /** The task the labels were encoded for. */
  readonly task: LabelTask;
  /** Class names in target order (`grade`: `'0'` …; `binary`: [negative, positive]). */
  readonly classes: readonly string[];
  /** The rows this dataset streams (its subset, bad rows left out), in file order. */
  readonly rows: readonly DatasetRow[];
  /** Elements per epoch, after balancing (before images that fail to decode are skipped). */
  readonly size: number;
  /** Batches per epoch for `size` elements (`fitDataset`'s `batchesPerEpoch` when you need one). */
  readonly batchesPerEpoch: number;
  /** Rows per class in `rows` (multi-label: rows with the class present), before balancing. */
  readonly classCounts: readonly number[];
  /**
   * With `balance: 'classWeights'` and a single-label task: n / (k · n_c) per class, for
   * `model.fitDataset(dataset, {classWeight})`. Undefined otherwise.
   */
  readonly classWeights: ClassWeights | undefined;
  /**
   * With `balance: 'classWeights'` and `task: 'multilabel'`: negatives / positives per class, for a weighted
   * binary cross-entropy (`posWeight`). Undefined otherwise.
   */
  readonly positiveWeights: readonly number[] | undefined;
  /** What was read and skipped; `skipped` grows as epochs meet undecodable images. See `formatSummary`. */
  readonly summary: DatasetSummary;
}
