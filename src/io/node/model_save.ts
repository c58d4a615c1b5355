import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../../errors.js';
import {
  checkFlag,
  checkLocation,
  type LoadModelArgs,
  loadThrough,
  type SaveModelArgs,
  saveThrough,
} from '../browser/model_save.js';
import { fileSystemHandler } from './model_file_handler.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A folder path or `file://` URL → our file-system handler; other schemes and handlers pass through. */
function resolve(location: string | tf.io.IOHandler): string | tf.io.IOHandler {
  if (typeof location !== 'string') return location;
  return SCHEME.test(location) && !location.startsWith('file://') ? location : fileSystemHandler(location);
}

/**
 * Saves a model in Node: to a folder (`model.json` + `weights.bin`, TF.js's layers format, the same files as
 * tfjs-node's `file://` scheme, without needing tfjs-node), to a `file://` URL, to any other TF.js scheme
 * (e.g. `http(s)://`), or through a `tf.io.IOHandler`. Round trips are bit-exact.
 *
 * @param model The model to save.
 * @param location A folder, `file://` URL, scheme URL or IOHandler.
 * @param args See {@link SaveModelArgs}.
 * @returns TF.js's save result (sizes, date).
 * @throws {@link InvalidArgumentError} for a bad `model`, `location` or flag.
 * @throws {@link ModelIOError} when the folder cannot be written (e.g. the path is a file).
 *
 * @example
 * ```ts
 * await saveModel(model, 'models/dr-grader');
 * const again = await loadModel('models/dr-grader');
 * ```
 */
export async function saveModel(
  model: tfl.LayersModel,
  location: string | tf.io.IOHandler,
  args: SaveModelArgs = {},
): Promise<tf.io.SaveResult> {
  if (model === null || typeof model !== 'object' || typeof (model as tfl.LayersModel).save !== 'function') {
    throw new InvalidArgumentError(
      'model',
      `saveModel: model must be a tf.LayersModel, but got ${String(model)}.`,
      model,
    );
  }
  checkLocation('saveModel', location);
  checkFlag('saveModel', 'includeOptimizer', args.includeOptimizer);
  return saveThrough(model, resolve(location), args);
}

/**
 * Loads a TF.js layers model in Node from a folder written by {@link saveModel} (or by tfjs-node / the
 * tensorflowjs converter), its `model.json`, a `file://` URL, another TF.js scheme, or an IOHandler.
 *
 * @param location Folder, `model.json` path, URL or IOHandler.
 * @param args See {@link LoadModelArgs}.
 * @returns The model, with its weights.
 * @throws {@link InvalidArgumentError} for a bad `location` or flag.
 * @throws {@link ModelIOError} when there is no readable model there.
 *
 * @example
 * ```ts
 * const model = await loadModel('models/dr-grader');
 * ```
 */
export async function loadModel(
  location: string | tf.io.IOHandler,
  args: LoadModelArgs = {},
): Promise<tfl.LayersModel> {
  checkLocation('loadModel', location);
  checkFlag('loadModel', 'strict', args.strict);
  return loadThrough(resolve(location), args);
}
