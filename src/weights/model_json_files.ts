import * as tf from '@tensorflow/tfjs-core';

/** Reads a whole file (Node: fs; tests: memory). */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/** The folder part of a path or URL (`a/b/model.json` → `a/b`), `.` when there is none. */
export function dirnameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? path.slice(0, 1) : path.slice(0, i);
}

/** An exact ArrayBuffer holding `bytes` (a Node Buffer may be a view into a larger pool). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Model artifacts from a TF.js `model.json` and the weight shards its manifest names (paths relative to the
 * model.json), read with `readFile`. Shared by the Node file-system handler and {@link loadWeights}.
 */
export async function artifactsFromFiles(
  modelJsonPath: string,
  readFile: ReadFile,
): Promise<tf.io.ModelArtifacts> {
  const text = new TextDecoder().decode(await readFile(modelJsonPath));
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (e) {
    throw new SyntaxError(`${modelJsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || json.modelTopology === undefined) {
    throw new SyntaxError(`${modelJsonPath} is not a TF.js model.json (no modelTopology).`);
  }
  const dir = dirnameOf(modelJsonPath);
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const shard of group.paths) buffers.push(toArrayBuffer(await readFile(`${dir}/${shard}`)));
    }
    return [specs, buffers];
  });
}
