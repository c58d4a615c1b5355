import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';
import { readMatrix, type Values2D } from './read_values.js';

/** Metrics {@link chooseThresholds} can maximise, per class. */
export type ThresholdMetric = 'f1' | 'youden' | 'accuracy' | 'mcc';

/** Options of {@link chooseThresholds}. */
export interface ChooseThresholdsArgs {
  /**
   * What each class's threshold maximises on the validation data: `'f1'` (2TP / (2TP + FP + FN)), `'youden'`
   * (sensitivity + specificity − 1), `'accuracy'`, or `'mcc'` (Matthews correlation coefficient).
   * @defaultValue 'f1'
   */
  metric?: ThresholdMetric;
  /**
   * Threshold returned for a class whose validation labels are all 0 or all 1 (its metric is then undefined
   * and its score NaN); also the tie-breaker: among equally good thresholds the one closest to it is chosen.
   * @defaultValue 0.5
   */
  fallback?: number;
}

/** Result of {@link chooseThresholds}. */
export interface ChosenThresholds {
  /** One threshold per class: predict the class when `probability ≥ threshold`. */
  thresholds: number[];
  /** The metric each threshold reaches on the data it was chosen on (NaN for a one-label class). */
  scores: number[];
}

function score(metric: ThresholdMetric, tp: number, fp: number, fn: number, tn: number): number {
  switch (metric) {
    case 'f1':
      return 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    case 'youden':
      return tp / (tp + fn) + tn / (tn + fp) - 1;
    case 'accuracy':
      return (tp + tn) / (tp + fp + fn + tn);
    case 'mcc': {
      const d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
      return d === 0 ? 0 : (tp * tn - fp * fn) / d;
    }
  }
}

/**
 * Chooses one decision threshold per class of a multi-label (or binary) classifier on validation data, by
 * maximising `metric` exactly: every distinct predicted value is tried as a cut (the threshold returned is the
 * midpoint between neighbouring values, so it generalises), in O(N log N) per class.
 *
 * @param probs Predicted probabilities (or any scores) `[N, C]`, or `[N]` for one class: a tensor or arrays.
 * @param labels 0/1 labels of the same shape.
 * @param args See {@link ChooseThresholdsArgs}.
 * @returns Per-class thresholds and the metric they reach.
 * @example
 * ```ts
 * const probs = model.predict(valImages) as tf.Tensor2D; // [N, 28] sigmoid outputs
 * const { thresholds } = await chooseThresholds(probs, valLabels, { metric: 'f1' });
 * const decisions = applyThresholds(model.predict(testImages) as tf.Tensor2D, thresholds);
 * ```
 * @throws {@link ShapeError} when `probs` and `labels` differ in shape or are not rank 1 or 2.
 * @throws {@link InvalidArgumentError} when the metric is unknown, a label is not 0/1, a value is not finite
 * or there are no samples.
 */
export async function chooseThresholds(
  probs: Values2D,
  labels: Values2D,
  args: ChooseThresholdsArgs = {},
): Promise<ChosenThresholds> {
  const fn = 'chooseThresholds';
  const metric = args.metric ?? 'f1';
  if (!['f1', 'youden', 'accuracy', 'mcc'].includes(metric)) {
    throw invalid(fn, 'metric', "'f1' | 'youden' | 'accuracy' | 'mcc'", metric);
  }
  const fallback = args.fallback ?? 0.5;
  if (typeof fallback !== 'number' || !Number.isFinite(fallback)) {
    throw invalid(fn, 'fallback', 'a finite number', fallback);
  }
  const p = await readMatrix(fn, 'probs', probs);
  const y = await readMatrix(fn, 'labels', labels);
  if (p.rows !== y.rows || p.cols !== y.cols) {
    throw new ShapeError(
      `${fn}: probs shape [${p.rows},${p.cols}] does not match labels shape [${y.rows},${y.cols}].`,
      [y.rows, y.cols],
    );
  }
  if (p.rows === 0) throw invalid(fn, 'probs', 'at least one sample', []);
  const thresholds: number[] = [];
  const scores: number[] = [];
  for (let c = 0; c < p.cols; c++) {
    const pairs: [number, number][] = [];
    for (let n = 0; n < p.rows; n++) {
      const v = p.values[n * p.cols + c]!;
      const l = y.values[n * y.cols + c]!;
      if (!Number.isFinite(v)) throw invalid(fn, 'probs', 'finite numbers', v);
      if (l !== 0 && l !== 1) throw invalid(fn, 'labels', '0 or 1', l);
      pairs.push([v, l]);
    }
    pairs.sort((a, b) => b[0] - a[0]); // descending: the first j predicted positive
    const positives = pairs.reduce((s, [, l]) => s + l, 0);
    const negatives = pairs.length - positives;
    if (positives === 0 || negatives === 0) {
      thresholds.push(fallback);
      scores.push(Number.NaN);
      continue;
    }
    const top = pairs[0]![0];
    // j = 0: nothing predicted positive.
    let best = score(metric, 0, 0, positives, negatives);
    let bestT = top + 1e-6 * Math.max(1, Math.abs(top));
    let tp = 0;
    for (let j = 1; j <= pairs.length; j++) {
      tp += pairs[j - 1]![1];
      if (j < pairs.length && pairs[j]![0] === pairs[j - 1]![0]) continue; // ties move together
      const fp = j - tp;
      const s = score(metric, tp, fp, positives - tp, negatives - fp);
      const t = j < pairs.length ? (pairs[j - 1]![0] + pairs[j]![0]) / 2 : pairs[j - 1]![0];
      if (
        s > best + 1e-12 ||
        (Math.abs(s - best) <= 1e-12 && Math.abs(t - fallback) < Math.abs(bestT - fallback))
      ) {
        best = s;
        bestT = t;
      }
    }
    thresholds.push(bestT);
    scores.push(best);
  }
  return { thresholds, scores };
}
