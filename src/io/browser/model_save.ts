import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../../errors.js';
import { ModelIOError } from '../../weights/weights_errors.js';

/** Arguments of `saveModel`. */
export interface SaveModelArgs {
  /**
   * Also save the optimizer's state (for resuming training), when the model is compiled.
   * @defaultValue `false`
   */
  includeOptimizer?: boolean;
}

/** Arguments of `loadModel`. */
export interface LoadModelArgs {
  /**
   * Require every weight in the saved model to match a weight of the rebuilt topology, and vice versa.
   * @defaultValue `true`
   */
  strict?: boolean;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function checkModel(fn: string, model: unknown): void {
  if (model === null || typeof model !== 'object' || typeof (model as tfl.LayersModel).save !== 'function') {
    throw new InvalidArgumentError(
      'model',
      `${fn}: model must be a tf.LayersModel, but got ${String(model)}.`,
      model,
    );
  }
}

export function checkLocation(fn: string, location: unknown): asserts location is string | tf.io.IOHandler {
  const ok =
    (typeof location === 'string' && location.length > 0) ||
    (location !== null && typeof location === 'object' && ('save' in location || 'load' in location));
  if (!ok) {
    throw new InvalidArgumentError(
      'location',
      `${fn}: location must be a non-empty string or a tf.io.IOHandler, but got ${JSON.stringify(location) ?? String(location)}.`,
      location,
    );
  }
}

export function checkFlag(fn: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must be a boolean, but got ${JSON.stringify(value)}.`,
      value,
    );
  }
}

/**
 * Saves a model through TF.js's IO layer in the browser: `indexeddb://name`, `localstorage://name`,
 * `downloads://name`, an `http(s)://` URL (POST), or any `tf.io.IOHandler`. Round trips are bit-exact
 * (weights are stored as raw float32). In Node the `fundus-kit` entry exports a version that also writes to
 * folders.
 *
 * @param model The model to save.
 * @param location A scheme-qualified URL or an IOHandler.
 * @param args See {@link SaveModelArgs}.
 * @returns TF.js's save result (sizes, date).
 * @throws {@link InvalidArgumentError} for a location without a scheme (`location`) or a bad flag.
 * @throws {@link ModelIOError} when TF.js fails to save (quota, no handler for the scheme…).
 *
 * @example
 * ```ts
 * await saveModel(model, 'indexeddb://dr-grader');
 * const again = await loadModel('indexeddb://dr-grader');
 * ```
 */
export async function saveModel(
  model: tfl.LayersModel,
  location: string | tf.io.IOHandler,
  args: SaveModelArgs = {},
): Promise<tf.io.SaveResult> {
  checkModel('saveModel', model);
  checkLocation('saveModel', location);
  checkFlag('saveModel', 'includeOptimizer', args.includeOptimizer);
  if (typeof location === 'string' && !SCHEME.test(location)) {
    throw new InvalidArgumentError(
      'location',
      `saveModel: '${location}' has no scheme; in the browser use indexeddb://, localstorage://, downloads:// or an http(s):// URL.`,
      location,
    );
  }
  return saveThrough(model, location, args);
}

/** model.save with errors as {@link ModelIOError}. */
export async function saveThrough(
  model: tfl.LayersModel,
  location: string | tf.io.IOHandler,
  args: SaveModelArgs,
): Promise<tf.io.SaveResult> {
  try {
    return await model.save(location, { includeOptimizer: args.includeOptimizer ?? false });
  } catch (e) {
    if (e instanceof ModelIOError) throw e;
    const where = typeof location === 'string' ? location : 'the IOHandler';
    throw new ModelIOError(where, `saveModel: could not save to ${where}: ${(e as Error).message}`, e);
  }
}

/** tfl.loadLayersModel with errors as {@link ModelIOError}. */
export async function loadThrough(
  location: string | tf.io.IOHandler,
  args: LoadModelArgs,
): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(location, { strict: args.strict ?? true });
  } catch (e) {
    if (e instanceof ModelIOError) throw e;
    const where = typeof location === 'string' ? location : 'the IOHandler';
    throw new ModelIOError(
      where,
      `loadModel: could not load a model from ${where}: ${(e as Error).message}`,
      e,
    );
  }
}

/**
 * Loads a TF.js layers model in the browser from `indexeddb://name`, `localstorage://name`, a `model.json` URL
 * (relative URLs too), or a `tf.io.IOHandler`.
 *
 * @param location Where the model is.
 * @param args See {@link LoadModelArgs}.
 * @returns The model, with its weights.
 * @throws {@link InvalidArgumentError} for a location that is not a string or IOHandler, or a bad flag.
 * @throws {@link ModelIOError} when nothing loadable is there.
 *
 * @example
 * ```ts
 * const model = await loadModel('indexeddb://dr-grader');
 * ```
 */
export async function loadModel(
  location: string | tf.io.IOHandler,
  args: LoadModelArgs = {},
): Promise<tfl.LayersModel> {
  checkLocation('loadModel', location);
  checkFlag('loadModel', 'strict', args.strict);
  return loadThrough(location, args);
}
