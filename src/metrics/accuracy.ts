import { InvalidArgumentError } from '../errors.js';
import { checkSameLength, type MetricMatrix, type MetricVector, readTable } from './inputs.js';

/**
 * Fraction of samples predicted exactly right. For class labels, yPred equal to yTrue; for `[n, K]`
 * multi-label indicator matrices, every label of the row right (subset accuracy, as scikit-learn's
 * `accuracy_score`).
 *
 * @param yTrue Integer class labels, or a `[n, K]` 0/1 indicator matrix.
 * @param yPred Predictions of the same shape.
 * @example
 * ```ts
 * accuracy([0, 1, 2, 2], [0, 2, 2, 2]); // 0.75
 * accuracy([[1, 0], [1, 1]], [[1, 0], [0, 1]]); // 0.5
 * ```
 * @throws {@link InvalidArgumentError} for empty input, or yPred of another length or width.
 */
export function accuracy(yTrue: MetricVector | MetricMatrix, yPred: MetricVector | MetricMatrix): number {
  const fn = 'accuracy';
  const t = readTable(fn, 'yTrue', yTrue);
  const p = readTable(fn, 'yPred', yPred);
  checkSameLength(fn, 'yPred', p.n, t.n);
  if (p.k !== t.k) {
    throw new InvalidArgumentError(
      'yPred',
      `${fn}: yPred must have as many columns as yTrue (${t.k}), but got ${p.k}.`,
      p.k,
    );
  }
  let right = 0;
  for (let i = 0; i < t.n; i++) {
    let all = true;
    for (let j = 0; j < t.k && all; j++) all = t.data[i * t.k + j] === p.data[i * t.k + j];
    if (all) right++;
  }
  return right / t.n;
}
