import { InvalidArgumentError } from '../errors.js';
import { mixSeed, mulberry32, STREAM, sampleWithoutReplacement, shuffleInPlace } from './random.js';

/**
 * How a dataset counters class imbalance:
 * - `none`: rows as they are;
 * - `oversample`: each epoch, every class is brought up to the largest class's count by repeating its rows
 *   (whole copies, then a seeded draw without replacement for the remainder);
 * - `undersample`: each epoch, every class is cut down to the smallest class's count by a seeded draw;
 * - `classWeights`: rows as they are; the dataset also returns `classWeights` for `model.fitDataset`'s
 *   `classWeight` (single-label tasks) or `positiveWeights` for a weighted binary cross-entropy (multi-label).
 */
export type BalanceMode = 'none' | 'oversample' | 'undersample' | 'classWeights';

/** Class index → loss weight, the shape of tfjs-layers' `classWeight`. */
export type ClassWeights = Record<number, number>;

/**
 * "Balanced" class weights, w_c = n / (k · n_c) with n rows and k classes (scikit-learn's
 * `compute_class_weight('balanced')`): each class then contributes equally to the loss. Classes with no row
 * are left out (no sample would use their weight).
 *
 * @param counts Rows per class, in class-index order.
 * @example
 * ```ts
 * classWeightsFromCounts([6, 3, 1]); // {0: 10/18, 1: 10/9, 2: 10/3}
 * ```
 * @throws {@link InvalidArgumentError} for an empty list or a negative / non-integer count.
 */
export function classWeightsFromCounts(counts: readonly number[]): ClassWeights {
  checkCounts('classWeightsFromCounts', counts);
  const n = counts.reduce((a, b) => a + b, 0);
  const weights: ClassWeights = {};
  counts.forEach((count, c) => {
    if (count > 0) weights[c] = n / (counts.length * count);
  });
  return weights;
}

/**
 * Per-class positive weights for a multi-label binary cross-entropy, w_c = negatives_c / positives_c
 * (PyTorch's `BCEWithLogitsLoss(pos_weight=…)` convention), so rare findings are not drowned by negatives. A
 * class with no positive gets 1 (there is nothing to re-weight).
 *
 * @param positives Rows with each class present.
 * @param total All rows.
 * @example
 * ```ts
 * positiveWeightsFromCounts([2, 5, 0], 10); // [4, 1, 1]
 * ```
 * @throws {@link InvalidArgumentError} when a count is negative, not an integer or above `total`.
 */
export function positiveWeightsFromCounts(positives: readonly number[], total: number): number[] {
  checkCounts('positiveWeightsFromCounts', positives);
  if (!Number.isInteger(total) || positives.some((p) => p > total)) {
    throw new InvalidArgumentError(
      'total',
      `positiveWeightsFromCounts: total must be an integer ≥ every positive count, but got ${total} for [${positives.join(', ')}].`,
      total,
    );
  }
  return positives.map((p) => (p === 0 ? 1 : (total - p) / p));
}

function checkCounts(fn: string, counts: readonly number[]): void {
  if (counts.length === 0 || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new InvalidArgumentError(
      'counts',
      `${fn}: counts must be a non-empty list of non-negative integers, but got [${counts.join(', ')}].`,
      counts,
    );
  }
}

/** What decides one epoch's row order. */
export interface EpochOrderArgs {
  balance: BalanceMode;
  shuffle: boolean;
  seed: number;
  /** 0-based epoch: each epoch draws its own resample and shuffle, reproducibly. */
  epoch: number;
}

/**
 * The row indices one epoch visits: resampled per `balance` (by class index; −1 = multi-label rows, which
 * cannot be resampled by class) and shuffled when asked, both seeded by (seed, epoch).
 */
export function epochOrder(classIndex: readonly number[], args: EpochOrderArgs): number[] {
  let order: number[];
  if (args.balance === 'oversample' || args.balance === 'undersample') {
    const byClass = new Map<number, number[]>();
    classIndex.forEach((c, i) => {
      const members = byClass.get(c);
      if (members) members.push(i);
      else byClass.set(c, [i]);
    });
    const sizes = [...byClass.values()].map((m) => m.length);
    const target = args.balance === 'oversample' ? Math.max(...sizes) : Math.min(...sizes);
    const random = mulberry32(mixSeed(args.seed, STREAM.balance, args.epoch));
    order = [];
    for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
      const members = byClass.get(c)!;
      for (let copy = 0; copy < Math.floor(target / members.length); copy++) order.push(...members);
      order.push(...sampleWithoutReplacement(members, target % members.length, random));
    }
    order.sort((a, b) => a - b);
  } else {
    order = classIndex.map((_, i) => i);
  }
  if (args.shuffle) shuffleInPlace(order, mulberry32(mixSeed(args.seed, STREAM.shuffle, args.epoch)));
  return order;
}
