import type { MetricMatrix, MetricVector } from './inputs.js';
import {
  averageColumns,
  binaryColumns,
  checkAverage,
  checkOnUndefined,
  flattenColumns,
  type OnUndefined,
  perColumn,
  type ScoreAverage,
} from './per_class.js';
import { aucFromCounts } from './roc_curve.js';

/** Arguments of {@link rocAuc}. */
export interface RocAucArgs {
  /**
   * How per-class AUCs combine for `[n, K]` scores: `macro` (unweighted mean over classes, one-vs-rest for
   * class labels, per column for a multi-label indicator), `weighted` (by each class's positives) or `micro`
   * (all cells of the one-hot / indicator matrix as one binary problem). Ignored for binary input.
   * @defaultValue `'macro'`
   */
  average?: ScoreAverage;
  /**
   * A class with no positive or no negative sample has no AUC: `throw` an {@link UndefinedMetricError}
   * (scikit-learn raises too), or `skip` it in the average (e.g. a rare finding absent from a validation split).
   * @defaultValue `'throw'`
   */
  onUndefined?: OnUndefined;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative (ties count
 * one half). Binary (`yScore` one value per sample, yTrue 0/1), multi-class one-vs-rest (`yScore` `[n, K]`,
 * yTrue class indices 0…K−1) or multi-label (`yScore` and yTrue both `[n, K]`, yTrue 0/1). Matches
 * scikit-learn's `roc_auc_score` (`multi_class='ovr'` for class labels; unlike it, the rows need not sum to 1).
 *
 * @param yTrue 0/1 targets, class indices, or a `[n, K]` 0/1 indicator matrix.
 * @param yScore Scores, one per sample or `[n, K]`.
 * @param args See {@link RocAucArgs}.
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * rocAuc([0, 2, 1], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]); // one-vs-rest macro: 1
 * rocAuc(labels, probabilities, { average: 'weighted', onUndefined: 'skip' });
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths or widths, bad targets,
 * non-finite scores or an unknown `average` / `onUndefined`.
 * @throws {@link UndefinedMetricError} when a class (or the binary target) has only positives or only negatives.
 * @see J. A. Hanley, B. J. McNeil, "The meaning and use of the area under a ROC curve", Radiology 143 (1982).
 */
export function rocAuc(
  yTrue: MetricVector | MetricMatrix,
  yScore: MetricVector | MetricMatrix,
  args: RocAucArgs = {},
): number {
  const fn = 'rocAuc';
  const average = checkAverage(fn, args.average ?? 'macro');
  const onUndefined = checkOnUndefined(fn, args.onUndefined ?? 'throw');
  const columns = binaryColumns(fn, yTrue, yScore);
  if (columns.length === 1) return perColumn(fn, columns, aucFromCounts, 'throw', 'both')[0]!;
  if (average === 'micro')
    return perColumn(fn, [flattenColumns(columns)], aucFromCounts, 'throw', 'both')[0]!;
  return averageColumns(fn, perColumn(fn, columns, aucFromCounts, onUndefined, 'both'), columns, average);
}

/** Arguments of {@link rocAucPerClass}. */
export interface RocAucPerClassArgs {
  /**
   * `throw` an {@link UndefinedMetricError} for a class with no positive or no negative, or give it `NaN`.
   * @defaultValue `'throw'`
   */
  onUndefined?: OnUndefined;
}

/**
 * ROC-AUC of each class (one-vs-rest for class labels, per column for a multi-label indicator); see
 * {@link rocAuc} for the inputs. scikit-learn: `roc_auc_score(Y, S, average=None)`.
 *
 * @param yTrue Class indices or a `[n, K]` 0/1 indicator matrix.
 * @param yScore Scores `[n, K]`.
 * @param args See {@link RocAucPerClassArgs}.
 * @example
 * ```ts
 * const perFinding = rocAucPerClass(indicator, sigmoidScores, { onUndefined: 'skip' }); // NaN where undefined
 * ```
 * @throws {@link InvalidArgumentError} as {@link rocAuc}.
 * @throws {@link UndefinedMetricError} for a class with one kind of sample only, unless `onUndefined: 'skip'`.
 */
export function rocAucPerClass(
  yTrue: MetricVector | MetricMatrix,
  yScore: MetricMatrix,
  args: RocAucPerClassArgs = {},
): number[] {
  const fn = 'rocAucPerClass';
  const onUndefined = checkOnUndefined(fn, args.onUndefined ?? 'throw');
  return perColumn(fn, binaryColumns(fn, yTrue, yScore), aucFromCounts, onUndefined, 'both');
}
