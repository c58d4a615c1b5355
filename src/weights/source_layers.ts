import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** One weight array read from a source: its name as stored, shape and values. */
export interface SourceWeight {
  /** Short name (`kernel`, `bias`, `gamma`, `moving_mean`, …) after normalisation; `''` when unknown. */
  name: string;
  shape: number[];
  /** Values: a typed array from a file, or a tensor from a TF.js source (then owned as {@link SourceLayers.owned} says). */
  values: Float32Array | Int32Array | tf.Tensor;
}

/** The weights of one layer in a source. */
export interface SourceLayer {
  /** Qualified path: `['conv1_conv']`, or `['resnet50', 'conv1_conv']` inside a nested model. */
  path: string[];
  weights: SourceWeight[];
  /** True when the source stores no weight names (Keras 3): weights are matched by position. */
  positional: boolean;
}

/** Everything read from a source. */
export interface SourceLayers {
  format: WeightsFormat;
  layers: SourceLayer[];
  /** Tensors to dispose once loaded (those decoded from a file, not those of a caller's model). */
  owned: tf.Tensor[];
}

/** Layout a source was read as. */
export type WeightsFormat = 'keras-h5' | 'keras3-h5' | 'tfjs';

const ALIASES: Record<string, string> = {
  W: 'kernel',
  b: 'bias',
  running_mean: 'moving_mean',
  running_std: 'moving_variance',
};

/**
 * The short name of a weight from its stored name: `conv1_conv/kernel:0` → `kernel`; Keras 1's
 * `block1_conv1_W_1:0` (given the layer name `block1_conv1`) → `kernel`.
 */
export function shortWeightName(stored: string, layer: string): string {
  let name = stored.replace(/:\d+$/, '');
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  else if (name.startsWith(`${layer}_`)) name = name.slice(layer.length + 1).replace(/_\d+$/, '');
  return ALIASES[name] ?? name;
}

/** Splits `scope/layer/kernel:0` into the layer's path (`['scope', 'layer']`) and the rest. */
export function splitWeightPath(stored: string): string[] {
  const parts = stored.replace(/:\d+$/, '').split('/');
  return parts.slice(0, -1);
}

/** A model's layers that own weights, flattened through nested models, with their qualified paths. */
export interface TargetLayer {
  path: string[];
  layer: tfl.layers.Layer;
}

function isContainer(layer: tfl.layers.Layer): layer is tfl.LayersModel {
  return Array.isArray((layer as Partial<tfl.LayersModel>).layers);
}

/** Leaf layers with weights, in model order, descending into nested models. */
export function weightedLayers(model: tfl.LayersModel, prefix: string[] = []): TargetLayer[] {
  const out: TargetLayer[] = [];
  for (const layer of model.layers) {
    if (isContainer(layer)) out.push(...weightedLayers(layer, [...prefix, layer.name]));
    else if (layer.weights.length > 0) out.push({ path: [...prefix, layer.name], layer });
  }
  return out;
}

/** Short name of a TF.js layer variable (`conv1/kernel` → `kernel`). */
export function variableShortName(v: tfl.LayerVariable): string {
  const name = v.originalName ?? v.name;
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Reads the weights of an already-loaded TF.js model (its tensors are the caller's: not owned). */
export function fromLayersModel(model: tfl.LayersModel): SourceLayers {
  const layers = weightedLayers(model).map(({ path, layer }) => {
    const values = layer.getWeights();
    return {
      path,
      positional: false,
      weights: layer.weights.map((v, i) => ({
        name: variableShortName(v),
        shape: v.shape.map((d) => d as number),
        values: values[i]!,
      })),
    };
  });
  return { format: 'tfjs', layers, owned: [] };
}

/** Reads the weights of TF.js model artifacts (`model.json` + shards), grouped by layer from their names. */
export function fromArtifacts(artifacts: tf.io.ModelArtifacts): SourceLayers {
  if (artifacts.weightSpecs == null || artifacts.weightData == null)
    return { format: 'tfjs', layers: [], owned: [] };
  const named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const byPath = new Map<string, SourceLayer>();
  for (const spec of artifacts.weightSpecs) {
    const tensor = named[spec.name]!;
    const path = splitWeightPath(spec.name);
    const key = path.join('/');
    let layer = byPath.get(key);
    if (layer === undefined) {
      layer = { path, weights: [], positional: false };
      byPath.set(key, layer);
    }
    layer.weights.push({
      name: shortWeightName(spec.name, path.at(-1) ?? ''),
      shape: tensor.shape,
      values: tensor,
    });
  }
  return { format: 'tfjs', layers: [...byPath.values()], owned: Object.values(named) };
}
