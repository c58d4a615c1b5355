import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FundusError } from '../errors.js';

/**
 * Internal: runs a tf.layers model tensor by tensor, the way Grad-CAM needs it.
 *
 * A LayersModel is a graph of SymbolicTensors; a model used as a layer inside another (a backbone inside a
 * classifier) has a graph of its own. Instead of building auxiliary models (which fails with "Graph disconnected"
 * when the layer of interest sits inside a nested model), we evaluate the graph ourselves: every symbolic tensor
 * is computed from its inbound node's inputs by `layer.apply(tensors, {training: false})`, and a nested model's
 * application opens a {@link GraphScope} in which its own inputs are bound to the outer tensors it was applied to.
 * A {@link GraphPass} memoises values, can read the values of an earlier pass, and can replace one tensor by a given
 * value — which is how the score becomes a function of a layer's activation for `tf.grad`.
 */

/** One application of a (possibly nested) model: the top model, or a nested model at one of its inbound nodes. */
export interface GraphScope {
  /** Unique path, e.g. `''` (top) or `/backbone:1`. */
  readonly key: string;
  /** Human path used in layer names: `''` or `backbone/`. */
  readonly prefix: string;
  readonly model: tfl.LayersModel;
  readonly parent: GraphScope | null;
  /** For a nested scope, the outer tensors (in `parent`) bound to `model.inputs`. */
  readonly outerInputs: readonly tfl.SymbolicTensor[];
}

/** A symbolic tensor in a scope: what a layer name resolves to. */
export interface GraphTensor {
  readonly scope: GraphScope;
  readonly tensor: tfl.SymbolicTensor;
  /** `prefix + layer name`, e.g. `backbone/conv5_block3_out`. */
  readonly name: string;
}

/** Whether `layer` is a model (functional or Sequential) used as a layer. */
export function isModel(layer: tfl.layers.Layer): layer is tfl.LayersModel {
  return layer instanceof tfl.LayersModel;
}

export function topScope(model: tfl.LayersModel): GraphScope {
  return { key: '', prefix: '', model, parent: null, outerInputs: [] };
}

/** The scope a nested model opens where `tensor` (its output in `scope`) was produced. */
export function childScope(scope: GraphScope, tensor: tfl.SymbolicTensor): GraphScope {
  const nested = tensor.sourceLayer as tfl.LayersModel;
  const node = nested.inboundNodes[tensor.nodeIndex];
  if (node === undefined)
    throw new FundusError(`model graph: ${nested.name} has no node ${tensor.nodeIndex}.`);
  return {
    key: `${scope.key}/${nested.name}:${tensor.nodeIndex}`,
    prefix: `${scope.prefix}${nested.name}/`,
    model: nested,
    parent: scope,
    outerInputs: node.inputTensors,
  };
}

function inputIndex(scope: GraphScope, tensor: tfl.SymbolicTensor): number {
  return scope.model.inputs.findIndex((t) => t.id === tensor.id);
}

/** Inbound symbolic tensors of `tensor` in `scope` ([] for the scope's inputs). */
export function inboundTensors(scope: GraphScope, tensor: tfl.SymbolicTensor): tfl.SymbolicTensor[] {
  if (inputIndex(scope, tensor) >= 0) return [];
  return tensor.sourceLayer.inboundNodes[tensor.nodeIndex]?.inputTensors ?? [];
}

/**
 * Every tensor the scope's outputs depend on, nested scopes included, outputs first and then backwards
 * breadth-first (so the first rank-4 hit is the last feature map before the head). `from` restricts to the
 * ancestors of given tensors of the top scope.
 */
export function walkBackwards(
  scope: GraphScope,
  from: readonly tfl.SymbolicTensor[] = scope.model.outputs,
): GraphTensor[] {
  const seen = new Set<string>();
  const out: GraphTensor[] = [];
  const queue: [GraphScope, tfl.SymbolicTensor][] = from.map((t) => [scope, t]);
  while (queue.length > 0) {
    const [s, t] = queue.shift() as [GraphScope, tfl.SymbolicTensor];
    const key = `${s.key}#${t.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const index = inputIndex(s, t);
    if (index >= 0) {
      const outer = s.outerInputs[index];
      if (s.parent !== null && outer !== undefined) queue.push([s.parent, outer]);
      continue;
    }
    if (isModel(t.sourceLayer)) {
      const child = childScope(s, t);
      const inner = child.model.outputs[t.tensorIndex];
      if (inner !== undefined) queue.push([child, inner]);
      continue;
    }
    out.push({ scope: s, tensor: t, name: `${s.prefix}${t.sourceLayer.name}` });
    for (const input of inboundTensors(s, t)) queue.push([s, input]);
  }
  return out;
}

/** `layer.getConfig().activation` when it is softmax or sigmoid. */
function squashing(layer: tfl.layers.Layer): 'softmax' | 'sigmoid' | null {
  const className = layer.getClassName();
  if (className !== 'Dense' && className !== 'Activation') return null;
  const activation = layer.getConfig().activation;
  return activation === 'softmax' || activation === 'sigmoid' ? activation : null;
}

/**
 * One forward evaluation. Values are memoised per (scope, tensor); `base` supplies values computed by an earlier
 * pass (constants here), `replace` substitutes one tensor by a given value.
 */
export class GraphPass {
  private readonly memo = new Map<string, tf.Tensor>();

  constructor(
    private readonly feeds: readonly tf.Tensor[],
    private readonly base: GraphPass | null = null,
    private readonly replace: {
      scope: GraphScope;
      tensor: tfl.SymbolicTensor;
      value: tf.Tensor;
    } | null = null,
  ) {}

  value(scope: GraphScope, tensor: tfl.SymbolicTensor): tf.Tensor {
    const key = `${scope.key}#${tensor.id}`;
    if (
      this.replace !== null &&
      this.replace.scope.key === scope.key &&
      this.replace.tensor.id === tensor.id
    ) {
      return this.replace.value;
    }
    const known = this.memo.get(key) ?? this.base?.memo.get(key);
    if (known !== undefined) return known;
    const index = inputIndex(scope, tensor);
    if (index >= 0) {
      const value =
        scope.parent === null
          ? this.feeds[index]
          : this.value(scope.parent, scope.outerInputs[index] as tfl.SymbolicTensor);
      if (value === undefined) throw new FundusError(`model graph: no value for input ${index}.`);
      this.memo.set(key, value);
      return value;
    }
    const layer = tensor.sourceLayer;
    if (isModel(layer)) {
      const child = childScope(scope, tensor);
      const value = this.value(child, child.model.outputs[tensor.tensorIndex] as tfl.SymbolicTensor);
      this.memo.set(key, value);
      return value;
    }
    const node = layer.inboundNodes[tensor.nodeIndex];
    if (node === undefined)
      throw new FundusError(`model graph: ${layer.name} has no node ${tensor.nodeIndex}.`);
    const inputs = node.inputTensors.map((t) => this.value(scope, t));
    const kwargs = { ...(node.callArgs ?? {}), training: false };
    const result = layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs, kwargs);
    const outputs = (Array.isArray(result) ? result : [result]) as tf.Tensor[];
    node.outputTensors.forEach((t, i) => {
      const value = outputs[i];
      if (value !== undefined) this.memo.set(`${scope.key}#${t.id}`, value);
    });
    const value = outputs[tensor.tensorIndex];
    if (value === undefined)
      throw new FundusError(`model graph: ${layer.name} gave no output ${tensor.tensorIndex}.`);
    return value;
  }

  /**
   * The value of a model output, before its final softmax/sigmoid when `logits` and the output comes from a Dense
   * or Activation layer with one (looking inside nested models).
   */
  scores(scope: GraphScope, tensor: tfl.SymbolicTensor, logits: boolean): tf.Tensor {
    if (!logits || inputIndex(scope, tensor) >= 0) return this.value(scope, tensor);
    const layer = tensor.sourceLayer;
    if (isModel(layer)) {
      const child = childScope(scope, tensor);
      return this.scores(child, child.model.outputs[tensor.tensorIndex] as tfl.SymbolicTensor, logits);
    }
    const squash = squashing(layer);
    const input = layer.inboundNodes[tensor.nodeIndex]?.inputTensors[0];
    if (squash === null || input === undefined) return this.value(scope, tensor);
    const x = this.value(scope, input);
    if (layer.getClassName() === 'Activation') return x;
    return denseLinear(layer, x);
  }
}

/** A Dense layer without its activation: x·W + b on the last axis. */
function denseLinear(layer: tfl.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.getWeights();
  if (kernel === undefined) throw new FundusError(`model graph: Dense layer ${layer.name} has no kernel.`);
  const units = kernel.shape[1] as number;
  const flat = tf.reshape(x, [-1, kernel.shape[0] as number]);
  let y = tf.matMul(flat, kernel as tf.Tensor2D);
  if (bias !== undefined) y = tf.add(y, bias);
  return tf.reshape(y, [...x.shape.slice(0, -1), units]);
}
