import { InvalidArgumentError } from '../errors.js';
import { countPairs } from './confusion_matrix.js';
import type { MetricVector } from './inputs.js';

/** Arguments of {@link cohenKappa}. */
export interface CohenKappaArgs {
  /**
   * Disagreement weights between classes i and j (indices in `labels`): `none` 1 off the diagonal, `linear`
   * |i − j|, `quadratic` (i − j)² — the quadratic weighted kappa of DR grading (Kaggle EyePACS, APTOS).
   * @defaultValue `'none'`
   */
  weights?: 'none' | 'linear' | 'quadratic';
  /**
   * The ordered classes. Weights use positions in this list, so for grades pass every grade
   * (`[0, 1, 2, 3, 4]`): with the default, a grade missing from both inputs shifts the distances. A label
   * outside the list is an error (scikit-learn silently drops such samples).
   * @defaultValue the sorted distinct labels of both inputs
   */
  labels?: readonly number[];
}

/**
 * Cohen's kappa, agreement beyond chance between two raters (a grader and a model):
 * κ = 1 − Σ wᵢⱼ Oᵢⱼ / Σ wᵢⱼ Eᵢⱼ with O the confusion matrix and E the outer product of its marginals / n,
 * as scikit-learn's `cohen_kappa_score`. When both raters give one and the same class to every sample the
 * ratio is 0/0 and the result is `NaN` (scikit-learn's value too): agreement beyond chance is undefined then.
 *
 * @param yTrue Integer labels of the first rater (ground truth).
 * @param yPred Integer labels of the second rater (predictions).
 * @param args See {@link CohenKappaArgs}.
 * @example
 * ```ts
 * cohenKappa(grades, predicted, { weights: 'quadratic', labels: [0, 1, 2, 3, 4] });
 * cohenKappa([0, 1, 1, 0], [0, 1, 0, 0]); // 0.5
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths, non-integer labels, a label not in
 * `labels`, or unknown `weights`.
 * @see J. Cohen, "Weighted kappa", Psychological Bulletin 70 (1968), eq. 4.
 */
export function cohenKappa(yTrue: MetricVector, yPred: MetricVector, args: CohenKappaArgs = {}): number {
  const fn = 'cohenKappa';
  const weights = args.weights ?? 'none';
  if (weights !== 'none' && weights !== 'linear' && weights !== 'quadratic') {
    throw new InvalidArgumentError(
      'weights',
      `${fn}: weights must be 'none', 'linear' or 'quadratic', but got ${JSON.stringify(weights)}.`,
      weights,
    );
  }
  const { matrix } = countPairs(fn, yTrue, yPred, args.labels);
  return kappaFromMatrix(matrix, weights);
}

/**
 * Weighted kappa of a K × K count matrix `matrix[true][predicted]`: `κ = 1 − Σ w_ij O_ij / Σ w_ij E_ij`,
 * `E = outer(row sums, column sums) / N`. NaN when the expected disagreement is 0 (one class only).
 * @see J. Cohen, "Weighted kappa", Psychological Bulletin 70(4), 1968.
 */
export function kappaFromMatrix(
  matrix: readonly ArrayLike<number>[],
  weights: 'none' | 'linear' | 'quadratic',
): number {
  const k = matrix.length;
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = matrix[i]![j]!;
      rows[i]! += c;
      cols[j]! += c;
      n += c;
    }
  }
  const w = (i: number, j: number) =>
    weights === 'none' ? (i === j ? 0 : 1) : weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      observed += w(i, j) * matrix[i]![j]!;
      expected += (w(i, j) * rows[i]! * cols[j]!) / n;
    }
  }
  return 1 - observed / expected;
}
