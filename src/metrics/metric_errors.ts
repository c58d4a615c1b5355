import { FundusError } from '../errors.js';

/**
 * A metric is not defined for the input: a ranking metric (ROC-AUC, ROC curve, average precision,
 * precision-recall curve, threshold search) asked of targets that hold only one class, so one of the rates it
 * divides by has no sample. scikit-learn raises (`roc_auc_score`) or warns and returns a placeholder
 * (`average_precision_score` gives 0); fundus-kit throws this error in both cases, so a silently meaningless
 * number never reaches a report. Per-label averages can skip such labels instead (`onUndefined: 'skip'`).
 *
 * @example
 * ```ts
 * try {
 *   rocAuc([1, 1, 1], [0.2, 0.5, 0.9]);
 * } catch (e) {
 *   if (e instanceof UndefinedMetricError) console.log(e.metric, e.label); // 'rocAuc', undefined
 * }
 * ```
 */
export class UndefinedMetricError extends FundusError {
  /** The metric function that could not be computed, e.g. `"rocAuc"`. */
  readonly metric: string;
  /** The class or label column at fault in a per-class metric; `undefined` for a binary one. */
  readonly label: number | undefined;

  constructor(metric: string, message: string, label?: number) {
    super(message, { value: label });
    this.metric = metric;
    this.label = label;
  }
}
