import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';
import { accuracy } from '../metrics/accuracy.js';
import { cohenKappa } from '../metrics/cohen_kappa.js';
import { rocAuc } from '../metrics/roc_auc.js';
import type { BatchIterable } from './joint_fine_tune.js';
import type { TaskSpec } from './task.js';

/** Figures for a task's predictions; `auc` and `kappa` where the task has them (NaN when undefined). */
export interface TaskScores {
  accuracy: number;
  auc?: number;
  kappa?: number;
}

/** The metric that ranks models for a task by default. */
export type TaskMetric = 'accuracy' | 'auc' | 'kappa';

/** AUC for binary and multi-label tasks, accuracy for multi-class, quadratic weighted kappa for grades. */
export function defaultTaskMetric(spec: TaskSpec): TaskMetric {
  return spec.task === 'multiclass' ? 'accuracy' : spec.task === 'grade' ? 'kappa' : 'auc';
}

/** Rows of labels and of probabilities, as a model's head outputs them (see `taskHead`). */
export interface TaskPredictions {
  labels: number[][];
  probabilities: number[][];
}

/**
 * Scores predictions for a task: binary (P(positive) > 0.5), multi-class (argmax; one-vs-rest macro AUC),
 * multi-label (every label right for accuracy; macro AUC over labels with both classes), grade (cumulative
 * levels > 0.5 counted into a grade; quadratic weighted kappa). A metric the data cannot define (one class
 * only) is NaN rather than an error, so a ranking still completes.
 */
export function scoreTask(spec: TaskSpec, { labels, probabilities }: TaskPredictions): TaskScores {
  if (labels.length === 0 || labels.length !== probabilities.length) {
    throw new InvalidArgumentError(
      'predictions',
      `scoreTask: need as many label rows as prediction rows (and at least one), but got ${labels.length} and ${probabilities.length}.`,
      labels.length,
    );
  }
  const orNaN = (f: () => number) => {
    try {
      return f();
    } catch {
      return Number.NaN;
    }
  };
  switch (spec.task) {
    case 'binary': {
      const y = labels.map((r) => r[0]!);
      const p = probabilities.map((r) => r[0]!);
      return {
        accuracy: accuracy(
          y,
          p.map((v) => (v > 0.5 ? 1 : 0)),
        ),
        auc: orNaN(() => rocAuc(y, p)),
      };
    }
    case 'multiclass': {
      const y = labels.map(argmax);
      return {
        accuracy: accuracy(y, probabilities.map(argmax)),
        auc: orNaN(() => rocAuc(y, probabilities)),
      };
    }
    case 'multilabel':
      return {
        accuracy: accuracy(
          labels,
          probabilities.map((r) => r.map((v) => (v > 0.5 ? 1 : 0))),
        ),
        auc: orNaN(() => rocAuc(labels, probabilities, { average: 'macro', onUndefined: 'skip' })),
      };
    default: {
      const grade = (r: number[]) => r.filter((v) => v > 0.5).length;
      const y = labels.map(grade);
      const p = probabilities.map(grade);
      return { accuracy: accuracy(y, p), kappa: orNaN(() => cohenKappa(y, p, { weights: 'quadratic' })) };
    }
  }
}

/** Index of the largest value of a row (the first on ties). */
export function argmax(row: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * Runs `model` over a dataset of `{xs, ys}` batches and collects label and probability rows (of output
 * `output` for a multi-output model). Disposes every batch.
 */
export async function predictDataset(
  model: tfl.LayersModel,
  dataset: BatchIterable,
  output = 0,
): Promise<TaskPredictions> {
  return (await predictDatasetOutputs(model, dataset, [output]))[0]!;
}

/**
 * {@link predictDataset} for several outputs of a multi-output model in one pass over the data (each photo
 * decoded once): one {@link TaskPredictions} per entry of `outputs`.
 */
export async function predictDatasetOutputs(
  model: tfl.LayersModel,
  dataset: BatchIterable,
  outputs: readonly number[] = model.outputs.map((_, i) => i),
): Promise<TaskPredictions[]> {
  const results = outputs.map((): TaskPredictions => ({ labels: [], probabilities: [] }));
  const it = await dataset.iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const { xs, ys } = r.value;
    const out = tf.tidy(() => {
      const p = model.predict(xs);
      const all = Array.isArray(p) ? p : [p];
      return outputs.map((o) => all[o]!);
    });
    const [y, ...ps] = await Promise.all([ys.array(), ...out.map((t) => t.array())]);
    for (const [k, result] of results.entries()) {
      for (let i = 0; i < (y as number[][]).length; i++) {
        const yi = (y as number[] | number[][])[i]!;
        result.labels.push(Array.isArray(yi) ? yi : [yi]);
        result.probabilities.push((ps[k] as number[][])[i]!);
      }
    }
    tf.dispose([xs, ys, ...out]);
  }
  return results;
}
