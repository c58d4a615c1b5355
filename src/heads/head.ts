import * as tfl from '@tensorflow/tfjs-layers';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/** The kinds of head fundus-kit builds. */
export type HeadKind = 'softmax' | 'binary' | 'multiLabel' | 'ordinal' | 'regression';

/** Options every head accepts. */
export interface HeadArgs {
  /**
   * Prefix of the head's layer names: `<name>_pool` (when the features are 4-D), `<name>_hidden`,
   * `<name>_dropout`, `<name>_logits` (pre-activation scores, for Grad-CAM) and `<name>_activation` (the output).
   * Use different names for the heads of one model.
   * @defaultValue the kind: `'softmax'`, `'binary'`, `'multi_label'`, `'ordinal'` or `'regression'`
   */
  name?: string;
  /** Dropout rate in [0, 1) before the logits layer; 0 adds no layer. @defaultValue 0 */
  dropout?: number;
  /** Units of a hidden dense layer between the pooled features and the logits; `null` for none. @defaultValue null */
  hiddenUnits?: number | null;
  /** Activation of the hidden layer (a tfjs-layers activation name). @defaultValue 'relu' */
  hiddenActivation?: 'relu' | 'elu' | 'selu' | 'swish' | 'tanh' | 'gelu';
}

/**
 * A classification or grading head: a recipe that {@link attachHead} (or `head.apply`) appends to a feature
 * tensor. Each `apply` creates new layers, so one head description can serve several models.
 */
export interface Head {
  /** What the head predicts. */
  readonly kind: HeadKind;
  /** Prefix of its layer names. */
  readonly name: string;
  /** Number of classes (grades for `ordinal`/`regression`, 1 for `binary`). */
  readonly classes: number;
  /** Width of the output: K (softmax, multi-label), 1 (binary, regression), K − 1 (ordinal). */
  readonly units: number;
  /** Name of the layer that outputs the pre-activation logits, `<name>_logits`. */
  readonly logitsLayerName: string;
  /** Name of the output layer, `<name>_activation` (softmax, sigmoid or linear). */
  readonly outputLayerName: string;
  /**
   * Appends the head to `features` (`[N, D]`, or `[N, H, W, C]`, pooled by global average first) and returns
   * the output tensor.
   * @throws {@link ShapeError} when `features` is neither rank 2 nor rank 4.
   */
  apply(features: tfl.SymbolicTensor): tfl.SymbolicTensor;
}

/** Resolved options shared by the head builders. */
interface HeadSpec {
  kind: HeadKind;
  classes: number;
  units: number;
  activation: 'softmax' | 'sigmoid' | 'linear';
  logits: (name: string) => tfl.layers.Layer;
}

const DEFAULT_NAMES: Record<HeadKind, string> = {
  softmax: 'softmax',
  binary: 'binary',
  multiLabel: 'multi_label',
  ordinal: 'ordinal',
  regression: 'regression',
};

/** Validates the common options and returns the head. */
export function makeHead(fn: string, args: HeadArgs, spec: HeadSpec): Head {
  const name = args.name ?? DEFAULT_NAMES[spec.kind];
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw invalid(fn, 'name', 'a layer name (letters, digits, _ . -)', name);
  }
  const dropout = args.dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    throw invalid(fn, 'dropout', 'a number in [0, 1)', dropout);
  }
  const hiddenUnits = args.hiddenUnits ?? null;
  if (hiddenUnits !== null && !(Number.isInteger(hiddenUnits) && hiddenUnits > 0)) {
    throw invalid(fn, 'hiddenUnits', 'a positive integer or null', hiddenUnits);
  }
  const hiddenActivation = args.hiddenActivation ?? 'relu';
  if (!['relu', 'elu', 'selu', 'swish', 'tanh', 'gelu'].includes(hiddenActivation)) {
    throw invalid(
      fn,
      'hiddenActivation',
      "'relu' | 'elu' | 'selu' | 'swish' | 'tanh' | 'gelu'",
      hiddenActivation,
    );
  }
  return Object.freeze({
    kind: spec.kind,
    name,
    classes: spec.classes,
    units: spec.units,
    logitsLayerName: `${name}_logits`,
    outputLayerName: `${name}_activation`,
    apply(features: tfl.SymbolicTensor): tfl.SymbolicTensor {
      if (!(features instanceof tfl.SymbolicTensor)) {
        throw invalid(`${fn}().apply`, 'features', 'a SymbolicTensor (a layer output)', features);
      }
      const rank = features.shape.length;
      if (rank !== 2 && rank !== 4) {
        throw new ShapeError(
          `${fn}().apply: features must be rank 2 [N, D] or rank 4 [N, H, W, C], but got rank ${rank} ` +
            `(shape [${features.shape.map((d) => d ?? 'null')}]).`,
          features.shape.map((d) => d ?? -1),
        );
      }
      let x = features;
      const step = (layer: tfl.layers.Layer) => {
        x = layer.apply(x) as tfl.SymbolicTensor;
      };
      if (rank === 4) step(tfl.layers.globalAveragePooling2d({ name: `${name}_pool` }));
      if (hiddenUnits !== null) {
        step(tfl.layers.dense({ units: hiddenUnits, activation: hiddenActivation, name: `${name}_hidden` }));
      }
      if (dropout > 0) step(tfl.layers.dropout({ rate: dropout, name: `${name}_dropout` }));
      step(spec.logits(`${name}_logits`));
      step(tfl.layers.activation({ activation: spec.activation, name: `${name}_activation` }));
      return x;
    },
  });
}

/** An integer ≥ `min`. */
export function classCount(fn: string, value: unknown, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) {
    throw invalid(fn, 'classes', `an integer ≥ ${min}`, value);
  }
  return value as number;
}
