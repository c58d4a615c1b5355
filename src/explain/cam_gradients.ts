import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { defaultLayer } from './default_layer.js';
import { GraphPass, type GraphTensor, topScope, walkBackwards } from './model_graph.js';

/**
 * What a heatmap explains, per image:
 * - a class index (the same for every image) or an array of indices (one per image) into the last axis of a
 *   rank-2 output;
 * - `'argmax'`: each image's top class;
 * - a function of the output tensor [N, …] returning one score per image, [N] — for a sigmoid multi-label unit,
 *   an ordinal grade (e.g. the sum of the threshold logits), a regression value, or any mix. It runs under
 *   `tf.grad`: use differentiable tfjs ops, no data reads (and to pick columns on wasm, multiply by a 0/1 mask
 *   rather than `tf.gather`, whose gradient needs a kernel wasm lacks).
 */
export type CamTarget = number | 'argmax' | readonly number[] | ((output: tf.Tensor) => tf.Tensor);

/** Arguments of {@link camGradients} (and the model-side arguments of {@link gradCam}). */
export interface CamGradientsArgs {
  /**
   * The layer (or layers) to explain: a layer name, looked up in nested models too (`'conv5_block3_out'`), or a
   * path through them (`'backbone/conv5_block3_out'`); a nested model's name stands for its last layer. Its
   * output must be a rank-4 feature map [N, h, w, K] that the explained output depends on.
   * @defaultValue {@link defaultLayer}: the last rank-4 feature map before the head (into nested models)
   */
  layer?: string | readonly string[];
  /**
   * What to explain (see {@link CamTarget}).
   * @defaultValue `'argmax'`
   */
  target?: CamTarget;
  /**
   * Which output of a multi-output model: its index in `model.outputs` or the name of the layer producing it.
   * @defaultValue 0
   */
  output?: number | string;
  /**
   * Explain the score before the output's softmax or sigmoid when the output comes from a Dense or Activation
   * layer with one (saturated probabilities have vanishing gradients). Function targets receive these logits.
   * `false` uses the model's output as it is.
   * @defaultValue true
   */
  logits?: boolean;
}

/** What {@link camGradients} returns; the caller owns (and disposes) the tensors. */
export interface CamGradients {
  /** Each explained layer's activation A, [N, h, w, K], in the order of `layers`. */
  activations: tf.Tensor4D[];
  /** ∂score/∂A for each layer, same shapes (each image's own score: images are independent in inference mode). */
  gradients: tf.Tensor4D[];
  /** The explained score of each image, [N] (a logit unless `logits: false`). */
  scores: tf.Tensor1D;
  /** The layers' paths (`'backbone/conv5_block3_out'`); a layer comes after the layers it depends on. */
  layers: string[];
}

/**
 * The activations of layers of a tf.layers model and the gradients of a score with respect to them — the part
 * every CAM method shares. Works on branched graphs (ResNet, Inception), on a backbone nested inside a
 * classifier (the case that fails with "Graph disconnected" in tools that build an auxiliary model), and on
 * multi-output models. One forward pass up to the layer, then the rest of the network as a function of its
 * activation A under `tf.grad`; tensors that bypass A (skip connections) enter as constants of the same pass.
 * Inference mode (no dropout, BatchNorm moving statistics). Builds no model.
 *
 * @param model A functional or Sequential `tf.LayersModel`.
 * @param input The model's input, [N, H, W, C] (or an array for a multi-input model).
 * @returns activations, gradients, scores and layer paths; see {@link CamGradients}.
 * @example
 * ```ts
 * const { activations, gradients, scores } = camGradients(model, images, { layer: 'conv5_block3_out', target: 2 });
 * ```
 * @throws {@link InvalidArgumentError} when `model` is not a LayersModel, a layer is not found (or not on the
 * path to the output), `target` or `output` is invalid, or a target function returns another shape than [N].
 * @throws {@link ShapeError} when the inputs do not match the model, or a layer's output is not rank 4.
 * @see R. R. Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", ICCV 2017.
 */
export function camGradients(
  model: tfl.LayersModel,
  input: tf.Tensor | readonly tf.Tensor[],
  args: CamGradientsArgs = {},
  fn = 'camGradients',
): CamGradients {
  if (!(model instanceof tfl.LayersModel)) {
    throw new InvalidArgumentError(
      'model',
      `${fn}: model must be a tf.LayersModel, but got ${describeArgument(model)}.`,
      model,
    );
  }
  const feeds = checkInputs(fn, model, input);
  const n = feeds[0]?.shape[0] as number;
  const logits = checkBoolean(fn, 'logits', args.logits ?? true);
  const output = selectOutput(fn, model, args.output ?? 0);
  const target = checkTarget(fn, args.target ?? 'argmax', output, n);
  const layers = sortAncestorsFirst(resolveLayers(fn, model, output, args.output ?? 0, args.layer));
  const top = topScope(model);
  const result = tf.tidy(() => {
    const base = new GraphPass(feeds);
    const activations: tf.Tensor4D[] = [];
    const gradients: tf.Tensor4D[] = [];
    let scores: tf.Tensor1D | undefined;
    for (const layer of layers) {
      const activation = base.value(layer.scope, layer.tensor) as tf.Tensor4D;
      let kept: tf.Tensor1D | undefined;
      let failure: Error | undefined;
      const gradient = tf.grad((a: tf.Tensor) => {
        const pass = new GraphPass(feeds, base, { scope: layer.scope, tensor: layer.tensor, value: a });
        const selected = selectScores(fn, pass.scores(top, output, logits), target, n);
        // tfjs leaks tensors when an error is thrown under tf.grad: report it once the gradient scope has closed.
        if (selected instanceof Error) {
          failure = selected;
          return tf.sum(a);
        }
        kept = tf.keep(selected);
        return tf.sum(selected);
      })(activation) as tf.Tensor4D;
      if (failure !== undefined) throw failure;
      if (kept !== undefined) {
        if (scores === undefined) scores = tf.clone(kept);
        tf.dispose(kept);
      }
      activations.push(activation);
      gradients.push(gradient);
    }
    return { activations, gradients, scores: scores as tf.Tensor1D };
  });
  return { ...result, layers: layers.map((l) => l.name) };
}

export function describeArgument(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function checkBoolean(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must be a boolean, but got ${describeArgument(value)}.`,
      value,
    );
  }
  return value;
}

function checkInputs(
  fn: string,
  model: tfl.LayersModel,
  input: tf.Tensor | readonly tf.Tensor[],
): tf.Tensor[] {
  const feeds = input instanceof tf.Tensor ? [input] : Array.isArray(input) ? [...input] : [];
  if (feeds.length !== model.inputs.length || !feeds.every((t) => t instanceof tf.Tensor)) {
    throw new InvalidArgumentError(
      'input',
      `${fn}: input must be ${model.inputs.length} tensor(s), one per model input, but got ${describeArgument(input)}${Array.isArray(input) ? ` of length ${input.length}` : ''}.`,
      input,
    );
  }
  feeds.forEach((t, i) => {
    const expected = model.inputs[i]?.shape ?? [];
    const fits =
      t.rank === expected.length &&
      expected.every((d, axis) => d === null || axis === 0 || d === t.shape[axis]);
    if (!fits) {
      throw new ShapeError(
        `${fn}: input ${i} must have shape [${expected.map((d) => d ?? 'N').join(',')}], but got [${t.shape.join(',')}].`,
        t.shape,
      );
    }
  });
  return feeds;
}

function selectOutput(fn: string, model: tfl.LayersModel, output: number | string): tfl.SymbolicTensor {
  const names = model.outputs.map((t) => t.sourceLayer.name);
  const index = typeof output === 'string' ? names.indexOf(output) : output;
  const tensor = Number.isInteger(index) ? model.outputs[index] : undefined;
  if (tensor === undefined) {
    throw new InvalidArgumentError(
      'output',
      `${fn}: output must be an index below ${model.outputs.length} or one of the output names ${names.map((m) => `'${m}'`).join(', ')}, but got ${JSON.stringify(output)}.`,
      output,
    );
  }
  return tensor;
}

type CheckedTarget =
  | { kind: 'argmax' }
  | { kind: 'index'; indices: number[] }
  | { kind: 'fn'; fn: (o: tf.Tensor) => tf.Tensor };

function checkTarget(fn: string, target: CamTarget, output: tfl.SymbolicTensor, n: number): CheckedTarget {
  if (typeof target === 'function') return { kind: 'fn', fn: target };
  const classes = output.shape[output.shape.length - 1];
  const indexed = target === 'argmax' || typeof target === 'number' || Array.isArray(target);
  if (indexed && (output.shape.length !== 2 || classes === null || classes === undefined)) {
    throw new InvalidArgumentError(
      'target',
      `${fn}: a class-index target needs a rank-2 output [N, classes], but the output has shape [${output.shape.map((d) => d ?? 'N').join(',')}]; pass a function of the output instead.`,
      target,
    );
  }
  if (target === 'argmax') return { kind: 'argmax' };
  const indices =
    typeof target === 'number'
      ? new Array<number>(n).fill(target)
      : Array.isArray(target)
        ? [...target]
        : null;
  const ok =
    indices !== null &&
    indices.length === n &&
    indices.every((c) => Number.isInteger(c) && c >= 0 && c < (classes as number));
  if (!ok) {
    throw new InvalidArgumentError(
      'target',
      `${fn}: target must be 'argmax', a function, a class index in [0, ${classes}) or an array of ${n} such indices, but got ${JSON.stringify(target)}.`,
      target,
    );
  }
  return { kind: 'index', indices: indices as number[] };
}

function selectScores(fn: string, output: tf.Tensor, target: CheckedTarget, n: number): tf.Tensor1D | Error {
  if (target.kind === 'fn') {
    const scores = target.fn(output);
    const ok =
      scores instanceof tf.Tensor &&
      scores.size === n &&
      (scores.rank === 1 || (scores.rank === 2 && scores.shape[0] === n));
    if (!ok) {
      return new InvalidArgumentError(
        'target',
        `${fn}: a target function must return one score per image, shape [${n}], but got ${scores instanceof tf.Tensor ? `shape [${scores.shape.join(',')}]` : describeArgument(scores)}.`,
        target.fn,
      );
    }
    return tf.reshape(scores, [n]);
  }
  const classes = output.shape[1] as number;
  // One unit (a binary head): its score is the only one (tf.oneHot refuses depth 1).
  if (classes === 1) return tf.reshape(output, [n]);
  const indices = target.kind === 'argmax' ? tf.argMax(output, 1) : tf.tensor1d(target.indices, 'int32');
  const mask = tf.cast(tf.oneHot(tf.cast(indices, 'int32') as tf.Tensor1D, classes), output.dtype);
  return tf.sum(tf.mul(output, mask), 1) as tf.Tensor1D;
}

/** Resolves `layer` names (or the default) to tensors on the path to `output`. */
function resolveLayers(
  fn: string,
  model: tfl.LayersModel,
  output: tfl.SymbolicTensor,
  outputArg: number | string,
  layer: string | readonly string[] | undefined,
): GraphTensor[] {
  if (layer === undefined) {
    const found = defaultLayer(model, outputArg);
    if (found === undefined) {
      throw new InvalidArgumentError(
        'layer',
        `${fn}: model '${model.name}' has no rank-4 feature map before output '${output.sourceLayer.name}'; name a layer.`,
        layer,
      );
    }
    return resolveLayers(fn, model, output, outputArg, found);
  }
  const names = typeof layer === 'string' ? [layer] : Array.isArray(layer) ? [...layer] : [];
  if (names.length === 0 || !names.every((name) => typeof name === 'string')) {
    throw new InvalidArgumentError(
      'layer',
      `${fn}: layer must be a layer name or a non-empty array of names, but got ${describeArgument(layer)}.`,
      layer,
    );
  }
  const walked = walkBackwards(topScope(model), [output]);
  return names.map((name) => {
    const found =
      walked.find((t) => t.name === name) ??
      walked.find((t) => t.tensor.sourceLayer.name === name) ??
      walked.find((t) => t.name.startsWith(`${name}/`));
    if (found === undefined) {
      const maps = walked
        .filter((t) => t.tensor.shape.length === 4)
        .map((t) => t.name)
        .reverse();
      throw new InvalidArgumentError(
        'layer',
        `${fn}: no layer '${name}' on the path to output '${output.sourceLayer.name}'. Feature-map layers there: ${maps.slice(-12).join(', ')}${maps.length > 12 ? ` (and ${maps.length - 12} earlier)` : ''}.`,
        name,
      );
    }
    if (found.tensor.shape.length !== 4) {
      throw new ShapeError(
        `${fn}: layer '${found.name}' must output a rank-4 feature map [N, h, w, K], but its output has shape [${found.tensor.shape.map((d) => d ?? 'N').join(',')}].`,
        found.tensor.shape.map((d) => d ?? -1),
      );
    }
    return found;
  });
}

/** Orders layers so that a layer comes after its ancestors (the shared forward pass must not hold descendants). */
function sortAncestorsFirst(layers: GraphTensor[]): GraphTensor[] {
  const depth = (t: GraphTensor) => walkBackwards(t.scope, [t.tensor]).length;
  return layers
    .map((t) => ({ t, d: depth(t) }))
    .sort((a, b) => a.d - b.d)
    .map(({ t }) => t);
}
