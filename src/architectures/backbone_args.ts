import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';
import type { WeightsSource } from '../weights/index.js';

/** Activation of a backbone's classification layer; `null` and `'linear'` both mean logits. */
export type ClassifierActivation = 'softmax' | 'sigmoid' | 'linear' | null;

/**
 * The one argument object every backbone builder takes (keras.applications' arguments, plus
 * `widthMultiplier` and `skipMismatch`).
 */
export interface BackboneArgs {
  /**
   * Input shape `[height, width, channels]`, positive integers. Each architecture has a smallest size it can
   * take (VGG and ResNet 32, AlexNet 63, GoogLeNet 31, or 79 with `auxLogits`); smaller inputs throw.
   * Channels other than 3 are allowed only without `weights` (pretrained first layers expect RGB).
   * @defaultValue `[224, 224, 3]`
   */
  inputShape?: [number, number, number];
  /**
   * Keep the classifier (`predictions` and, for VGG/AlexNet, the dense layers before it). With `weights`, a
   * flatten-based top (VGG, AlexNet) fixes the input to 224 × 224 × 3, as in Keras, unless `skipMismatch` is set.
   * @defaultValue `true`
   */
  includeTop?: boolean;
  /**
   * Global pooling after the last feature map when `includeTop` is false: `'avg'` or `'max'` gives a
   * `[batch, channels]` output, `null` keeps the 4-D feature map. Ignored when `includeTop` is true (as in Keras).
   * @defaultValue `null`
   */
  pooling?: 'avg' | 'max' | null;
  /** Number of classes of the `predictions` layer (used only with `includeTop`). @defaultValue `1000` */
  classes?: number;
  /** Activation of `predictions`; `null` or `'linear'` gives logits. @defaultValue `'softmax'` */
  classifierActivation?: ClassifierActivation;
  /**
   * Pretrained weights to load by layer name after building (Keras `.h5`, TF.js `model.json`, an IOHandler or a
   * model): see {@link loadWeights}. `null` keeps the random initialisation.
   * @defaultValue `null`
   */
  weights?: WeightsSource | null;
  /**
   * With `weights`: load the layers that fit and skip the rest (a new head, a different input size) instead of
   * throwing on a mismatch.
   * @defaultValue `false`
   */
  skipMismatch?: boolean;
  /**
   * Scales every channel and unit count (convolutions and the hidden dense layers, not `classes`), rounding to
   * the nearest integer, at least 1: `0.25` gives a net about 16 times lighter for tests and edge devices.
   * @defaultValue `1`
   */
  widthMultiplier?: number;
  /** Name of the returned model. @defaultValue the architecture's name, e.g. `'resnet50'` */
  name?: string;
}

/** A backbone builder: every builder in the registry has this signature. */
export type BackboneBuilder = (args?: BackboneArgs) => Promise<tfl.LayersModel>;

/** {@link BackboneArgs} with defaults filled in and checked. @internal */
export interface ResolvedBackboneArgs {
  inputShape: [number, number, number];
  includeTop: boolean;
  pooling: 'avg' | 'max' | null;
  classes: number;
  activation: 'softmax' | 'sigmoid' | 'linear';
  weights: WeightsSource | null;
  skipMismatch: boolean;
  widthMultiplier: number;
  name: string;
}

/** What the argument checks need to know about an architecture. @internal */
export interface ArchitectureSpec {
  /** Builder name, for messages (`'vgg16'`). */
  fn: string;
  /** Smallest height and width the architecture takes. */
  minSize: number;
  /** Whether the classifier flattens the last feature map (its weights then fix the input size). */
  flattenTop: boolean;
}

/** Input size of the published (ImageNet) models. */
export const DEFAULT_INPUT_SHAPE: readonly [number, number, number] = [224, 224, 3];

const ACTIVATIONS = ['softmax', 'sigmoid', 'linear'] as const;

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function optionalBoolean(fn: string, argument: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') {
    throw new InvalidArgumentError(
      argument,
      `${fn}: ${argument} must be a boolean, but got ${String(v)}.`,
      v,
    );
  }
  return v;
}

/**
 * Fills in defaults and checks every field of `args` for `spec` before anything is built.
 * @internal
 */
export function resolveBackboneArgs(spec: ArchitectureSpec, args: BackboneArgs = {}): ResolvedBackboneArgs {
  const { fn } = spec;
  if (typeof args !== 'object' || args === null) {
    throw new InvalidArgumentError('args', `${fn}: args must be an object, but got ${String(args)}.`, args);
  }
  const shape = args.inputShape ?? [...DEFAULT_INPUT_SHAPE];
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every(isPositiveInteger)) {
    throw new InvalidArgumentError(
      'inputShape',
      `${fn}: inputShape must be [height, width, channels] of positive integers, but got ${JSON.stringify(shape)}.`,
      shape,
    );
  }
  const inputShape: [number, number, number] = [shape[0], shape[1], shape[2]];
  if (inputShape[0] < spec.minSize || inputShape[1] < spec.minSize) {
    throw new InvalidArgumentError(
      'inputShape',
      `${fn}: inputShape must be at least ${spec.minSize}×${spec.minSize} pixels, but got ${JSON.stringify(inputShape)}.`,
      shape,
    );
  }
  const includeTop = optionalBoolean(fn, 'includeTop', args.includeTop, true);
  const skipMismatch = optionalBoolean(fn, 'skipMismatch', args.skipMismatch, false);
  const pooling = args.pooling ?? null;
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new InvalidArgumentError(
      'pooling',
      `${fn}: pooling must be 'avg', 'max' or null, but got ${JSON.stringify(pooling)}.`,
      pooling,
    );
  }
  const classes = args.classes ?? 1000;
  if (!isPositiveInteger(classes)) {
    throw new InvalidArgumentError(
      'classes',
      `${fn}: classes must be a positive integer, but got ${String(classes)}.`,
      classes,
    );
  }
  const chosen =
    args.classifierActivation === undefined ? 'softmax' : (args.classifierActivation ?? 'linear');
  if (!(ACTIVATIONS as readonly string[]).includes(chosen)) {
    throw new InvalidArgumentError(
      'classifierActivation',
      `${fn}: classifierActivation must be 'softmax', 'sigmoid', 'linear' or null, but got ${JSON.stringify(chosen)}.`,
      chosen,
    );
  }
  const widthMultiplier = args.widthMultiplier ?? 1;
  if (typeof widthMultiplier !== 'number' || !Number.isFinite(widthMultiplier) || widthMultiplier <= 0) {
    throw new InvalidArgumentError(
      'widthMultiplier',
      `${fn}: widthMultiplier must be a finite number > 0, but got ${String(widthMultiplier)}.`,
      widthMultiplier,
    );
  }
  const name = args.name ?? fn;
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(
      'name',
      `${fn}: name must be a non-empty string, but got ${String(name)}.`,
      name,
    );
  }
  const weights = args.weights ?? null;
  if (weights !== null) {
    if (inputShape[2] !== 3) {
      throw new InvalidArgumentError(
        'inputShape',
        `${fn}: inputShape must have 3 channels when weights are given (pretrained first layers expect RGB), but got ${JSON.stringify(inputShape)}.`,
        shape,
      );
    }
    const isDefault = inputShape[0] === DEFAULT_INPUT_SHAPE[0] && inputShape[1] === DEFAULT_INPUT_SHAPE[1];
    if (spec.flattenTop && includeTop && !isDefault && !skipMismatch) {
      throw new InvalidArgumentError(
        'inputShape',
        `${fn}: with includeTop and weights, inputShape must be [224, 224, 3] (the dense layers after the flatten fix the size), but got ${JSON.stringify(inputShape)}; pass includeTop: false, or skipMismatch: true to leave the dense layers untrained.`,
        shape,
      );
    }
  }
  return {
    inputShape,
    includeTop,
    pooling,
    classes,
    activation: chosen as 'softmax' | 'sigmoid' | 'linear',
    weights,
    skipMismatch,
    widthMultiplier,
    name,
  };
}
