import * as tfl from '@tensorflow/tfjs-layers';
import { invalid } from '../preprocess/check_args.js';
import { markTrainable, setTrainable, splitTrainable } from './layer_trainability.js';

/** Options of {@link freeze}. */
export interface FreezeArgs {
  /**
   * Name of the first layer that trains: every layer before it in `model.layers` order is frozen, and it and
   * every later layer are made trainable (Keras's `for layer in model.layers[:i]: layer.trainable = False`).
   * A layer inside a nested model (a backbone used as a layer) is found too.
   * @defaultValue none: every layer is frozen
   */
  until?: string;
}

/**
 * Freezes the layers of `model` before `until` (all of them without it) for fine-tuning, e.g. the backbone
 * while a new head trains, then everything before `block4_conv1`. As in Keras, recompile the model afterwards:
 * tfjs-layers collects the trainable weights in `compile`.
 *
 * Frozen BatchNormalization layers run in inference mode (moving statistics, no updates) also during `fit`,
 * as in Keras ≥ 2.1.3. tfjs-layers 4.22 does not do that itself (it normalises a frozen BatchNormalization with
 * batch statistics in `fit` and keeps updating its moving averages), so `freeze` wraps those layers' `call` to
 * pass `training: false` while they are frozen; the wrapper lives on the layer object (a reloaded model needs
 * `freeze` again).
 *
 * @param model The model (changed in place).
 * @param args See {@link FreezeArgs}.
 * @returns `model`, for chaining.
 * @example
 * ```ts
 * const model = attachHead(backbone, softmaxHead({ classes: 4, name: 'disease' }));
 * freeze(model, { until: 'disease_pool' });
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: categoricalCrossEntropy() });
 * // … then fine-tune the top blocks:
 * freeze(model, { until: 'block4_conv1' });
 * model.compile({ optimizer: tf.train.adam(1e-4), loss: categoricalCrossEntropy() });
 * ```
 * @throws {@link InvalidArgumentError} when `model` is not a LayersModel or `until` names no layer (the message
 * lists the layers).
 * @see {@link unfreeze}
 */
export function freeze(model: tfl.LayersModel, args: FreezeArgs = {}): tfl.LayersModel {
  if (!(model instanceof tfl.LayersModel)) throw invalid('freeze', 'model', 'a tf.LayersModel', model);
  if (args.until === undefined) {
    for (const layer of model.layers) setTrainable(layer, false);
  } else {
    if (typeof args.until !== 'string') throw invalid('freeze', 'until', 'a layer name', args.until);
    markTrainable(model);
    splitTrainable('freeze', 'until', model, args.until, false, true);
  }
  return model;
}
