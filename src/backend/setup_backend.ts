import {
  engine,
  findBackendFactory,
  getBackend,
  getGradient,
  ready,
  setBackend,
} from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients: tfjs-core alone has none, so nothing could train
import { BackendError, InvalidArgumentError } from '../errors.js';
import {
  BACKEND_NAMES,
  BACKEND_PACKAGES,
  type BackendName,
  BROWSER_ORDER,
  isBackendName,
  NODE_ORDER,
} from './backend_names.js';
import { registerBatchNormTraining } from './batch_norm_training.js';
import { registerInputConvTraining } from './input_conv_training.js';
import { type BackendLoader, loadBackend } from './load_backend.js';
import { isNode } from './platform.js';
import { registerTrainingKernels, TRAINING_KERNELS } from './training_kernels/register.js';
import { guardWasmHeap } from './wasm_heap_guard.js';

/** Arguments of {@link setupBackend}. */
export interface SetupBackendArgs {
  /**
   * Backend name, or names in order of preference. With one name, failing to set it up throws; with a
   * list, the first that works is used.
   * @defaultValue Node: `['tensorflow', 'wasm', 'cpu']`; browser: `['webgpu', 'webgl', 'wasm', 'cpu']`
   */
  prefer?: BackendName | readonly BackendName[];
  /**
   * Where the wasm backend fetches its `.wasm` files, passed to `setWasmPaths` of
   * `@tensorflow/tfjs-backend-wasm`: a URL prefix ending in `/`, or a map from file name to URL. Needed
   * in bundlers (Vite: import the files with `?url`); Node finds them in the installed package.
   * @defaultValue undefined (the package's own location)
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Functions that import a backend's package, by backend name, for bundlers that only include what a
   * literal `import()` names, e.g. `{ webgpu: () => import('@tensorflow/tfjs-backend-webgpu') }`.
   * A backend the app already imported needs no loader.
   * @defaultValue `{}` (dynamic import of the backend's npm package)
   */
  loaders?: Partial<Record<BackendName, BackendLoader>>;
}

/** What {@link setupBackend} chose and what it can do. */
export interface BackendInfo {
  /** The active TF.js backend. */
  name: BackendName;
  /** Where we run. */
  platform: 'node' | 'browser';
  /** Runs on a GPU (webgpu, webgl, or tensorflow with tfjs-node-gpu). */
  gpu: boolean;
  /** Gradients are registered and every kernel a conv net's backward pass needs is present. */
  canTrain: boolean;
  /** Kernels fundus-kit added or replaced on this backend (see {@link TRAINING_KERNELS}). */
  addedKernels: string[];
  /** Backends tried before this one, with why they were not used. */
  skipped: { name: BackendName; reason: string }[];
}

/**
 * Chooses, loads and initialises the fastest TF.js backend that is installed, and makes it able to
 * train: on wasm it registers the convolution gradient kernels TF.js lacks, and on wasm and cpu it
 * replaces slow gradient kernels with fast composites (see {@link registerTrainingKernels}); on every backend,
 * BatchNormalization layers backpropagate in closed form (see {@link registerBatchNormTraining}), a stem
 * convolution skips its unused input gradient and a convolution with ReLU keeps one tensor instead of three
 * while training (see {@link registerInputConvTraining}).
 *
 * @example
 * ```ts
 * import { setupBackend } from 'fundus-kit';
 * const backend = await setupBackend();                  // fastest available
 * await setupBackend({ prefer: 'wasm' });                // exactly wasm, or throw
 * await setupBackend({ prefer: ['webgpu', 'wasm'] });    // first that works
 * ```
 * @throws {@link InvalidArgumentError} when `prefer` names an unknown backend.
 * @throws {@link BackendError} when no preferred backend can be set up; it names what was asked for
 * and lists the backends that are installed.
 */
export async function setupBackend(args: SetupBackendArgs = {}): Promise<BackendInfo> {
  const platform = isNode() ? 'node' : 'browser';
  const order = preferenceOrder(args.prefer, platform);
  const skipped: { name: BackendName; reason: string }[] = [];

  for (const name of order) {
    const reason = await tryBackend(name, args);
    if (reason === undefined) return describe(name, platform, skipped);
    skipped.push({ name, reason });
  }

  const available = await installedBackends(args.loaders);
  const asked =
    order.length === 1
      ? `Backend '${order[0]}'`
      : `None of the backends ${order.map((n) => `'${n}'`).join(', ')}`;
  const details = skipped.map((s) => `${s.name}: ${s.reason}`).join('\n  ');
  const missing = skipped.find((s) => s.reason.startsWith('not installed'));
  const hint =
    missing === undefined
      ? ''
      : ` To install ${missing.name}: \`npm i ${BACKEND_PACKAGES[missing.name][0]}\`.`;
  throw new BackendError(
    order.join(','),
    `setupBackend: ${asked} could not be set up.\n  ${details}\nInstalled: ${available.join(', ') || 'none'}.${hint}`,
    available,
  );
}

function preferenceOrder(prefer: SetupBackendArgs['prefer'], platform: 'node' | 'browser'): BackendName[] {
  if (prefer === undefined) return [...(platform === 'node' ? NODE_ORDER : BROWSER_ORDER)];
  const list = typeof prefer === 'string' ? [prefer] : [...prefer];
  if (list.length === 0) {
    throw new InvalidArgumentError(
      'prefer',
      'setupBackend: prefer must name at least one backend, but got [].',
      prefer,
    );
  }
  for (const name of list) {
    if (!isBackendName(name)) {
      throw new InvalidArgumentError(
        'prefer',
        `setupBackend: unknown backend '${String(name)}'. Valid names: ${BACKEND_NAMES.join(', ')}.`,
        name,
      );
    }
  }
  return list;
}

/** Loads and activates one backend; returns why not, or undefined on success. */
async function tryBackend(name: BackendName, args: SetupBackendArgs): Promise<string | undefined> {
  const loaded = await loadBackend(name, args.loaders?.[name]);
  if (!loaded.ok) return `not installed: ${loaded.reason}`;
  if (findBackendFactory(name) === null) {
    return `its package loaded but registered no '${name}' backend on this platform${name === 'webgpu' ? ' (it needs navigator.gpu)' : ''}`;
  }
  if (name === 'wasm') configureWasm(loaded.module, args.wasmPaths);
  if (name === 'wasm' || name === 'cpu') registerTrainingKernels(name);
  registerBatchNormTraining();
  registerInputConvTraining();
  let ok: boolean;
  try {
    ok = await setBackend(name);
    await ready();
  } catch (e) {
    return `failed to initialise: ${e instanceof Error ? e.message : String(e)}`;
  }
  // TF.js logs the cause of a failed initialisation as a warning and keeps no instance, so a later
  // call can retry (e.g. once a GPU adapter appears).
  if (!ok || getBackend() !== name) return 'failed to initialise (TF.js logged the cause above)';
  if (name === 'wasm') guardWasmHeap(engine().backend);
  return undefined;
}

function configureWasm(module: unknown, wasmPaths: SetupBackendArgs['wasmPaths']): void {
  if (wasmPaths === undefined) return;
  const m = module as {
    setWasmPaths?: (p: unknown) => void;
    default?: { setWasmPaths?: (p: unknown) => void };
  };
  const setWasmPaths = m?.setWasmPaths ?? m?.default?.setWasmPaths;
  if (setWasmPaths === undefined) {
    throw new InvalidArgumentError(
      'wasmPaths',
      'setupBackend: wasmPaths was given but the wasm backend module was not loaded by setupBackend; ' +
        "call setWasmPaths from '@tensorflow/tfjs-backend-wasm' yourself, or pass loaders.wasm.",
      wasmPaths,
    );
  }
  setWasmPaths(wasmPaths);
}

/** Backends that are registered on this platform once their package is loaded. */
async function installedBackends(loaders: SetupBackendArgs['loaders']): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of BACKEND_NAMES) {
    if ((await loadBackend(name, loaders?.[name])).ok && findBackendFactory(name) !== null) found.push(name);
  }
  return found;
}

function describe(
  name: BackendName,
  platform: 'node' | 'browser',
  skipped: { name: BackendName; reason: string }[],
): BackendInfo {
  return {
    name,
    platform,
    gpu: name === 'webgpu' || name === 'webgl' || (name === 'tensorflow' && tensorflowUsesGpu()),
    canTrain: getGradient('Conv2D') != null && getGradient('Conv2DBackpropInput') != null,
    addedKernels: name === 'wasm' || name === 'cpu' ? [...TRAINING_KERNELS[name]] : [],
    skipped,
  };
}

/** tfjs-node-gpu registers the same backend name as tfjs-node; its instance says whether CUDA is in use. */
function tensorflowUsesGpu(): boolean {
  const backend = engine().findBackend('tensorflow') as { isUsingGpuDevice?: boolean } | null;
  return backend?.isUsingGpuDevice === true;
}
