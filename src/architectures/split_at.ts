import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';
import {
  GraphWalk,
  type Layer,
  type LayerNode,
  layerApplications,
  type Scope,
  ScopeTree,
  type Sym,
} from './graph_walk.js';

/** The two halves returned by {@link splitAt}. */
export interface SplitModel {
  /** Maps the model's inputs to the split layer's output (`<model>_features`). */
  features: tfl.LayersModel;
  /** Maps the split layer's output to the model's outputs (`<model>_head`). */
  head: tfl.LayersModel;
}

/** Marks a value computed before the split point, when building the head. */
interface Upstream {
  readonly upstream: true;
}
const UPSTREAM: Upstream = { upstream: true };
type HeadValue = Sym | Upstream;

function isUpstream(v: HeadValue): v is Upstream {
  return (v as Upstream).upstream === true;
}

function callLayer(layer: Layer, node: LayerNode, inputs: Sym[]): Sym[] {
  const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs, node.callArgs ?? {});
  return Array.isArray(out) ? (out as Sym[]) : [out as Sym];
}

function qualified(scope: Scope, name: string): string {
  return [...scope.path, name].join('/');
}

/**
 * Splits a model at a layer into `features` (inputs → that layer's output) and `head` (that output → the
 * model's outputs) such that `head(features(x))` equals `model(x)`. Works on branched graphs (ResNet, GoogLeNet)
 * and looks inside nested models (a backbone used as a layer of a larger model), so Grad-CAM can read and
 * differentiate the activations of any named layer.
 *
 * Both halves share the model's layers and weights (training one trains the model), as Keras does when layers
 * are reused: each half calls the layers on its side again, so those layers then have several inbound nodes
 * (read a layer's tensors with `getOutputAt(0)` rather than `.output`). As for any shared layer in TF.js, the
 * weights are freed once the model and both halves are disposed.
 *
 * The split point must cut the graph: every path from the inputs to the outputs passes through the layer.
 * Inside a residual block the skip connection crosses it; split at a block output (`conv4_block6_out`) or at
 * an inception module's output (`inception4e_out`) instead.
 *
 * @param model A functional model (a backbone, or a larger model with a nested backbone).
 * @param layerName Name of the layer to split after (searched in nested models too); it must be applied once
 *   and have a single output.
 * @returns See {@link SplitModel}.
 * @throws {@link InvalidArgumentError} (argument `layerName`) when no such layer feeds the outputs, the name is
 *   ambiguous (several nested models or applications), a skip connection crosses the split point (the message
 *   names the layer that takes the crossing tensor), or an output does not depend on the layer.
 * @see R. R. Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 *   Localization", ICCV 2017 (section 3: gradients of a class score with respect to a layer's feature maps).
 * @example
 * ```ts
 * const model = await resnet50({ classes: 5 });
 * const { features, head } = splitAt(model, 'conv5_block3_out');
 * const maps = features.predict(x) as tf.Tensor4D; // [n, 7, 7, 2048]
 * const scores = head.predict(maps);            // equals model.predict(x)
 * ```
 */
export function splitAt(model: tfl.LayersModel, layerName: string): SplitModel {
  if (typeof layerName !== 'string' || layerName.length === 0) {
    throw new InvalidArgumentError(
      'layerName',
      `splitAt: layerName must be a non-empty string, but got ${String(layerName)}.`,
      layerName,
    );
  }
  if (
    model === null ||
    typeof model !== 'object' ||
    !Array.isArray((model as { outputs?: unknown }).outputs)
  ) {
    throw new InvalidArgumentError('model', 'splitAt: model must be a functional tf.LayersModel.', model);
  }
  const tree = new ScopeTree(model);
  const matches = layerApplications(tree).filter((a) => a.layer.name === layerName);
  if (matches.length === 0) {
    throw new InvalidArgumentError(
      'layerName',
      `splitAt: model '${model.name}' has no layer '${layerName}' on the way to its outputs (nested models searched too).`,
      layerName,
    );
  }
  if (matches.length > 1) {
    const where = matches.map((m) => qualified(m.scope, m.layer.name)).join(', ');
    throw new InvalidArgumentError(
      'layerName',
      `splitAt: layer '${layerName}' is applied ${matches.length} times in model '${model.name}' (${where}); the split point is ambiguous.`,
      layerName,
    );
  }
  const { node, scope } = matches[0]!;
  if (node.outputTensors.length !== 1) {
    throw new InvalidArgumentError(
      'layerName',
      `splitAt: layer '${layerName}' has ${node.outputTensors.length} outputs; split at a layer with one.`,
      layerName,
    );
  }
  const split = node.outputTensors[0]!;
  return { features: featuresModel(tree, split, scope), head: headModel(tree, split, scope, layerName) };
}

function featuresModel(tree: ScopeTree, split: Sym, scope: Scope): tfl.LayersModel {
  // Calls the layers before the split point again, from fresh inputs: the new model holds its own nodes (and
  // so its own reference to each layer), whether the split point is in the top-level graph or nested.
  const model = tree.root.model;
  const inputs = model.inputs.map((t) => tfl.input({ shape: t.shape.slice(1), dtype: t.dtype }));
  const walk = new GraphWalk<Sym>(tree, {
    input: (t) => inputs[model.inputs.indexOf(t)]!,
    apply: (layer, node, _scope, ins) => callLayer(layer, node, ins),
  });
  return tfl.model({ inputs, outputs: walk.value(split, scope), name: `${model.name}_features` });
}

function headModel(tree: ScopeTree, split: Sym, splitScope: Scope, layerName: string): tfl.LayersModel {
  const model = tree.root.model;
  const input = tfl.input({
    shape: split.shape.slice(1),
    dtype: split.dtype,
    name: `${model.name}_head_input`,
  });
  const walk = new GraphWalk<HeadValue>(tree, {
    input: () => UPSTREAM,
    intercept: (t, s) => (t === split && s === splitScope ? input : undefined),
    apply(layer, node, scope, ins) {
      const upstream = ins.map(isUpstream);
      if (upstream.every(Boolean)) return node.outputTensors.map(() => UPSTREAM);
      if (upstream.some(Boolean)) {
        const crossing = node.inputTensors
          .filter((_, i) => upstream[i])
          .map((t) => `'${qualified(scope, t.sourceLayer.name)}'`)
          .join(', ');
        throw new InvalidArgumentError(
          'layerName',
          `splitAt: a skip connection crosses '${layerName}': layer '${qualified(scope, layer.name)}' also takes the output of ${crossing}, computed before the split point. Split where every path passes, e.g. at a block output.`,
          layerName,
        );
      }
      return callLayer(layer, node, ins as Sym[]);
    },
  });
  const outputs = model.outputs.map((o) => {
    const v = walk.value(o);
    if (isUpstream(v)) {
      throw new InvalidArgumentError(
        'layerName',
        `splitAt: output '${o.sourceLayer.name}' of model '${model.name}' does not depend on '${layerName}'.`,
        layerName,
      );
    }
    return v;
  });
  return tfl.model({
    inputs: input,
    outputs: outputs.length === 1 ? outputs[0]! : outputs,
    name: `${model.name}_head`,
  });
}
