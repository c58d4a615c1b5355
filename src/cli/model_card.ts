import type { LabelTask } from '../data/labels.js';
import { FundusError } from '../errors.js';
import { COLOURS, type PreprocessSettings } from './preprocess_settings.js';
import { FUNDUS_KIT_VERSION } from './version.js';

/** The `format` tag of a model card. */
export const MODEL_CARD_FORMAT = 'fundus-kit/model-card';

/** Model-card layout version this fundus-kit writes and reads. */
export const MODEL_CARD_VERSION = 1;

/** File name of the model card saved beside a TF.js model (`model.json` + weights). */
export const MODEL_CARD_FILE = 'fundus-kit.json';

const TASKS: readonly LabelTask[] = ['binary', 'multiclass', 'multilabel', 'grade'];

/**
 * How a saved model was trained: the small JSON (`fundus-kit.json`) next to its `model.json`, so `predict`,
 * `eval` and `explain` prepare new photos exactly as the training photos were and name the outputs.
 */
export interface ModelCard {
  /** Always {@link MODEL_CARD_FORMAT}. */
  format: typeof MODEL_CARD_FORMAT;
  /** Layout version, {@link MODEL_CARD_VERSION}. */
  version: number;
  /** A name for people. @defaultValue none */
  name?: string;
  /** What the outputs mean. */
  task: LabelTask;
  /** Class names in output order (`binary`: `[negative, positive]`; `grade`: the grades in order). */
  classes: string[];
  /** Backbone(s) the model is built from, e.g. `['vgg16', 'resnet50']` for a joint model. */
  backbones: string[];
  /** The model's input shape `[height, width, channels]`. */
  inputSize: [number, number, number];
  /** The preprocessing applied to every photo before the model (as `fundus-kit preprocess` does it). */
  preprocessing: PreprocessSettings;
  /** Decision threshold on probabilities for `binary` and `multilabel`. @defaultValue 0.5 */
  threshold?: number;
  /** When it was saved, ISO 8601. */
  createdAt: string;
  /** fundus-kit version that saved it. */
  fundusKitVersion: string;
  /** Held-out metrics by name (`accuracy`, `auc`, …). @defaultValue none */
  metrics?: Record<string, number>;
  /** How training ran, free-form scalars (`epochs`, `batchSize`, `dataset`, `backend`). @defaultValue none */
  training?: Record<string, string | number | boolean>;
}

/** The fields a caller supplies to {@link createModelCard}; the rest are filled in. */
export type ModelCardArgs = Omit<ModelCard, 'format' | 'version' | 'createdAt' | 'fundusKitVersion'> & {
  /** @defaultValue now */
  createdAt?: string;
};

/**
 * A model card that is missing, malformed or from an incompatible version; names the field at fault.
 *
 * @example
 * ```ts
 * try {
 *   await readModelCard('models/quality');
 * } catch (e) {
 *   if (e instanceof ModelCardError) console.error(e.field, e.message);
 * }
 * ```
 */
export class ModelCardError extends FundusError {
  /** Dotted path of the field at fault (`preprocessing.size`), or `''` for the whole card. */
  readonly field: string;
  /** The file (or description) the card came from. */
  readonly source: string;

  constructor(source: string, field: string, message: string, value?: unknown) {
    super(`${source}: ${field === '' ? '' : `${field} `}${message}`, { value });
    this.field = field;
    this.source = source;
  }
}

/**
 * A complete, validated model card from what the trainer knows, stamped with the date and fundus-kit version.
 *
 * @example
 * ```ts
 * const card = createModelCard({
 *   task: 'binary', classes: ['good', 'poor'], backbones: ['vgg16', 'resnet50'], inputSize: [224, 224, 3],
 *   preprocessing: { size: 224, colour: 'vgg', crop: true, margin: 0, mask: false },
 *   metrics: { accuracy: 0.93, auc: 0.97 },
 * });
 * ```
 * @throws {@link ModelCardError} naming the first invalid field.
 */
export function createModelCard(args: ModelCardArgs): ModelCard {
  return parseModelCard(
    {
      format: MODEL_CARD_FORMAT,
      version: MODEL_CARD_VERSION,
      ...args,
      createdAt: args.createdAt ?? new Date().toISOString(),
      fundusKitVersion: FUNDUS_KIT_VERSION,
    },
    'createModelCard',
  );
}

/**
 * Validates a parsed model-card JSON value and returns it typed (unknown extra fields are dropped).
 *
 * @param value The parsed JSON.
 * @param source Named in error messages (the file path).
 * @example
 * ```ts
 * const card = parseModelCard(JSON.parse(text), 'models/quality/fundus-kit.json');
 * console.log(card.task, card.classes, card.preprocessing.size);
 * ```
 * @throws {@link ModelCardError} naming the first invalid field, what it must be and what it holds.
 */
export function parseModelCard(value: unknown, source = 'model card'): ModelCard {
  const fail = (field: string, message: string, got?: unknown): never => {
    throw new ModelCardError(source, field, message, got);
  };
  if (!isRecord(value)) return fail('', `must be a JSON object, but got ${describe(value)}.`, value);
  if (value.format !== MODEL_CARD_FORMAT) {
    fail(
      'format',
      `must be '${MODEL_CARD_FORMAT}', but got ${describe(value.format)} (is this a fundus-kit model card?).`,
    );
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    fail('version', `must be a positive integer, but got ${describe(version)}.`);
  }
  if ((version as number) > MODEL_CARD_VERSION) {
    fail(
      'version',
      `is ${version}, newer than this fundus-kit ${FUNDUS_KIT_VERSION} reads (${MODEL_CARD_VERSION}); upgrade fundus-kit.`,
    );
  }
  const task = value.task;
  if (typeof task !== 'string' || !(TASKS as readonly string[]).includes(task)) {
    fail('task', `must be one of ${TASKS.join(', ')}, but got ${describe(task)}.`);
  }
  const classes = stringArray(value.classes, 'classes', fail);
  if (new Set(classes).size !== classes.length)
    fail('classes', `must not repeat a name, but got ${describe(classes)}.`);
  if (task === 'binary' && classes.length !== 2) {
    fail('classes', `must be [negative, positive] for task 'binary', but got ${classes.length} names.`);
  } else if (task !== 'binary' && classes.length < 2) {
    fail('classes', `must name at least 2 classes, but got ${classes.length}.`);
  }
  const backbones = stringArray(value.backbones, 'backbones', fail);
  const inputSize = value.inputSize;
  if (
    !Array.isArray(inputSize) ||
    inputSize.length !== 3 ||
    !inputSize.every((n) => typeof n === 'number' && Number.isInteger(n) && n > 0)
  ) {
    fail(
      'inputSize',
      `must be [height, width, channels], positive integers, but got ${describe(inputSize)}.`,
    );
  }
  const preprocessing = parsePreprocessing(value.preprocessing, fail);
  const card: ModelCard = {
    format: MODEL_CARD_FORMAT,
    version: version as number,
    task: task as LabelTask,
    classes,
    backbones,
    inputSize: [...(inputSize as number[])] as [number, number, number],
    preprocessing,
    createdAt: '',
    fundusKitVersion: '',
  };
  if (value.name !== undefined) {
    if (typeof value.name !== 'string') fail('name', `must be a string, but got ${describe(value.name)}.`);
    card.name = value.name as string;
  }
  if (value.threshold !== undefined) {
    const t = value.threshold;
    if (typeof t !== 'number' || !(t > 0 && t < 1))
      fail('threshold', `must be a number between 0 and 1, but got ${describe(t)}.`);
    if (task !== 'binary' && task !== 'multilabel')
      fail('threshold', `applies to binary and multilabel tasks, not '${task}'.`);
    card.threshold = t as number;
  }
  const createdAt = value.createdAt;
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) {
    fail('createdAt', `must be an ISO 8601 date, but got ${describe(createdAt)}.`);
  }
  card.createdAt = createdAt as string;
  const kitVersion = value.fundusKitVersion;
  if (typeof kitVersion !== 'string' || !/^\d+\.\d+\.\d+/.test(kitVersion)) {
    fail('fundusKitVersion', `must be a version like '0.1.0', but got ${describe(kitVersion)}.`);
  }
  card.fundusKitVersion = kitVersion as string;
  if (value.metrics !== undefined) {
    if (!isRecord(value.metrics))
      fail('metrics', `must be an object of numbers, but got ${describe(value.metrics)}.`);
    const metrics: Record<string, number> = {};
    for (const [key, v] of Object.entries(value.metrics as Record<string, unknown>)) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        fail(`metrics.${key}`, `must be a finite number, but got ${describe(v)}.`);
      metrics[key] = v as number;
    }
    card.metrics = metrics;
  }
  if (value.training !== undefined) {
    if (!isRecord(value.training))
      fail('training', `must be an object, but got ${describe(value.training)}.`);
    const training: Record<string, string | number | boolean> = {};
    for (const [key, v] of Object.entries(value.training as Record<string, unknown>)) {
      if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
        fail(`training.${key}`, `must be a string, finite number or boolean, but got ${describe(v)}.`);
      }
      training[key] = v as string | number | boolean;
    }
    card.training = training;
  }
  return card;
}

function parsePreprocessing(
  value: unknown,
  fail: (field: string, message: string, got?: unknown) => never,
): PreprocessSettings {
  if (!isRecord(value)) return fail('preprocessing', `must be an object, but got ${describe(value)}.`);
  const { size, colour, crop, margin, mask } = value;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    fail('preprocessing.size', `must be a positive integer, but got ${describe(size)}.`);
  }
  if (typeof colour !== 'string' || !(COLOURS as readonly string[]).includes(colour)) {
    fail('preprocessing.colour', `must be one of ${COLOURS.join(', ')}, but got ${describe(colour)}.`);
  }
  if (typeof crop !== 'boolean')
    fail('preprocessing.crop', `must be true or false, but got ${describe(crop)}.`);
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin <= -1) {
    fail('preprocessing.margin', `must be a number above -1, but got ${describe(margin)}.`);
  }
  if (typeof mask !== 'boolean')
    fail('preprocessing.mask', `must be true or false, but got ${describe(mask)}.`);
  return {
    size: size as number,
    colour: colour as PreprocessSettings['colour'],
    crop: crop as boolean,
    margin: margin as number,
    mask: mask as boolean,
  };
}

function stringArray(
  value: unknown,
  field: string,
  fail: (field: string, message: string, got?: unknown) => never,
): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((s) => typeof s === 'string' && s !== '')) {
    return fail(field, `must be a non-empty array of non-empty strings, but got ${describe(value)}.`);
  }
  return [...value] as string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
