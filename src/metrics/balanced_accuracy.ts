import { countPairs } from './confusion_matrix.js';
import type { MetricVector } from './inputs.js';

/**
 * The mean of per-class recall over the classes present in yTrue, robust to class imbalance (a classifier
 * that always answers the majority class scores 1/K). Classes that only appear in yPred are left out, as in
 * scikit-learn's `balanced_accuracy_score`.
 *
 * @param yTrue Integer class labels.
 * @param yPred Predicted integer class labels.
 * @example
 * ```ts
 * balancedAccuracy([0, 0, 0, 1], [0, 0, 0, 0]); // (1 + 0) / 2 = 0.5, where accuracy is 0.75
 * ```
 * @throws {@link InvalidArgumentError} for empty input, different lengths or non-integer labels.
 * @see K. H. Brodersen et al., "The balanced accuracy and its posterior distribution", ICPR 2010, eq. 2.
 */
export function balancedAccuracy(yTrue: MetricVector, yPred: MetricVector): number {
  const { matrix } = countPairs('balancedAccuracy', yTrue, yPred);
  let sum = 0;
  let classes = 0;
  matrix.forEach((row, i) => {
    const support = row.reduce((a, b) => a + b, 0);
    if (support === 0) return;
    sum += row[i]! / support;
    classes++;
  });
  return sum / classes;
}
