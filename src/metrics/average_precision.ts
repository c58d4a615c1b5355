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
import { averagePrecisionFromCounts } from './precision_recall_curve.js';

/** Arguments of {@link averagePrecision}. */
export interface AveragePrecisionArgs {
  /**
   * How per-class APs combine for `[n, K]` scores: `macro` (mean over classes: the mAP), `weighted` (by each
   * class's positives) or `micro` (all cells as one binary problem). Ignored for binary input.
   * @defaultValue `'macro'`
   */
  average?: ScoreAverage;
  /**
   * A class with no positive sample has no AP: `throw` an {@link UndefinedMetricError}, or `skip` it in the
   * average. (scikit-learn warns and counts it as 0, which drags the mean down without saying so.)
   * @defaultValue `'throw'`
   */
  onUndefined?: OnUndefined;
}

/**
 * Average precision, the step-wise area under the precision-recall curve: AP = Σₖ (Rₖ − Rₖ₋₁) · Pₖ over
 * decreasing thresholds (no interpolation), as scikit-learn's `average_precision_score`. Binary, multi-class
 * one-vs-rest or multi-label inputs as {@link rocAuc}.
 *
 * @param yTrue 0/1 targets, class indices, or a `[n, K]` 0/1 indicator matrix.
 * @param yScore Scores, one per sample or `[n, K]`.
 * @param args See {@link AveragePrecisionArgs}.
 * @example
 * ```ts
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 * averagePrecision(indicator, sigmoidScores, { average: 'micro' });
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths or widths, bad targets,
 * non-finite scores or an unknown `average` / `onUndefined`.
 * @throws {@link UndefinedMetricError} when a class (or the binary target) has no positive.
 * @see M. Zhu, "Recall, precision and average precision", University of Waterloo (2004), eq. 1.
 */
export function averagePrecision(
  yTrue: MetricVector | MetricMatrix,
  yScore: MetricVector | MetricMatrix,
  args: AveragePrecisionArgs = {},
): number {
  return averaged('averagePrecision', yTrue, yScore, args.average ?? 'macro', args.onUndefined ?? 'throw');
}

function averaged(
  fn: string,
  yTrue: unknown,
  yScore: unknown,
  averageArg: unknown,
  onUndefinedArg: unknown,
): number {
  const average = checkAverage(fn, averageArg);
  const onUndefined = checkOnUndefined(fn, onUndefinedArg);
  const columns = binaryColumns(fn, yTrue, yScore);
  const ap = averagePrecisionFromCounts;
  if (columns.length === 1) return perColumn(fn, columns, ap, 'throw', 'positives')[0]!;
  if (average === 'micro') return perColumn(fn, [flattenColumns(columns)], ap, 'throw', 'positives')[0]!;
  return averageColumns(fn, perColumn(fn, columns, ap, onUndefined, 'positives'), columns, average);
}

/** Arguments of {@link meanAveragePrecision}. */
export interface MeanAveragePrecisionArgs {
  /**
   * A class with no positive sample: `throw` an {@link UndefinedMetricError}, or leave it out of the mean.
   * @defaultValue `'throw'`
   */
  onUndefined?: OnUndefined;
}

/**
 * Mean average precision: the unweighted mean of {@link averagePrecision} over classes (one-vs-rest for class
 * labels) or labels (multi-label), as used by RFMiD and other multi-label fundus benchmarks.
 *
 * @param yTrue Class indices or a `[n, K]` 0/1 indicator matrix.
 * @param yScore Scores `[n, K]`.
 * @param args See {@link MeanAveragePrecisionArgs}.
 * @example
 * ```ts
 * meanAveragePrecision([[1, 0], [0, 1], [1, 1]], [[0.9, 0.2], [0.3, 0.8], [0.6, 0.4]]); // (1 + 1) / 2 = 1
 * ```
 * @throws {@link InvalidArgumentError} as {@link averagePrecision}.
 * @throws {@link UndefinedMetricError} for a class without positives, unless `onUndefined: 'skip'`.
 */
export function meanAveragePrecision(
  yTrue: MetricVector | MetricMatrix,
  yScore: MetricMatrix,
  args: MeanAveragePrecisionArgs = {},
): number {
  return averaged('meanAveragePrecision', yTrue, yScore, 'macro', args.onUndefined ?? 'throw');
}

/** Arguments of {@link averagePrecisionPerClass}. */
export interface AveragePrecisionPerClassArgs {
  /**
   * `throw` an {@link UndefinedMetricError} for a class without positives, or give it `NaN`.
   * @defaultValue `'throw'`
   */
  onUndefined?: OnUndefined;
}

/**
 * Average precision of each class (one-vs-rest for class labels, per column for a multi-label indicator).
 * scikit-learn: `average_precision_score(Y, S, average=None)`.
 *
 * @param yTrue Class indices or a `[n, K]` 0/1 indicator matrix.
 * @param yScore Scores `[n, K]`.
 * @param args See {@link AveragePrecisionPerClassArgs}.
 * @example
 * ```ts
 * averagePrecisionPerClass(indicator, sigmoidScores); // one AP per finding
 * ```
 * @throws {@link InvalidArgumentError} as {@link averagePrecision}.
 * @throws {@link UndefinedMetricError} for a class without positives, unless `onUndefined: 'skip'`.
 */
export function averagePrecisionPerClass(
  yTrue: MetricVector | MetricMatrix,
  yScore: MetricMatrix,
  args: AveragePrecisionPerClassArgs = {},
): number[] {
  const fn = 'averagePrecisionPerClass';
  const onUndefined = checkOnUndefined(fn, args.onUndefined ?? 'throw');
  return perColumn(
    fn,
    binaryColumns(fn, yTrue, yScore),
    averagePrecisionFromCounts,
    onUndefined,
    'positives',
  );
}
