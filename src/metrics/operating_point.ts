import { InvalidArgumentError } from '../errors.js';
import { binaryCounts, requireBothClasses } from './binary_curve.js';
import { checkBinary, checkSameLength, type MetricVector, readVector } from './inputs.js';

/** A binary classifier's counts and rates at one decision threshold. */
export interface OperatingPoint {
  /** Samples with score ≥ threshold are called positive. */
  threshold: number;
  /** TP / (TP + FN); `NaN` when yTrue has no positive. */
  sensitivity: number;
  /** TN / (TN + FP); `NaN` when yTrue has no negative. */
  specificity: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Arguments of {@link sensitivitySpecificity}. */
export interface SensitivitySpecificityArgs {
  /**
   * Samples with score ≥ threshold are called positive.
   * @defaultValue `0.5`
   */
  threshold?: number;
}

function readBinary(fn: string, yTrue: MetricVector, yScore: MetricVector) {
  const y = readVector(fn, 'yTrue', yTrue);
  checkBinary(fn, 'yTrue', y);
  const s = readVector(fn, 'yScore', yScore);
  checkSameLength(fn, 'yScore', s.length, y.length);
  return { y, s };
}

function pointAt(
  threshold: number,
  tp: number,
  fp: number,
  positives: number,
  negatives: number,
): OperatingPoint {
  const fn = positives - tp;
  const tn = negatives - fp;
  return {
    threshold,
    sensitivity: positives === 0 ? Number.NaN : tp / positives,
    specificity: negatives === 0 ? Number.NaN : tn / negatives,
    tp,
    fp,
    tn,
    fn,
  };
}

/**
 * Sensitivity (recall of the positive class) and specificity (recall of the negative class) when scores ≥
 * `threshold` are called positive — the operating point screening studies report. A rate whose class is absent
 * from yTrue is `NaN`; the counts say why.
 *
 * @param yTrue 0/1 targets (1 = disease).
 * @param yScore Scores or probabilities.
 * @param args See {@link SensitivitySpecificityArgs}.
 * @example
 * ```ts
 * sensitivitySpecificity([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], { threshold: 0.5 });
 * // { sensitivity: 0.5, specificity: 0.5, tp: 1, fp: 1, tn: 1, fn: 1, threshold: 0.5 }
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths, targets other than 0/1, non-finite
 * scores or a non-finite threshold.
 */
export function sensitivitySpecificity(
  yTrue: MetricVector,
  yScore: MetricVector,
  args: SensitivitySpecificityArgs = {},
): OperatingPoint {
  const fn = 'sensitivitySpecificity';
  const threshold = args.threshold ?? 0.5;
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new InvalidArgumentError(
      'threshold',
      `${fn}: threshold must be a number, but got ${threshold}.`,
      threshold,
    );
  }
  const { y, s } = readBinary(fn, yTrue, yScore);
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) positives++;
    if (s[i]! >= threshold) {
      if (y[i] === 1) tp++;
      else fp++;
    }
  }
  return pointAt(threshold, tp, fp, positives, y.length - positives);
}

/** Arguments of {@link thresholdForSensitivity}. */
export interface ThresholdForSensitivityArgs {
  /** The sensitivity to reach, in (0, 1] (e.g. 0.9 or 0.95 for referable DR screening). */
  target: number;
}

/**
 * The highest threshold whose sensitivity is at least `target` — among thresholds reaching the target, the one
 * with the best specificity — and the operating point there. Candidate thresholds are the distinct scores
 * (score ≥ threshold = positive), so the reported sensitivity can exceed the target when ties or few positives
 * make it jump.
 *
 * @param yTrue 0/1 targets (1 = disease).
 * @param yScore Scores or probabilities, typically on validation data; apply the threshold to new data.
 * @param args See {@link ThresholdForSensitivityArgs}.
 * @example
 * ```ts
 * const op = thresholdForSensitivity(yVal, scoresVal, { target: 0.9 });
 * console.log(op.threshold, op.sensitivity, op.specificity);
 * ```
 * @throws {@link InvalidArgumentError} for bad inputs (as {@link sensitivitySpecificity}) or a target outside (0, 1].
 * @throws {@link UndefinedMetricError} when yTrue has no positive.
 */
export function thresholdForSensitivity(
  yTrue: MetricVector,
  yScore: MetricVector,
  args: ThresholdForSensitivityArgs,
): OperatingPoint {
  const fn = 'thresholdForSensitivity';
  const target = args?.target;
  if (typeof target !== 'number' || !(target > 0 && target <= 1)) {
    throw new InvalidArgumentError(
      'target',
      `${fn}: target must be a number in (0, 1], but got ${target}.`,
      target,
    );
  }
  const { y, s } = readBinary(fn, yTrue, yScore);
  const counts = binaryCounts(y, s);
  requireBothClasses(fn, counts, undefined, 'positives');
  // Sensitivity grows as the threshold falls; the last threshold (lowest score) has sensitivity 1.
  const i = counts.tps.findIndex((tp) => tp / counts.positives >= target);
  return pointAt(counts.thresholds[i]!, counts.tps[i]!, counts.fps[i]!, counts.positives, counts.negatives);
}
