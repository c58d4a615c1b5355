import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';

type Layer = tfl.layers.Layer;
type Kwargs = Record<string, unknown>;

const PATCHED = Symbol.for('fundus-kit.frozenBatchNorm');

/** Sub-layers of a nested model, or null for a plain layer. */
export function sublayers(layer: Layer): Layer[] | null {
  const layers = (layer as unknown as { layers?: unknown }).layers;
  return Array.isArray(layers) ? (layers as Layer[]) : null;
}

/** Whether `layer` is, or contains, a layer called `name`. */
export function containsLayer(layer: Layer, name: string): boolean {
  if (layer.name === name) return true;
  return (sublayers(layer) ?? []).some((l) => containsLayer(l, name));
}

/** Every layer name of a model, nested ones included, for error messages. */
export function allLayerNames(layer: Layer): string[] {
  return (sublayers(layer) ?? []).flatMap((l) => [l.name, ...(sublayers(l) ? allLayerNames(l) : [])]);
}

/** Sets `trainable` on a layer and, for a nested model, on every layer inside it. */
export function setTrainable(layer: Layer, trainable: boolean): void {
  layer.trainable = trainable; // a nested model's setter also flags its direct layers' weights
  for (const inner of sublayers(layer) ?? []) setTrainable(inner, trainable);
  if (layer.getClassName() === 'BatchNormalization') keepFrozenBatchNormInInference(layer);
}

/**
 * tfjs-layers (4.22) runs BatchNormalization in training mode during `fit` whether or not the layer is
 * trainable: it normalises with the batch statistics and updates the moving mean and variance. Keras (TF ≥ 2)
 * runs a frozen BatchNormalization in inference mode. This wraps the instance's `call` so that, while the layer
 * is frozen (not trainable, or its gamma/beta frozen by a parent model), it is called with `training: false`.
 * Installed once per layer; it reads the state at each call, so unfreezing restores the usual behaviour.
 */
function keepFrozenBatchNormInInference(layer: Layer): void {
  const target = layer as unknown as Record<symbol, boolean> & {
    call: (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];
  };
  if (target[PATCHED]) return;
  const original = target.call.bind(layer);
  target.call = (inputs, kwargs) => {
    const frozen = !layer.trainable || (layer.trainableWeights.length === 0 && layer.weights.length > 2);
    return original(inputs, frozen ? { ...kwargs, training: false } : kwargs);
  };
  target[PATCHED] = true;
}

/**
 * Sets every layer before `name` (in `model.layers` order, descending into the nested model that holds it) to
 * `before`, and `name` with every later layer to `after` (`undefined`: left as they are).
 */
export function splitTrainable(
  fn: string,
  argument: string,
  model: Layer,
  name: string,
  before: boolean | undefined,
  after: boolean | undefined,
): void {
  const layers = sublayers(model) ?? [];
  const index = layers.findIndex((l) => containsLayer(l, name));
  if (index < 0) {
    throw new InvalidArgumentError(
      argument,
      `${fn}: ${argument} must name a layer of '${model.name}', but got '${name}'. ` +
        `Layers: ${allLayerNames(model).join(', ')}.`,
      name,
    );
  }
  layers.forEach((layer, i) => {
    if (i < index) {
      if (before !== undefined) setTrainable(layer, before);
    } else if (i > index || layer.name === name) {
      if (after !== undefined) setTrainable(layer, after);
    } else {
      // The nested model that holds `name`: trainable as a whole and split inside. Its own flag is set directly:
      // tfjs's setter would also flag every inner layer's weights, undoing the "leave as they are" of unfreeze.
      markTrainable(layer);
      splitTrainable(fn, argument, layer, name, before, after);
    }
  });
}

/** Sets a model's own `trainable` flag without tfjs's setter touching its layers' weights. */
export function markTrainable(model: Layer): void {
  (model as unknown as { trainable_: boolean }).trainable_ = true;
}
