import * as tf from '@tensorflow/tfjs-core';
import type { BackboneArgs } from '../architectures/backbone_args.js';
import { createBackbone } from '../architectures/registry.js';
import { InvalidArgumentError } from '../errors.js';
import { attachHead } from '../heads/attach_head.js';
import type { HeadArgs } from '../heads/head.js';
import type { BatchIterable } from './joint_fine_tune.js';
import { checkTask, type TaskSpec, taskHead, taskLoss } from './task.js';
import {
  defaultTaskMetric,
  predictDataset,
  scoreTask,
  type TaskMetric,
  type TaskScores,
} from './task_metrics.js';

/** A candidate backbone: a registered name, optionally with its own builder arguments. */
export type BackboneCandidate = string | { name: string; args?: BackboneArgs };

/** Arguments of {@link selectBackbones}. */
export interface SelectBackbonesArgs {
  /** What to predict (see `TASK_PRESETS`). */
  task: TaskSpec;
  /** How many of the best to keep in `top`. @defaultValue 2 */
  topK?: number;
  /** Training epochs per candidate (the same budget for every one). @defaultValue 1 */
  epochs?: number;
  /** Validation metric that ranks them (higher is better). @defaultValue AUC (binary, multi-label), accuracy (multi-class), kappa (grade) */
  metric?: TaskMetric;
  /** Image input [height, width, 3]. @defaultValue [224, 224, 3] */
  inputShape?: [number, number, number];
  /** Builder arguments shared by every candidate (e.g. `widthMultiplier`, `weights`). @defaultValue {} */
  backboneArgs?: BackboneArgs;
  /** Head options (dropout, hidden layer). @defaultValue {} */
  head?: Omit<HeadArgs, 'name'>;
  /** Adam learning rate. @defaultValue 1e-4 */
  learningRate?: number;
  /** Called after each candidate is scored. */
  onCandidate?: (result: CandidateResult, index: number, of: number) => void;
}

/** One candidate's figures. */
export interface CandidateResult {
  name: string;
  args: BackboneArgs;
  /** The ranking metric on the validation data (NaN when it is undefined there; ranked last). */
  score: number;
  scores: TaskScores;
  /** Mean training loss of the last epoch. */
  trainLoss: number;
  params: number;
  seconds: number;
}

/** {@link selectBackbones}'s ranking, best first; `jointFineTune` takes it as `branches`. */
export interface SelectBackbonesResult {
  metric: TaskMetric;
  ranked: CandidateResult[];
  /** The `topK` best. */
  top: CandidateResult[];
}

const FN = 'selectBackbones';

/**
 * Explores several backbones on a task under the same budget and ranks them on validation data — the first
 * step of Sun et al. 2017 (AlexNet, GoogLeNet, VGG-16 and ResNet-50 fine-tuned; the top two joined). Each
 * candidate is built with a fresh head, trained for `epochs` on `train`, scored on `val`, and disposed.
 *
 * @param candidates Names from `listBackbones()` (or `{ name, args }`).
 * @param train Batches `{xs, ys}` matching `task` (e.g. `fromCsv(...).dataset`).
 * @param val Validation batches.
 * @example
 * ```ts
 * const ranking = await selectBackbones(['alexnet', 'googlenet', 'vgg16', 'resnet50'], train, val, {
 *   task: TASK_PRESETS.quality, epochs: 2, backboneArgs: { weights: … },
 * });
 * console.table(ranking.ranked.map(({ name, score }) => ({ name, score })));
 * const joint = await jointFineTune({ branches: ranking, task: TASK_PRESETS.quality });
 * ```
 * @throws {@link InvalidArgumentError} for no candidates, a bad `topK`, `epochs`, `metric` or task.
 * @throws {@link UnknownArchitectureError} for an unknown name.
 * @see F. Sun et al., "Retinal image quality classification using fine-tuned CNN", OMIA 2017.
 */
export async function selectBackbones(
  candidates: readonly BackboneCandidate[],
  train: BatchIterable,
  val: BatchIterable,
  args: SelectBackbonesArgs,
): Promise<SelectBackbonesResult> {
  const task = checkTask(FN, args?.task);
  if (!Array.isArray(candidates) || candidates.length === 0) {
    throw new InvalidArgumentError(
      'candidates',
      `${FN}: candidates must be a non-empty list of backbone names.`,
      candidates,
    );
  }
  const topK = args.topK ?? 2;
  if (!Number.isInteger(topK) || topK < 1 || topK > candidates.length) {
    throw new InvalidArgumentError(
      'topK',
      `${FN}: topK must be an integer in [1, ${candidates.length}], but got ${topK}.`,
      topK,
    );
  }
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new InvalidArgumentError(
      'epochs',
      `${FN}: epochs must be a positive integer, but got ${epochs}.`,
      epochs,
    );
  }
  const metric = args.metric ?? defaultTaskMetric(task);
  const allowed: TaskMetric[] = task.task === 'grade' ? ['accuracy', 'kappa'] : ['accuracy', 'auc'];
  if (!allowed.includes(metric)) {
    throw new InvalidArgumentError(
      'metric',
      `${FN}: metric must be ${allowed.map((m) => `'${m}'`).join(' or ')} for a ${task.task} task, but got ${String(metric)}.`,
      metric,
    );
  }
  const inputShape = args.inputShape ?? [224, 224, 3];
  const results: CandidateResult[] = [];
  for (const [i, candidate] of candidates.entries()) {
    const { name, args: own } =
      typeof candidate === 'string' ? { name: candidate, args: undefined } : candidate;
    const backboneArgs: BackboneArgs = { ...args.backboneArgs, ...own };
    const started = performance.now();
    const backbone = await createBackbone(name, {
      ...backboneArgs,
      inputShape,
      includeTop: false,
      pooling: 'avg',
    });
    const model = attachHead(backbone, taskHead(task, { ...args.head, name: 'head' }));
    const optimizer = tf.train.adam(args.learningRate ?? 1e-4);
    try {
      model.compile({ optimizer, loss: taskLoss(task) });
      const history = await model.fitDataset(train as never, { epochs, verbose: 0 });
      const losses = history.history.loss as number[];
      const scores = scoreTask(task, await predictDataset(model, val));
      const result: CandidateResult = {
        name,
        args: backboneArgs,
        score: scores[metric] ?? Number.NaN,
        scores,
        trainLoss: losses[losses.length - 1] ?? Number.NaN,
        params: model.countParams(),
        seconds: (performance.now() - started) / 1000,
      };
      results.push(result);
      args.onCandidate?.(result, i, candidates.length);
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  }
  const ranked = [...results].sort((a, b) => rank(b.score) - rank(a.score));
  return { metric, ranked, top: ranked.slice(0, topK) };
}

function rank(score: number): number {
  return Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score;
}
