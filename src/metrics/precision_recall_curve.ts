import { type BinaryCounts, binaryCounts, requireBothClasses } from './binary_curve.js';
import { checkBinary, checkSameLength, type MetricVector, readVector } from './inputs.js';

/** Points of a precision-recall curve, by increasing threshold (scikit-learn's order). */
export interface PrecisionRecallCurve {
  /** Precision at each threshold, then a final 1 (the point at recall 0). */
  precision: number[];
  /** Recall at each threshold (decreasing), then a final 0. */
  recall: number[];
  /** The distinct scores, increasing; one fewer than `precision` and `recall`. */
  thresholds: number[];
}

/** Average precision from binary counts: Σ (R_k − R_{k−1}) · P_k over decreasing thresholds. */
export function averagePrecisionFromCounts(counts: BinaryCounts): number {
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < counts.tps.length; i++) {
    const tp = counts.tps[i]!;
    const recall = tp / counts.positives;
    ap += (recall - prevRecall) * (tp / (tp + counts.fps[i]!));
    prevRecall = recall;
  }
  return ap;
}

/**
 * Precision and recall when samples scoring ≥ each threshold are called positive, over every distinct score
 * (scikit-learn's `precision_recall_curve`, which these values match).
 *
 * @param yTrue 0/1 targets.
 * @param yScore Scores, higher = more likely positive.
 * @example
 * ```ts
 * const { precision, recall, thresholds } = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8]
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths, targets other than 0/1 or
 * non-finite scores.
 * @throws {@link UndefinedMetricError} when yTrue has no positive (recall is undefined).
 */
export function precisionRecallCurve(yTrue: MetricVector, yScore: MetricVector): PrecisionRecallCurve {
  const fn = 'precisionRecallCurve';
  const y = readVector(fn, 'yTrue', yTrue);
  checkBinary(fn, 'yTrue', y);
  const s = readVector(fn, 'yScore', yScore);
  checkSameLength(fn, 'yScore', s.length, y.length);
  const counts = binaryCounts(y, s);
  requireBothClasses(fn, counts, undefined, 'positives');
  const precision = counts.tps.map((tp, i) => tp / (tp + counts.fps[i]!)).reverse();
  const recall = counts.tps.map((tp) => tp / counts.positives).reverse();
  return {
    precision: [...precision, 1],
    recall: [...recall, 0],
    thresholds: [...counts.thresholds].reverse(),
  };
}
