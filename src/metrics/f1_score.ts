import { InvalidArgumentError } from '../errors.js';
import { type MetricMatrix, type MetricVector, readTable } from './inputs.js';
import { precisionRecallF1 } from './precision_recall_f1.js';

/** Arguments of {@link f1Score}. */
export interface F1ScoreArgs {
  /**
   * `binary`: F1 of `positiveLabel` only; `macro`, `micro`, `weighted`: as {@link precisionRecallF1}.
   * @defaultValue `'binary'` when the labels are a subset of {0, 1}, else `'macro'`
   */
  average?: 'binary' | 'macro' | 'micro' | 'weighted';
  /**
   * The positive class for `average: 'binary'`.
   * @defaultValue `1`
   */
  positiveLabel?: number;
  /** As {@link PrecisionRecallF1Args.labels}. @defaultValue the sorted distinct labels of both inputs */
  labels?: readonly number[];
  /** As {@link PrecisionRecallF1Args.zeroDivision}. @defaultValue `0` */
  zeroDivision?: 0 | 1;
}

/**
 * The F1 score (harmonic mean of precision and recall) as one number; see {@link precisionRecallF1} for
 * every class and average at once.
 *
 * @param yTrue Integer class labels, or a `[n, K]` 0/1 indicator matrix.
 * @param yPred Predictions of the same shape.
 * @param args See {@link F1ScoreArgs}.
 * @example
 * ```ts
 * f1Score([0, 1, 1, 0], [0, 1, 0, 0]); // binary, positive 1: 2 · 1 · 0.5 / 1.5 = 0.667
 * f1Score([0, 1, 2, 2], [0, 2, 2, 1], { average: 'macro' }); // 0.5
 * ```
 * @throws {@link InvalidArgumentError} as {@link precisionRecallF1}, for an unknown `average`, for `binary` on
 * multi-label input, or when `positiveLabel` is not among the labels.
 */
export function f1Score(
  yTrue: MetricVector | MetricMatrix,
  yPred: MetricVector | MetricMatrix,
  args: F1ScoreArgs = {},
): number {
  const fn = 'f1Score';
  const report = precisionRecallF1(yTrue, yPred, { labels: args.labels, zeroDivision: args.zeroDivision });
  const multiLabel = readTable(fn, 'yTrue', yTrue).k > 1;
  const binaryLabels = !multiLabel && report.labels.every((l) => l === 0 || l === 1);
  const average = args.average ?? (binaryLabels ? 'binary' : 'macro');
  switch (average) {
    case 'macro':
    case 'micro':
    case 'weighted':
      return report[average].f1;
    case 'binary': {
      const positive = args.positiveLabel ?? 1;
      const c = report.labels.indexOf(positive);
      if (multiLabel || c < 0) {
        throw new InvalidArgumentError(
          'positiveLabel',
          `${fn}: average 'binary' needs class labels containing positiveLabel ${positive}, but the labels are [${report.labels.join(', ')}]${multiLabel ? ' (multi-label input)' : ''}.`,
          positive,
        );
      }
      return report.f1[c]!;
    }
    default:
      throw new InvalidArgumentError(
        'average',
        `${fn}: average must be 'binary', 'macro', 'micro' or 'weighted', but got ${JSON.stringify(average)}.`,
        average,
      );
  }
}
