import * as tfl from '@tensorflow/tfjs-layers';
import { invalid } from '../preprocess/check_args.js';
import { markTrainable, setTrainable, splitTrainable } from './layer_trainability.js';

/** Options of {@link unfreeze}. */
export interface UnfreezeArgs {
  /**
   * Name of the first layer to make trainable: it and every later layer in `model.layers` order (inside nested
   * models too) become trainable; earlier layers keep their state.
   * @defaultValue none: every layer becomes trainable
   */
  from?: string;
}

/**
 * Makes the layers of `model` from `from` onwards (all without it) trainable again. Frozen BatchNormalization
 * layers that become trainable train normally again (see {@link freeze}). Recompile afterwards.
 *
 * @param model The model (changed in place).
 * @param args See {@link UnfreezeArgs}.
 * @returns `model`, for chaining.
 * @example
 * ```ts
 * freeze(model);                              // everything frozen
 * unfreeze(model, { from: 'conv5_block1_1_conv' });
 * model.compile({ optimizer: tf.train.sgd(1e-4), loss: binaryCrossEntropy() });
 * ```
 * @throws {@link InvalidArgumentError} when `model` is not a LayersModel or `from` names no layer (the message
 * lists the layers).
 * @see {@link freeze}
 */
export function unfreeze(model: tfl.LayersModel, args: UnfreezeArgs = {}): tfl.LayersModel {
  if (!(model instanceof tfl.LayersModel)) throw invalid('unfreeze', 'model', 'a tf.LayersModel', model);
  if (args.from === undefined) {
    (model as { trainable: boolean }).trainable = true;
    for (const layer of model.layers) setTrainable(layer, true);
  } else {
    if (typeof args.from !== 'string') throw invalid('unfreeze', 'from', 'a layer name', args.from);
    markTrainable(model);
    splitTrainable('unfreeze', 'from', model, args.from, undefined, true);
  }
  return model;
}
