import { type Tensor2D, type Tensor4D, tensor2d, tensor4d } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import { hashSeed, Rng } from './prng.js';
import {
  checkSeed,
  checkSize,
  type SyntheticFundusArgs,
  type SyntheticFundusInfo,
  synthesize,
} from './sample.js';
import type { DrGrade, QualityLabel } from './types.js';

/** What the labels `ys` describe. */
export type SyntheticTask = 'quality' | 'grade' | 'lesions' | 'anomaly';
const TASKS: readonly SyntheticTask[] = ['quality', 'grade', 'lesions', 'anomaly'];

/** Class (or, for `lesions`, label) names of each task, in `ys` column order. */
export const SYNTHETIC_TASK_LABELS: Record<SyntheticTask, readonly string[]> = {
  quality: ['good', 'poor'],
  grade: ['0', '1', '2', '3', '4'],
  lesions: ['MA', 'HE', 'EX', 'SE'],
  anomaly: ['normal', 'abnormal'],
};

/** Arguments of {@link syntheticDataset}. */
export interface SyntheticDatasetArgs {
  /** Number of images per epoch (a positive integer). */
  n: number;
  /**
   * The labels: `quality` 0 good / 1 poor (usable or reject), `[B, 1]`; `grade` DR grade 0-4 one-hot,
   * `[B, 5]`; `lesions` multi-hot MA, HE, EX, SE, `[B, 4]`; `anomaly` 0 no lesion / 1 any lesion, `[B, 1]`.
   */
  task: SyntheticTask;
  /**
   * Image side in pixels (64-2048).
   * @defaultValue `224`
   */
  size?: number;
  /**
   * Seed of the whole set: sample i is always the same image.
   * @defaultValue `0`
   */
  seed?: number;
  /**
   * Equal class frequencies: each run of K consecutive samples holds every one of the K classes once (for
   * `lesions`, each type is present with probability ½). Otherwise classes follow screening-like priors
   * (grade 0 73 %, quality good 55 %).
   * @defaultValue `true`
   */
  balanced?: boolean;
  /**
   * Images per batch; the last batch may be smaller.
   * @defaultValue `32`
   */
  batchSize?: number;
}

/** One batch: images `[B, size, size, 3]` (RGB 0-255) and labels (see {@link SyntheticDatasetArgs.task}). */
export interface SyntheticBatch {
  xs: Tensor4D;
  ys: Tensor2D;
}

/**
 * A lazy, finite stream of synthetic batches, rendered on demand (memory stays flat). Iterate it with
 * `for await`, or pass it to `model.fitDataset` (it has tfjs-data's `iterator()` and `size`). Each
 * iteration (epoch) yields the same `n` images in the same order.
 *
 * Ownership: every batch's `xs` and `ys` are new tensors the consumer disposes (`fitDataset` does it).
 */
export interface SyntheticDataset extends AsyncIterable<SyntheticBatch> {
  /** Batches per epoch, ⌈n / batchSize⌉ (tfjs-layers' `fitDataset` reads it as steps per epoch). */
  readonly size: number;
  readonly n: number;
  readonly batchSize: number;
  readonly task: SyntheticTask;
  /** Names of the label columns. */
  readonly labelNames: readonly string[];
  /** A fresh iterator from the first batch (tfjs-data's `Dataset.iterator()` shape). */
  iterator(): Promise<{ next(): Promise<IteratorResult<SyntheticBatch>> }>;
  /** The {@link syntheticFundus} arguments that regenerate sample i (e.g. at full size, with masks). */
  sampleArgs(i: number): SyntheticFundusArgs & { seed: number };
}

const GRADE_PRIOR = [0.73, 0.07, 0.15, 0.025, 0.025]; // EyePACS-like
const QUALITY_PRIOR = [0.55, 0.3, 0.15];

/**
 * A labelled set of synthetic fundus photographs for a quality, grade, multi-label lesion or anomaly task,
 * streamed as `{xs, ys}` batches. Powers demos and tests where no real data may be shipped.
 *
 * @example
 * ```ts
 * const ds = syntheticDataset({ n: 256, task: 'quality', size: 128, batchSize: 16 });
 * await model.fitDataset(ds, { epochs: 2 });     // fitDataset disposes each batch
 * for await (const { xs, ys } of ds) {           // or by hand: dispose what you take
 *   console.log(xs.shape, ys.shape);
 *   tf.dispose([xs, ys]);
 * }
 * ```
 * @throws {@link InvalidArgumentError} for a bad `n`, `task`, `size`, `seed`, `batchSize` or `balanced`.
 */
export function syntheticDataset(args: SyntheticDatasetArgs): SyntheticDataset {
  const fn = 'syntheticDataset';
  const { n, task, size = 224, seed = 0, balanced = true, batchSize = 32 } = args;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError('n', `${fn}: n must be a positive integer, but got ${String(n)}.`, n);
  }
  if (!TASKS.includes(task)) {
    throw new InvalidArgumentError(
      'task',
      `${fn}: task must be one of ${TASKS.join(', ')}, but got ${String(task)}.`,
      task,
    );
  }
  checkSize(fn, size);
  checkSeed(fn, seed);
  if (typeof balanced !== 'boolean') {
    throw new InvalidArgumentError(
      'balanced',
      `${fn}: balanced must be a boolean, but got ${String(balanced)}.`,
      balanced,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError(
      'batchSize',
      `${fn}: batchSize must be a positive integer, but got ${String(batchSize)}.`,
      batchSize,
    );
  }
  const labelNames = SYNTHETIC_TASK_LABELS[task];
  const sampleArgs = (i: number) => argsFor(task, size, seed, balanced, i);

  async function* batches(): AsyncGenerator<SyntheticBatch> {
    for (let start = 0; start < n; start += batchSize) {
      const b = Math.min(batchSize, n - start);
      const pixels = new Float32Array(b * size * size * 3);
      const labels = new Float32Array(b * (task === 'grade' || task === 'lesions' ? labelNames.length : 1));
      const width = labels.length / b;
      for (let k = 0; k < b; k++) {
        const { rendered, info } = synthesize(fn, sampleArgs(start + k));
        pixels.set(rendered.rgb, k * size * size * 3);
        labels.set(labelOf(task, info), k * width);
      }
      yield { xs: tensor4d(pixels, [b, size, size, 3]), ys: tensor2d(labels, [b, width]) };
      // Let timers and I/O run between batches: rendering is synchronous CPU work.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  return {
    size: Math.ceil(n / batchSize),
    n,
    batchSize,
    task,
    labelNames,
    iterator: async () => batches(),
    [Symbol.asyncIterator]: () => batches(),
    sampleArgs: (i: number) => {
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new InvalidArgumentError(
          'i',
          `${fn}: sample index must be an integer in [0, ${n}), but got ${i}.`,
          i,
        );
      }
      return sampleArgs(i);
    },
  };
}

/** The label row of one sample, from what was actually drawn. */
function labelOf(task: SyntheticTask, info: SyntheticFundusInfo): number[] {
  switch (task) {
    case 'quality':
      return [info.quality === 'good' ? 0 : 1];
    case 'grade':
      return [0, 1, 2, 3, 4].map((g) => (g === info.grade ? 1 : 0));
    case 'lesions':
      return (['MA', 'HE', 'EX', 'SE'] as const).map((t) => (info.lesionCounts[t] > 0 ? 1 : 0));
    case 'anomaly':
      return [info.grade > 0 ? 1 : 0];
  }
}

/**
 * Generator arguments of sample i: a class chosen by the balanced schedule (a seeded permutation of the K
 * classes in each run of K samples) or by the prior, turned into grade/lesions/quality settings.
 */
function argsFor(
  task: SyntheticTask,
  size: number,
  seed: number,
  balanced: boolean,
  i: number,
): SyntheticFundusArgs & { seed: number } {
  const sampleSeed = hashSeed(hashSeed(seed, 0x5eed), i);
  const rng = new Rng(hashSeed(sampleSeed, 99));
  const classes = task === 'grade' ? 5 : task === 'lesions' ? 0 : 2;
  let cls = 0;
  if (classes > 0 && balanced) {
    const block = Math.floor(i / classes);
    const order = new Rng(hashSeed(hashSeed(seed, 0xb10c), block)).shuffle([...Array(classes).keys()]);
    cls = order[i % classes]!;
  }
  // Images for the lesion tasks are gradable: good or usable.
  const gradable = (): QualityLabel => (rng.chance(0.8) ? 'good' : 'usable');
  const base = { size, seed: sampleSeed };
  switch (task) {
    case 'quality': {
      const label = balanced
        ? cls === 0
          ? 'good'
          : rng.chance(0.5)
            ? 'usable'
            : 'reject'
        : (['good', 'usable', 'reject'] as const)[rng.weighted(QUALITY_PRIOR)]!;
      return { ...base, quality: label, grade: rng.weighted(GRADE_PRIOR) as DrGrade };
    }
    case 'grade':
      return { ...base, quality: gradable(), grade: (balanced ? cls : rng.weighted(GRADE_PRIOR)) as DrGrade };
    case 'anomaly': {
      const grade = balanced ? (cls === 0 ? 0 : rng.int(1, 4)) : rng.weighted(GRADE_PRIOR);
      return { ...base, quality: gradable(), grade: grade as DrGrade };
    }
    case 'lesions': {
      if (!balanced) return { ...base, quality: gradable(), grade: rng.weighted(GRADE_PRIOR) as DrGrade };
      const lesions = {
        MA: rng.chance(0.5) ? rng.int(1, 20) : 0,
        HE: rng.chance(0.5) ? rng.int(1, 12) : 0,
        EX: rng.chance(0.5) ? rng.int(1, 8) : 0,
        SE: rng.chance(0.5) ? rng.int(1, 4) : 0,
      };
      return { ...base, quality: gradable(), lesions };
    }
  }
}
