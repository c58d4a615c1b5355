import { InvalidArgumentError } from '../errors.js';
import { checkSameLength, labelIndices, type MetricVector, readLabels, resolveLabels } from './inputs.js';

/** A confusion matrix with its class labels. */
export interface ConfusionMatrix {
  /** The class labels, in row and column order. */
  labels: number[];
  /** `matrix[i][j]`: samples of true class `labels[i]` predicted as `labels[j]` (or that share, if normalised). */
  matrix: number[][];
}

/** Arguments of {@link confusionMatrix}. */
export interface ConfusionMatrixArgs {
  /**
   * The classes, in the order of rows and columns; every label in the input must be one of them (e.g.
   * `[0, 1, 2, 3, 4]` for DR grades, so a grade absent from a split still gets its row).
   * @defaultValue the sorted distinct labels of yTrue and yPred
   */
  labels?: readonly number[];
  /**
   * Divide each row by its sum (`'true'`: per-class recall on the diagonal), each column (`'pred'`: precision
   * on the diagonal) or everything (`'all'`); an empty row or column stays 0. `null` keeps counts.
   * @defaultValue `null`
   */
  normalize?: 'true' | 'pred' | 'all' | null;
}

/** Counts `[labels × labels]` of (true, predicted) pairs. */
export function countPairs(fn: string, yTrue: unknown, yPred: unknown, labelsArg?: readonly number[]) {
  const t = readLabels(fn, 'yTrue', yTrue);
  const p = readLabels(fn, 'yPred', yPred);
  checkSameLength(fn, 'yPred', p.length, t.length);
  const labels = resolveLabels(fn, labelsArg, t, p);
  const ti = labelIndices(fn, 'yTrue', t, labels);
  const pi = labelIndices(fn, 'yPred', p, labels);
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < ti.length; i++) matrix[ti[i]!]![pi[i]!]!++;
  return { labels, matrix, n: t.length };
}

/**
 * The confusion matrix of a classifier: rows are true classes, columns predicted ones (scikit-learn's
 * `confusion_matrix` layout and normalisations).
 *
 * @param yTrue Integer class labels.
 * @param yPred Predicted integer class labels (e.g. the arg-max of softmax outputs).
 * @param args See {@link ConfusionMatrixArgs}.
 * @example
 * ```ts
 * confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1]).matrix; // [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
 * confusionMatrix(grades, predicted, { labels: [0, 1, 2, 3, 4], normalize: 'true' });
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths, non-integer labels, a label not
 * in `labels`, or an unknown `normalize`.
 */
export function confusionMatrix(
  yTrue: MetricVector,
  yPred: MetricVector,
  args: ConfusionMatrixArgs = {},
): ConfusionMatrix {
  const fn = 'confusionMatrix';
  const normalize = args.normalize ?? null;
  if (normalize !== null && normalize !== 'true' && normalize !== 'pred' && normalize !== 'all') {
    throw new InvalidArgumentError(
      'normalize',
      `${fn}: normalize must be 'true', 'pred', 'all' or null, but got ${JSON.stringify(normalize)}.`,
      normalize,
    );
  }
  const { labels, matrix, n } = countPairs(fn, yTrue, yPred, args.labels);
  if (normalize === null) return { labels, matrix };
  const k = labels.length;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = labels.map((_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
  const divisor = (i: number, j: number) =>
    normalize === 'true' ? rowSums[i]! : normalize === 'pred' ? colSums[j]! : n;
  return {
    labels,
    matrix: matrix.map((row, i) =>
      Array.from({ length: k }, (_, j) => (divisor(i, j) === 0 ? 0 : row[j]! / divisor(i, j))),
    ),
  };
}
