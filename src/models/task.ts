import type { LabelTask } from '../data/labels.js';
import { InvalidArgumentError } from '../errors.js';
import { binaryHead } from '../heads/binary_head.js';
import type { Head, HeadArgs } from '../heads/head.js';
import { multiLabelHead } from '../heads/multi_label_head.js';
import { ordinalHead } from '../heads/ordinal_head.js';
import { softmaxHead } from '../heads/softmax_head.js';
import { binaryCrossEntropy } from '../losses/binary_cross_entropy.js';
import { categoricalCrossEntropy } from '../losses/categorical_cross_entropy.js';
import { coralLoss } from '../losses/coral_loss.js';
import type { LossFunction } from '../losses/loss_utils.js';

/**
 * What a model predicts, in the dataset's terms (`LabelTask` of `fromCsv`/`fromFolder`): its class names fix
 * the head's width. `grade` uses the ordinal (CORAL) head and expects the dataset's `'ordinal'` encoding.
 */
export interface TaskSpec {
  /** `binary`, `multiclass`, `multilabel` or `grade`. */
  task: LabelTask;
  /** Class names (binary: `[negative, positive]`; grade: `'0'` … `'K−1'`). */
  classes: readonly string[];
  /** multilabel only: per-class positive weights for the loss (see `positiveWeightsFromCounts`). */
  posWeight?: readonly number[];
  /** Label smoothing for multiclass. @defaultValue 0 */
  labelSmoothing?: number;
}

/**
 * The seeds' tasks as ready-made {@link TaskSpec}s: image quality (Sun et al. 2017: good/poor; EyeQ's
 * good/usable/reject), anomaly (normal/abnormal), and the five-level DR grade.
 */
export const TASK_PRESETS = {
  quality: { task: 'binary', classes: ['good', 'poor'] },
  eyeqQuality: { task: 'multiclass', classes: ['good', 'usable', 'reject'] },
  anomaly: { task: 'binary', classes: ['normal', 'abnormal'] },
  drGrade: { task: 'grade', classes: ['0', '1', '2', '3', '4'] },
} as const satisfies Record<string, TaskSpec>;

const TASKS: readonly LabelTask[] = ['binary', 'multiclass', 'multilabel', 'grade'];

/** Checks a task spec, naming `fn`. */
export function checkTask(fn: string, spec: TaskSpec): TaskSpec {
  if (spec === null || typeof spec !== 'object' || !TASKS.includes(spec.task)) {
    throw new InvalidArgumentError(
      'task',
      `${fn}: task must be { task: ${TASKS.map((t) => `'${t}'`).join(' | ')}, classes }, but got ${JSON.stringify(spec)}.`,
      spec,
    );
  }
  const min = spec.task === 'multilabel' ? 1 : 2;
  if (
    !Array.isArray(spec.classes) ||
    spec.classes.length < min ||
    (spec.task === 'binary' && spec.classes.length !== 2)
  ) {
    throw new InvalidArgumentError(
      'task.classes',
      `${fn}: a ${spec.task} task needs ${spec.task === 'binary' ? 'exactly 2' : `at least ${min}`} class names, but got ${JSON.stringify(spec.classes)}.`,
      spec.classes,
    );
  }
  return spec;
}

/** The head for `spec` (probabilities out; logits in the `<name>_logits` layer). */
export function taskHead(spec: TaskSpec, args: HeadArgs): Head {
  const classes = spec.classes.length;
  switch (spec.task) {
    case 'binary':
      return binaryHead(args);
    case 'multiclass':
      return softmaxHead({ ...args, classes });
    case 'multilabel':
      return multiLabelHead({ ...args, classes });
    default:
      return ordinalHead({ ...args, classes });
  }
}

/** The loss matching {@link taskHead}'s output for `spec` (on probabilities). */
export function taskLoss(spec: TaskSpec): LossFunction {
  switch (spec.task) {
    case 'binary':
      return binaryCrossEntropy();
    case 'multiclass':
      return categoricalCrossEntropy({ labelSmoothing: spec.labelSmoothing ?? 0 });
    case 'multilabel':
      return binaryCrossEntropy(spec.posWeight === undefined ? {} : { posWeight: spec.posWeight });
    default:
      return coralLoss();
  }
}
