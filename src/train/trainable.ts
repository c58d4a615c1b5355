import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';

type Layer = tfl.layers.Layer;

function isContainer(layer: Layer): layer is Layer & { layers: Layer[] } {
  return Array.isArray((layer as { layers?: unknown }).layers);
}

/** Every layer that is not itself a model, in topological order, descending into nested models. */
export function leafLayers(model: tfl.LayersModel): Layer[] {
  const out: Layer[] = [];
  const walk = (layers: readonly Layer[]) => {
    for (const layer of layers) {
      if (isContainer(layer)) walk(layer.layers);
      else out.push(layer);
    }
  };
  walk(model.layers);
  return out;
}

function containers(model: tfl.LayersModel): Layer[] {
  const out: Layer[] = [model as unknown as Layer];
  const walk = (layers: readonly Layer[]) => {
    for (const layer of layers) {
      if (isContainer(layer)) {
        out.push(layer);
        walk(layer.layers);
      }
    }
  };
  walk(model.layers);
  return out;
}

/**
 * Index in {@link leafLayers} of the first trainable layer: a layer name, an index, or `null` for the head
 * (`headFrom`, or the last layer with weights).
 */
export function resolveTrainableFrom(
  fn: string,
  model: tfl.LayersModel,
  from: string | number | null,
  headFrom: string | undefined,
  argument: string,
): number {
  const leaves = leafLayers(model);
  const byName = (name: string, arg: string) => {
    const i = leaves.findIndex((l) => l.name === name);
    if (i < 0) {
      const names = leaves.map((l) => l.name);
      const shown = names.length > 12 ? [...names.slice(0, 6), '…', ...names.slice(-5)] : names;
      throw new InvalidArgumentError(
        arg,
        `${fn}: ${arg} names no layer of model '${model.name}': '${name}'. Layers: ${shown.join(', ')}.`,
        name,
      );
    }
    return i;
  };
  if (typeof from === 'string') return byName(from, argument);
  if (typeof from === 'number') {
    if (!Number.isInteger(from) || from < 0 || from >= leaves.length) {
      throw new InvalidArgumentError(
        argument,
        `${fn}: ${argument} must be a layer index in [0, ${leaves.length}), but got ${from}.`,
        from,
      );
    }
    return from;
  }
  if (from !== null) {
    throw new InvalidArgumentError(
      argument,
      `${fn}: ${argument} must be a layer name, a layer index or null (head only), but got ${String(from)}.`,
      from,
    );
  }
  if (headFrom !== undefined) return byName(headFrom, 'headFrom');
  for (let i = leaves.length - 1; i >= 0; i--) if (leaves[i]!.weights.length > 0) return i;
  throw new InvalidArgumentError(
    argument,
    `${fn}: model '${model.name}' has no layer with weights to train.`,
    from,
  );
}

/**
 * Makes layers `from` onwards trainable and the ones before frozen. Frozen BatchNormalization layers run in
 * inference mode while `freezeBatchNorm` (Keras's behaviour for `trainable = false`): they normalise with their
 * moving statistics and do not update them. Returns a function that undoes the BatchNormalization patch.
 */
export function applyTrainableFrom(
  model: tfl.LayersModel,
  from: number,
  freezeBatchNorm: boolean,
): () => void {
  for (const c of containers(model)) c.trainable = true;
  const restores: (() => void)[] = [];
  leafLayers(model).forEach((layer, i) => {
    layer.trainable = i >= from;
    if (freezeBatchNorm && i < from && layer.getClassName() === 'BatchNormalization') {
      const patched = layer as unknown as {
        call: (inputs: unknown, kwargs: Record<string, unknown>) => unknown;
      };
      const own = Object.hasOwn(patched, 'call');
      const original = patched.call;
      patched.call = (inputs, kwargs) => original.call(layer, inputs, { ...kwargs, training: false });
      restores.push(() => {
        if (own) patched.call = original;
        else delete (patched as { call?: unknown }).call;
      });
    }
  });
  return () => {
    for (const restore of restores) restore();
  };
}
