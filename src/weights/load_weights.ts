import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isNode } from '../backend/platform.js';
import { FundusError, InvalidArgumentError } from '../errors.js';
import { matchLayers } from './match_weights.js';
import { artifactsFromFiles } from './model_json_files.js';
import { readNodeFile, stripFileScheme } from './node_files.js';
import { readKerasH5 } from './read_keras_h5.js';
import {
  fromArtifacts,
  fromLayersModel,
  type SourceLayers,
  type WeightsFormat,
  weightedLayers,
} from './source_layers.js';
import {
  describeMismatch,
  WeightsFormatError,
  type WeightsMismatch,
  WeightsMismatchError,
} from './weights_errors.js';

/**
 * Where pretrained weights come from:
 * - a string ending in `.h5` / `.hdf5` (`.weights.h5` included): a Keras HDF5 file — a path in Node
 *   (`file://` allowed), a URL in the browser or an `http(s)://` URL anywhere;
 * - any other string: a TF.js layers model's `model.json` (path in Node, URL, or a registered scheme such
 *   as `indexeddb://`);
 * - an `ArrayBuffer` / `Uint8Array`: the bytes of a Keras HDF5 file;
 * - a `tf.io.IOHandler`: TF.js model artifacts;
 * - a `tfl.LayersModel`: an already-loaded model whose weights are copied by layer name.
 */
export type WeightsSource = string | ArrayBuffer | Uint8Array | tf.io.IOHandler | tfl.LayersModel;

/** Arguments of {@link loadWeights}. */
export interface LoadWeightsArgs {
  /**
   * Load the layers that fit and skip the rest — layers the source lacks, layers the model lacks, layers whose
   * weights differ in shape or number — listing them in {@link LoadWeightsReport.skipped}, instead of throwing
   * {@link WeightsMismatchError}. For a pretrained backbone under a new head.
   * @defaultValue `false`
   */
  skipMismatch?: boolean;
}

/** What {@link loadWeights} did. */
export interface LoadWeightsReport {
  /** Layers whose weights were set (qualified: `outer/inner` for layers in nested models), in model order. */
  loaded: string[];
  /** Layers left as they were (only with `skipMismatch`), each with the reason. */
  skipped: { layer: string; reason: string }[];
  /** The same disagreements as `skipped`, structured (shapes on both sides). */
  mismatches: WeightsMismatch[];
  /** How the source was read: Keras 1/2 HDF5, Keras 3 `.weights.h5`, or TF.js. */
  format: WeightsFormat;
}

/**
 * Loads pretrained weights into `model` by layer name, with shape checks: Keras HDF5 weight files (such as
 * keras.applications' ImageNet files, read in JS with h5wasm, no converter needed) or TF.js layers models.
 *
 * Matching: each layer with weights pairs with the source layer of the same name, descending into nested
 * models (`outer/inner`; a flat file also loads into a backbone nested in a larger model when the names are
 * unique). Within a layer, weights pair by their names (`kernel`/`bias`, `gamma`/`beta`/`moving_mean`/
 * `moving_variance`; Keras 1's `_W`/`_b` too), by position where the source has no names (Keras 3).
 * All-or-nothing: any missing, extra or mis-shaped layer throws before a single weight changes, unless
 * `skipMismatch` is set.
 *
 * Supported HDF5 layouts: tf.keras 2 / Keras 1 `save_weights` (root attribute `layer_names`, one group per
 * layer with attribute `weight_names`), full-model `.h5` files (the same under `/model_weights`), and
 * Keras 3 `.weights.h5` (`layers/<name>/vars/<i>`). Not supported: the Keras 3 `.keras` zip archive
 * and float16 datasets.
 *
 * @param model The model to fill; it must be built (a functional or sequential model is).
 * @param source Where the weights are: see {@link WeightsSource}.
 * @param args See {@link LoadWeightsArgs}.
 * @returns What was loaded and skipped.
 * @throws {@link WeightsMismatchError} when model and source disagree (and `skipMismatch` is not set),
 *   listing each layer with both shapes.
 * @throws {@link WeightsFormatError} when the source cannot be read or is in no supported layout.
 * @throws {@link InvalidArgumentError} when `model`, `source` or `args` has the wrong type.
 *
 * @example
 * ```ts
 * const model = vgg16({ includeTop: false, inputShape: [224, 224, 3] });
 * // Node: a path; browser: a URL.
 * await loadWeights(model, 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5');
 * // A new 5-class head on a full ImageNet file: the old `predictions` layer is skipped and reported.
 * const report = await loadWeights(withNewHead, 'vgg16_weights.h5', { skipMismatch: true });
 * console.log(report.skipped); // [{ layer: 'predictions', reason: 'predictions kernel: model [4096,5], source [4096,1000]' }, …]
 * ```
 * @see {@link https://keras.io/api/applications/ | keras.applications} for the weight files.
 */
export async function loadWeights(
  model: tfl.LayersModel,
  source: WeightsSource,
  args: LoadWeightsArgs = {},
): Promise<LoadWeightsReport> {
  if (model === null || typeof model !== 'object' || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new InvalidArgumentError(
      'model',
      `loadWeights: model must be a tf.LayersModel, but got ${describe(model)}.`,
      model,
    );
  }
  if (args === null || typeof args !== 'object') {
    throw new InvalidArgumentError(
      'args',
      `loadWeights: args must be an object, but got ${describe(args)}.`,
      args,
    );
  }
  const skipMismatch = args.skipMismatch ?? false;
  if (typeof skipMismatch !== 'boolean') {
    throw new InvalidArgumentError(
      'skipMismatch',
      `loadWeights: skipMismatch must be a boolean, but got ${describe(skipMismatch)}.`,
      skipMismatch,
    );
  }
  const { layers: read, label } = await readSource(source);
  try {
    const { matched, mismatches } = matchLayers(weightedLayers(model), read.layers);
    if (mismatches.length > 0 && !skipMismatch)
      throw new WeightsMismatchError('loadWeights', label, mismatches);
    for (const { target, weights } of matched) {
      const created: tf.Tensor[] = [];
      const values = target.layer.weights.map((variable, i) => {
        const w = weights[i]!;
        let t: tf.Tensor;
        if (w.values instanceof tf.Tensor) {
          t = w.values.dtype === variable.dtype ? w.values : tf.cast(w.values, variable.dtype);
        } else {
          t = tf.tensor(w.values, w.shape, variable.dtype);
        }
        if (t !== w.values) created.push(t);
        return t;
      });
      try {
        target.layer.setWeights(values);
      } finally {
        tf.dispose(created);
      }
    }
    const skipped = new Map<string, string[]>();
    for (const m of mismatches) skipped.set(m.layer, [...(skipped.get(m.layer) ?? []), describeMismatch(m)]);
    return {
      loaded: matched.map((m) => m.target.path.join('/')),
      skipped: [...skipped].map(([layer, reasons]) => ({ layer, reason: reasons.join('; ') })),
      mismatches,
      format: read.format,
    };
  } finally {
    tf.dispose(read.owned);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const HDF5_EXTENSION = /\.(h5|hdf5)$/i;
const HTTP = /^https?:\/\//i;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The path without query or fragment, to look at its extension. */
function pathPart(url: string): string {
  return url.replace(/[?#].*$/, '');
}

async function readSource(source: WeightsSource): Promise<{ layers: SourceLayers; label: string }> {
  if (typeof source === 'string') {
    if (source.length === 0)
      throw new InvalidArgumentError('source', 'loadWeights: source is an empty string.', source);
    if (/\.keras$/i.test(pathPart(source))) {
      throw new WeightsFormatError(
        source,
        `loadWeights: ${source} is a Keras 3 '.keras' archive, which is not supported; save the weights with ` +
          "model.save_weights('x.weights.h5') and pass that file.",
      );
    }
    if (HDF5_EXTENSION.test(pathPart(source))) {
      return { layers: await readKerasH5(await readBytes(source), source), label: source };
    }
    return { layers: await readModelJson(source), label: source };
  }
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return { layers: await readKerasH5(bytes, 'the given bytes'), label: 'the given bytes' };
  }
  if (source !== null && typeof source === 'object') {
    const s = source as Partial<tfl.LayersModel> & Partial<tf.io.IOHandler>;
    if (Array.isArray(s.layers) && typeof s.getWeights === 'function') {
      return { layers: fromLayersModel(source as tfl.LayersModel), label: `model '${s.name}'` };
    }
    if (typeof s.load === 'function') {
      let artifacts: tf.io.ModelArtifacts;
      try {
        artifacts = await s.load();
      } catch (e) {
        throw new WeightsFormatError(
          'IOHandler',
          `loadWeights: the IOHandler failed to load: ${(e as Error).message}`,
          e,
        );
      }
      return { layers: checkedArtifacts(artifacts, 'the IOHandler'), label: 'the IOHandler' };
    }
  }
  throw new InvalidArgumentError(
    'source',
    'loadWeights: source must be a path or URL, the bytes of an .h5 file, a tf.io.IOHandler or a tf.LayersModel, ' +
      `but got ${describe(source)}.`,
    source,
  );
}

function checkedArtifacts(artifacts: tf.io.ModelArtifacts, label: string): SourceLayers {
  if (artifacts.weightSpecs == null || artifacts.weightData == null) {
    throw new WeightsFormatError(
      label,
      `loadWeights: ${label} holds no weights (no weightSpecs/weightData).`,
    );
  }
  return fromArtifacts(artifacts);
}

async function readBytes(source: string): Promise<Uint8Array> {
  try {
    if (isNode() && !HTTP.test(source)) return await readNodeFile(stripFileScheme(source), 'loadWeights');
    const response = await fetch(source);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    if (e instanceof FundusError) throw e;
    throw new WeightsFormatError(source, `loadWeights: could not read ${source}: ${(e as Error).message}`, e);
  }
}

async function readModelJson(source: string): Promise<SourceLayers> {
  let artifacts: tf.io.ModelArtifacts;
  try {
    if (isNode() && (!SCHEME.test(source) || source.startsWith('file://'))) {
      artifacts = await artifactsFromFiles(stripFileScheme(source), (p) => readNodeFile(p, 'loadWeights'));
    } else {
      const handlers = tf.io.getLoadHandlers(source);
      const handler = handlers[0] ?? tf.io.http(source);
      if (handler.load === undefined) throw new Error('its IOHandler cannot load');
      artifacts = await handler.load();
    }
  } catch (e) {
    if (e instanceof FundusError) throw e;
    throw new WeightsFormatError(
      source,
      `loadWeights: could not load the TF.js model ${source}: ${(e as Error).message}`,
      e,
    );
  }
  return checkedArtifacts(artifacts, source);
}
