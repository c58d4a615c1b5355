import { type BinaryCounts, binaryCounts, requireBothClasses } from './binary_curve.js';
import { checkBinary, checkSameLength, type MetricVector, readVector } from './inputs.js';

/** Points of a ROC curve, by decreasing threshold. */
export interface RocCurve {
  /** False-positive rate (1 − specificity) at each threshold, from 0 to 1. */
  fpr: number[];
  /** True-positive rate (sensitivity) at each threshold, from 0 to 1. */
  tpr: number[];
  /** Decreasing; `thresholds[0]` is `Infinity` (nothing predicted positive), then the distinct scores. */
  thresholds: number[];
}

/** Arguments of {@link rocCurve}. */
export interface RocCurveArgs {
  /**
   * Leave out thresholds that lie on a straight segment between their neighbours (they do not change the
   * curve's shape or area), as scikit-learn's `drop_intermediate`.
   * @defaultValue `true`
   */
  dropIntermediate?: boolean;
}

/** The ROC points of binary counts (scikit-learn's `roc_curve` construction). */
export function rocFromCounts(counts: BinaryCounts, dropIntermediate: boolean): RocCurve {
  let { thresholds, tps, fps } = counts;
  if (dropIntermediate && tps.length > 2) {
    const keep: number[] = [];
    for (let i = 0; i < tps.length; i++) {
      const ends = i === 0 || i === tps.length - 1;
      if (
        ends ||
        fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 ||
        tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0
      ) {
        keep.push(i);
      }
    }
    thresholds = keep.map((i) => thresholds[i]!);
    tps = keep.map((i) => tps[i]!);
    fps = keep.map((i) => fps[i]!);
  }
  return {
    fpr: [0, ...fps.map((f) => f / counts.negatives)],
    tpr: [0, ...tps.map((t) => t / counts.positives)],
    thresholds: [Number.POSITIVE_INFINITY, ...thresholds],
  };
}

/** Area under the ROC curve by the trapezoidal rule (tied scores give diagonal segments: half credit). */
export function aucFromCounts(counts: BinaryCounts): number {
  let area = 0;
  let prevT = 0;
  let prevF = 0;
  for (let i = 0; i < counts.tps.length; i++) {
    const t = counts.tps[i]! / counts.positives;
    const f = counts.fps[i]! / counts.negatives;
    area += ((f - prevF) * (t + prevT)) / 2;
    prevT = t;
    prevF = f;
  }
  return area;
}

/**
 * The receiver operating characteristic of a binary classifier: false- and true-positive rates when samples
 * scoring ≥ each threshold are called positive. Tied scores form one point, as in scikit-learn's `roc_curve`
 * (whose values these match; its first threshold is `max + 1` before version 1.3, `Infinity` since).
 *
 * @param yTrue 0/1 targets.
 * @param yScore Scores, higher = more likely positive (probabilities or logits).
 * @param args See {@link RocCurveArgs}.
 * @example
 * ```ts
 * const { fpr, tpr, thresholds } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [Infinity, 0.8, 0.4, 0.35, 0.1]
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths, targets other than 0/1 or
 * non-finite scores.
 * @throws {@link UndefinedMetricError} when yTrue has only one class.
 * @see T. Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters 27 (2006), Algorithm 2.
 */
export function rocCurve(yTrue: MetricVector, yScore: MetricVector, args: RocCurveArgs = {}): RocCurve {
  const fn = 'rocCurve';
  const y = readVector(fn, 'yTrue', yTrue);
  checkBinary(fn, 'yTrue', y);
  const s = readVector(fn, 'yScore', yScore);
  checkSameLength(fn, 'yScore', s.length, y.length);
  const counts = binaryCounts(y, s);
  requireBothClasses(fn, counts, undefined);
  return rocFromCounts(counts, args.dropIntermediate ?? true);
}
