import { confusionMatrix } from '../metrics/confusion_matrix.js';
import { precisionRecallF1 } from '../metrics/precision_recall_f1.js';
import { rocCurve } from '../metrics/roc_curve.js';
import { argmax, type TaskPredictions } from '../models/task_metrics.js';
import type { ModelCard } from './model_card.js';
import type { ReportConfusionMatrix, ReportRocCurve, ReportTable } from './report_data.js';

/** Single-label class indices (true, predicted) of a task's predictions; undefined for multi-label. */
export function classIndices(
  card: Pick<ModelCard, 'task' | 'threshold'>,
  { labels, probabilities }: TaskPredictions,
): { truth: number[]; predicted: number[] } | undefined {
  const threshold = card.threshold ?? 0.5;
  switch (card.task) {
    case 'binary':
      return {
        truth: labels.map((r) => r[0]!),
        predicted: probabilities.map((r) => (r[0]! > threshold ? 1 : 0)),
      };
    case 'multiclass':
      return { truth: labels.map(argmax), predicted: probabilities.map(argmax) };
    case 'grade':
      return { truth: labels.map(countAbove), predicted: probabilities.map(countAbove) };
    default:
      return undefined;
  }
}

/** The confusion matrix of output predictions (single-label tasks), rows true class. */
export function confusionOf(
  card: ModelCard,
  predictions: TaskPredictions,
): ReportConfusionMatrix | undefined {
  const pairs = classIndices(card, predictions);
  if (pairs === undefined) return undefined;
  const labels = card.classes.map((_, i) => i);
  return {
    classes: [...card.classes],
    counts: confusionMatrix(pairs.truth, pairs.predicted, { labels }).matrix,
  };
}

/** Per-class precision, recall, F1 and support (multi-label: per label at the card's threshold). */
export function perClassTable(card: ModelCard, predictions: TaskPredictions): ReportTable {
  const threshold = card.threshold ?? 0.5;
  const pairs = classIndices(card, predictions);
  const r =
    pairs === undefined
      ? precisionRecallF1(
          predictions.labels,
          predictions.probabilities.map((row) => row.map((p) => (p > threshold ? 1 : 0))),
        )
      : precisionRecallF1(pairs.truth, pairs.predicted, { labels: card.classes.map((_, i) => i) });
  return {
    title: 'Per class',
    columns: ['precision', 'recall', 'F1', 'photos'],
    rows: [
      ...card.classes.map((name, i) => ({
        label: name,
        values: [r.precision[i]!, r.recall[i]!, r.f1[i]!, r.support[i]!],
      })),
      { label: 'macro average', values: [r.macro.precision, r.macro.recall, r.macro.f1, null] },
    ],
  };
}

/**
 * ROC curves: one per output for binary tasks (the joint model against each branch); one per class
 * (one-vs-rest) of output 0 for multi-class and multi-label; grade: P(grade ≥ k) for each level k. Classes
 * with one kind of label only have no curve.
 */
export function rocCurves(
  card: ModelCard,
  outputs: readonly string[],
  predictions: readonly TaskPredictions[],
): ReportRocCurve[] {
  const curve = (label: string, y: number[], score: number[]): ReportRocCurve[] => {
    if (!y.includes(0) || !y.includes(1)) return [];
    const c = rocCurve(y, score);
    return [{ label, fpr: c.fpr, tpr: c.tpr }];
  };
  if (card.task === 'binary') {
    return predictions.flatMap((p, o) =>
      curve(
        outputs[o]!,
        p.labels.map((r) => r[0]!),
        p.probabilities.map((r) => r[0]!),
      ),
    );
  }
  const p = predictions[0]!;
  if (card.task === 'grade') {
    return card.classes.slice(1).flatMap((name, k) =>
      curve(
        `grade ≥ ${name}`,
        p.labels.map((r) => r[k]!),
        p.probabilities.map((r) => r[k]!),
      ),
    );
  }
  const truth = card.task === 'multiclass' ? p.labels.map(argmax) : undefined;
  return card.classes.flatMap((name, k) =>
    curve(
      name,
      truth === undefined ? p.labels.map((r) => r[k]!) : truth.map((t) => (t === k ? 1 : 0)),
      p.probabilities.map((r) => r[k]!),
    ),
  );
}

function countAbove(row: readonly number[]): number {
  return row.filter((v) => v > 0.5).length;
}
