import { InvalidArgumentError } from '../errors.js';
import { countPairs } from './confusion_matrix.js';
import {
  checkBinary,
  checkSameLength,
  divide,
  type MetricMatrix,
  type MetricVector,
  readTable,
} from './inputs.js';

/** Precision, recall and F1 together (one average). */
export interface PrecisionRecallF1Values {
  precision: number;
  recall: number;
  f1: number;
}

/** Per-class precision, recall, F1 and support, with their macro, micro and support-weighted averages. */
export interface PrecisionRecallF1 {
  /** Class labels (class-label input) or column indices (multi-label input), in the order of the lists. */
  labels: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  /** True samples of each class. */
  support: number[];
  /** Unweighted means of the per-class values. */
  macro: PrecisionRecallF1Values;
  /** From counts summed over classes (for single-label input, precision = recall = F1 = accuracy over `labels`). */
  micro: PrecisionRecallF1Values;
  /** Means of the per-class values weighted by support. */
  weighted: PrecisionRecallF1Values;
}

/** Arguments of {@link precisionRecallF1}. */
export interface PrecisionRecallF1Args {
  /**
   * Class-label input: the classes to report, in order (a class absent from both yTrue and yPred gets
   * `zeroDivision`). Not used for multi-label input, whose labels are the columns.
   * @defaultValue the sorted distinct labels of yTrue and yPred
   */
  labels?: readonly number[];
  /**
   * Value of a precision or recall whose denominator is 0 (a class never predicted / never present), as
   * scikit-learn's `zero_division`. F1 is 0 when precision + recall is 0.
   * @defaultValue `0`
   */
  zeroDivision?: 0 | 1;
}

function prf(tp: number, fp: number, fn: number, zero: number): PrecisionRecallF1Values {
  const precision = divide(tp, tp + fp, zero);
  const recall = divide(tp, tp + fn, zero);
  return { precision, recall, f1: divide(2 * precision * recall, precision + recall, 0) };
}

/**
 * Precision (TP / (TP + FP)), recall (TP / (TP + FN)) and F1 (their harmonic mean) of each class, with
 * macro, micro and weighted averages — scikit-learn's `precision_recall_fscore_support` for every `average` at
 * once. Class labels (one-vs-rest per class) or `[n, K]` 0/1 multi-label indicator matrices (per column).
 *
 * @param yTrue Integer class labels, or a `[n, K]` 0/1 indicator matrix.
 * @param yPred Predictions of the same shape (threshold scores first for multi-label).
 * @param args See {@link PrecisionRecallF1Args}.
 * @example
 * ```ts
 * const r = precisionRecallF1([0, 1, 2, 2], [0, 2, 2, 1]);
 * r.f1;        // [1, 0, 0.5]
 * r.macro.f1;  // 0.5
 * r.micro.f1;  // 0.5 (= accuracy)
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths or widths, non-integer labels, a
 * label not in `labels`, a multi-label matrix that is not 0/1, or a bad `zeroDivision`.
 * @see C. J. van Rijsbergen, "Information Retrieval" (1979), ch. 7 (the F measure).
 */
export function precisionRecallF1(
  yTrue: MetricVector | MetricMatrix,
  yPred: MetricVector | MetricMatrix,
  args: PrecisionRecallF1Args = {},
): PrecisionRecallF1 {
  const fn = 'precisionRecallF1';
  const zero = args.zeroDivision ?? 0;
  if (zero !== 0 && zero !== 1) {
    throw new InvalidArgumentError(
      'zeroDivision',
      `${fn}: zeroDivision must be 0 or 1, but got ${zero}.`,
      zero,
    );
  }
  const counts = perClassCounts(fn, yTrue, yPred, args.labels);
  const per = counts.tp.map((tp, c) => prf(tp, counts.fp[c]!, counts.fn[c]!, zero));
  const support = counts.tp.map((tp, c) => tp + counts.fn[c]!);
  const k = per.length;
  const mean = (key: keyof PrecisionRecallF1Values, weights: readonly number[] | null) => {
    if (weights === null) return per.reduce((a, v) => a + v[key], 0) / k;
    const total = weights.reduce((a, b) => a + b, 0);
    return total === 0 ? zero : per.reduce((a, v, c) => a + v[key] * weights[c]!, 0) / total;
  };
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    labels: counts.labels,
    precision: per.map((v) => v.precision),
    recall: per.map((v) => v.recall),
    f1: per.map((v) => v.f1),
    support,
    macro: { precision: mean('precision', null), recall: mean('recall', null), f1: mean('f1', null) },
    micro: prf(sum(counts.tp), sum(counts.fp), sum(counts.fn), zero),
    weighted: {
      precision: mean('precision', support),
      recall: mean('recall', support),
      f1: mean('f1', support),
    },
  };
}

/** True positives, false positives and false negatives per class. */
export function perClassCounts(fn: string, yTrue: unknown, yPred: unknown, labels?: readonly number[]) {
  const t = readTable(fn, 'yTrue', yTrue);
  if (t.k === 1) {
    const { labels: resolved, matrix } = countPairs(fn, yTrue, yPred, labels);
    const k = resolved.length;
    const tp = resolved.map((_, c) => matrix[c]![c]!);
    const rowSum = matrix.map((row) => row.reduce((a, b) => a + b, 0));
    const colSum = resolved.map((_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
    return {
      labels: resolved,
      tp,
      fp: Array.from({ length: k }, (_, c) => colSum[c]! - tp[c]!),
      fn: Array.from({ length: k }, (_, c) => rowSum[c]! - tp[c]!),
    };
  }
  const p = readTable(fn, 'yPred', yPred);
  checkSameLength(fn, 'yPred', p.n, t.n);
  if (p.k !== t.k) {
    throw new InvalidArgumentError(
      'yPred',
      `${fn}: yPred must have as many columns as yTrue (${t.k}), but got ${p.k}.`,
      p.k,
    );
  }
  checkBinary(fn, 'yTrue', t.data);
  checkBinary(fn, 'yPred', p.data);
  const tp = new Array<number>(t.k).fill(0);
  const fp = new Array<number>(t.k).fill(0);
  const fnc = new Array<number>(t.k).fill(0);
  for (let i = 0; i < t.data.length; i++) {
    const c = i % t.k;
    if (t.data[i] === 1 && p.data[i] === 1) tp[c]!++;
    else if (p.data[i] === 1) fp[c]!++;
    else if (t.data[i] === 1) fnc[c]!++;
  }
  return { labels: tp.map((_, c) => c), tp, fp, fn: fnc };
}
