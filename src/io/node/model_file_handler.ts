import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import { artifactsFromFiles } from '../../weights/model_json_files.js';
import { ModelIOError } from '../../weights/weights_errors.js';

/** File names inside a saved model's folder, as tfjs-node's `file://` handler writes them. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** `file:///a/b` → `/a/b`; a path stays as it is. */
function toPath(location: string): string {
  return location.startsWith('file://') ? decodeURIComponent(location.slice('file://'.length)) : location;
}

/**
 * A `tf.io.IOHandler` on the local file system, in TF.js's layers-model format: a folder with `model.json`
 * (topology, training config, weights manifest) and one `weights.bin` shard. Saving creates the folder and
 * writes the weights first and `model.json` last (through a temporary name), so a folder that has a
 * `model.json` holds a complete model. Loading accepts the folder or its `model.json` (a `file://` URL too).
 * The same format as tfjs-node's `file://` scheme, so models move freely between the two.
 *
 * @param location Folder (or `model.json` path, for loading), plain or as a `file://` URL.
 * @throws {@link InvalidArgumentError} when `location` is not a non-empty string.
 *
 * @example
 * ```ts
 * await model.save(fileSystemHandler('models/grader'));
 * const again = await tf.loadLayersModel(fileSystemHandler('models/grader/model.json'));
 * ```
 */
export function fileSystemHandler(location: string): tf.io.IOHandler {
  if (typeof location !== 'string' || location.length === 0) {
    throw new InvalidArgumentError(
      'location',
      `fileSystemHandler: location must be a non-empty path, but got ${JSON.stringify(location)}.`,
      location,
    );
  }
  const path = toPath(location);
  return {
    save: (artifacts) => saveArtifacts(path, artifacts),
    load: () => loadArtifacts(path),
  };
}

async function saveArtifacts(dir: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  const topology = artifacts.modelTopology;
  if (topology == null || topology instanceof ArrayBuffer) {
    throw new ModelIOError(dir, `saveModel: ${dir}: only models with a JSON topology can be saved.`);
  }
  try {
    const existing = await stat(dir).catch(() => undefined);
    if (existing !== undefined && !existing.isDirectory()) throw new Error('it exists and is not a folder');
    await mkdir(dir, { recursive: true });
    const weights =
      artifacts.weightData === undefined
        ? new ArrayBuffer(0)
        : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson: tf.io.ModelJSON = {
      modelTopology: topology,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
    };
    if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
    if (artifacts.signature !== undefined) modelJson.signature = artifacts.signature;
    if (artifacts.userDefinedMetadata !== undefined)
      modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
    if (artifacts.modelInitializer !== undefined) modelJson.modelInitializer = artifacts.modelInitializer;
    if (artifacts.initializerSignature !== undefined)
      modelJson.initializerSignature = artifacts.initializerSignature;
    await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
    const temporary = join(dir, `.${MODEL_JSON}.${process.pid}.tmp`);
    await writeFile(temporary, JSON.stringify(modelJson));
    await rename(temporary, join(dir, MODEL_JSON));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(topology).length,
        weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
        weightDataBytes: weights.byteLength,
      },
    };
  } catch (e) {
    if (e instanceof ModelIOError) throw e;
    throw new ModelIOError(dir, `saveModel: could not save to ${dir}: ${(e as Error).message}`, e);
  }
}

async function loadArtifacts(location: string): Promise<tf.io.ModelArtifacts> {
  let modelJson = location;
  try {
    if ((await stat(location)).isDirectory()) modelJson = join(location, MODEL_JSON);
    return await artifactsFromFiles(modelJson, async (p) => new Uint8Array(await readFile(p)));
  } catch (e) {
    throw new ModelIOError(
      location,
      `loadModel: could not load a model from ${modelJson}: ${(e as Error).message}`,
      e,
    );
  }
}
