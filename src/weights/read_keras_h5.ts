import { type SourceLayer, type SourceLayers, shortWeightName, splitWeightPath } from './source_layers.js';
import { WeightsFormatError } from './weights_errors.js';

type H5 = typeof import('h5wasm');
type Group = import('h5wasm').Group;
type Dataset = import('h5wasm').Dataset;

let h5: Promise<H5> | undefined;

/** h5wasm (HDF5 compiled to WebAssembly, wasm embedded in its ESM build) loaded on first use only. */
async function loadH5wasm(): Promise<H5> {
  h5 ??= import('h5wasm').then(async (module) => {
    await module.ready;
    return module;
  });
  try {
    return await h5;
  } catch (e) {
    h5 = undefined;
    throw e;
  }
}

let counter = 0;

/** True for the bytes of an HDF5 file (signature `\x89HDF\r\n\x1a\n` at offset 0). */
export function isHdf5(bytes: Uint8Array): boolean {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && signature.every((b, i) => bytes[i] === b);
}

/**
 * Reads the weights of a Keras HDF5 file: tf.keras 2 / Keras 1 `save_weights` files (keras.applications'
 * ImageNet files: root attribute `layer_names`, one group per layer with attribute `weight_names`), full-model
 * files (the same under `/model_weights`), and Keras 3 `.weights.h5` files (`layers/<name>/vars/<i>`).
 */
export async function readKerasH5(bytes: Uint8Array, source: string): Promise<SourceLayers> {
  if (!isHdf5(bytes))
    throw new WeightsFormatError(source, `loadWeights: ${source} is not an HDF5 file (no HDF5 signature).`);
  const module = await loadH5wasm();
  const FS = module.FS!;
  const path = `/fundus-kit-weights-${++counter}.h5`;
  FS.writeFile(path, bytes);
  let file: import('h5wasm').File | undefined;
  try {
    file = new module.File(path, 'r');
    const root: Group =
      file.get('model_weights') instanceof module.Group ? (file.get('model_weights') as Group) : file;
    const names = readStringListAttribute(root, 'layer_names');
    if (names !== undefined)
      return { format: 'keras-h5', layers: readKeras2(module, root, names, source), owned: [] };
    const layers = file.get('layers') ?? file.get('_layer_checkpoint_dependencies');
    if (layers instanceof module.Group) {
      return { format: 'keras3-h5', layers: readKeras3(module, layers, [], source), owned: [] };
    }
    throw new WeightsFormatError(
      source,
      `loadWeights: ${source} is an HDF5 file but not in a Keras layout: no 'layer_names' attribute ` +
        `(at the root or under /model_weights) and no Keras 3 'layers' group. Root holds: ${file.keys().join(', ') || 'nothing'}.`,
    );
  } catch (e) {
    if (e instanceof WeightsFormatError) throw e;
    throw new WeightsFormatError(
      source,
      `loadWeights: could not read ${source} as HDF5: ${(e as Error).message}`,
      e,
    );
  } finally {
    file?.close();
    FS.unlink(path);
  }
}

/** A string-list attribute; Keras splits long ones into `name0`, `name1`, … */
function readStringListAttribute(group: Group, name: string): string[] | undefined {
  const attrs = group.attrs;
  const read = (key: string) => {
    const value = attrs[key]?.value;
    if (value === undefined || value === null) return undefined;
    return (Array.isArray(value) ? value : [value]).map((v) =>
      v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v),
    );
  };
  const whole = read(name);
  if (whole !== undefined) return whole;
  if (attrs[`${name}0`] === undefined) return undefined;
  const out: string[] = [];
  for (let i = 0; attrs[`${name}${i}`] !== undefined; i++) out.push(...read(`${name}${i}`)!);
  return out;
}

function readDataset(module: H5, dataset: unknown, where: string, source: string) {
  if (!(dataset instanceof module.Dataset)) {
    throw new WeightsFormatError(source, `loadWeights: ${source} has no dataset at ${where}.`);
  }
  const d = dataset as Dataset;
  const value = d.value;
  const shape = d.shape ?? [];
  let values: Float32Array;
  if (value instanceof Float32Array) values = value;
  else if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array) {
    values = Float32Array.from(value);
  } else {
    throw new WeightsFormatError(
      source,
      `loadWeights: ${where} in ${source} has an unsupported type (${JSON.stringify(d.dtype)}).`,
    );
  }
  return { shape, values };
}

/** Keras 1/2: one group per layer; a nested model's group holds its inner layers' weights (`inner/kernel:0`). */
function readKeras2(module: H5, root: Group, layerNames: string[], source: string): SourceLayer[] {
  const out: SourceLayer[] = [];
  for (const group of layerNames) {
    const g = root.get(group);
    if (!(g instanceof module.Group))
      throw new WeightsFormatError(
        source,
        `loadWeights: ${source} lists layer '${group}' but has no group for it.`,
      );
    const weightNames = readStringListAttribute(g, 'weight_names') ?? [];
    if (weightNames.length === 0) continue;
    // Which layer each weight belongs to: the segment before its short name. One segment for the whole group
    // (named like the group, or with a suffix such as `block1_conv1_1`) → an ordinary layer; several → a nested model.
    const segments = weightNames.map((w) => splitWeightPath(w).at(-1) ?? group);
    const distinct = [...new Set(segments)];
    const nested = !(distinct.length === 1 && distinct[0]!.startsWith(group));
    const byLayer = new Map<string, SourceLayer>();
    weightNames.forEach((w, i) => {
      const layer = nested ? segments[i]! : group;
      let entry = byLayer.get(layer);
      if (entry === undefined) {
        entry = { path: nested ? [group, layer] : [group], weights: [], positional: false };
        byLayer.set(layer, entry);
      }
      const { shape, values } = readDataset(module, g.get(w), `${group}/${w}`, source);
      entry.weights.push({ name: shortWeightName(w, layer), shape, values });
    });
    out.push(...byLayer.values());
  }
  return out;
}

/**
 * Keras 3 (and tf.keras 2.13's new format): `layers/<name>/vars/<index>`, nested models as
 * `layers/<outer>/layers/<inner>/…`; 2.13 names the `layers` groups `_layer_checkpoint_dependencies`.
 */
function readKeras3(module: H5, layers: Group, prefix: string[], source: string): SourceLayer[] {
  const out: SourceLayer[] = [];
  for (const name of layers.keys()) {
    const g = layers.get(name);
    if (!(g instanceof module.Group)) continue;
    const vars = g.get('vars');
    if (vars instanceof module.Group) {
      const keys = vars.keys().sort((a, b) => Number(a) - Number(b));
      if (keys.length > 0) {
        out.push({
          path: [...prefix, name],
          positional: true,
          weights: keys.map((k) => ({
            name: '',
            ...readDataset(module, vars.get(k), `layers/${name}/vars/${k}`, source),
          })),
        });
      }
    }
    const inner = g.get('layers') ?? g.get('_layer_checkpoint_dependencies');
    if (inner instanceof module.Group) out.push(...readKeras3(module, inner, [...prefix, name], source));
  }
  return out;
}
