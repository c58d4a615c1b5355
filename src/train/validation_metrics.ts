import { accuracy } from '../metrics/accuracy.js';
import { averagePrecision } from '../metrics/average_precision.js';
import { cohenKappa } from '../metrics/cohen_kappa.js';
import { rocAuc } from '../metrics/roc_auc.js';
import type { EpochMetric } from './fine_tune.js';

function argMax(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
  return best;
}

function oneHot(rows: readonly number[][]): boolean {
  return rows.every((r) => r.reduce((a, b) => a + b, 0) === 1 && r.every((v) => v === 0 || v === 1));
}

/**
 * Ready-made {@link EpochMetric}s for {@link fineTune}'s `metrics`, reading targets and outputs the way the
 * heads produce them: one column = binary (sigmoid, threshold 0.5), one-hot rows = single-label (softmax,
 * arg-max), other 0/1 rows = multi-label (sigmoid per column, threshold 0.5).
 * - `accuracy`: binary / arg-max accuracy, subset accuracy for multi-label;
 * - `quadraticKappa`: quadratic weighted kappa of the arg-max classes over all K classes (DR grading);
 * - `auc`: ROC-AUC (binary, or macro over classes / labels, skipping a class absent from the split);
 * - `map`: average precision (binary) or mean average precision over classes / labels, likewise.
 *
 * @example
 * ```ts
 * await fineTune(model, train, { validationData: val, metrics: { kappa: validationMetrics.quadraticKappa }, monitor: 'kappa', phases });
 * ```
 */
export const validationMetrics: Readonly<Record<'accuracy' | 'quadraticKappa' | 'auc' | 'map', EpochMetric>> =
  {
    accuracy: (t, p) => {
      if (t[0]!.length === 1)
        return accuracy(
          t.map((r) => r[0]!),
          p.map((r) => (r[0]! >= 0.5 ? 1 : 0)),
        );
      if (oneHot(t)) return accuracy(t.map(argMax), p.map(argMax));
      return accuracy(
        t,
        p.map((r) => r.map((v) => (v >= 0.5 ? 1 : 0))),
      );
    },
    quadraticKappa: (t, p) => {
      const k = t[0]!.length;
      const labels = Array.from({ length: k }, (_, i) => i);
      return cohenKappa(t.map(argMax), p.map(argMax), { weights: 'quadratic', labels });
    },
    auc: (t, p) => rocAuc(t, p, { onUndefined: 'skip' }),
    map: (t, p) => averagePrecision(t, p, { onUndefined: 'skip' }),
  };
