/** TF.js backends fundus-kit knows how to set up, fastest first within each platform. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** A TF.js backend name. `tensorflow` is `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Default preference order in Node. */
export const NODE_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Default preference order in a browser (or worker). */
export const BROWSER_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** npm packages that provide each backend, tried in order. */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, readonly string[]>> = {
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu'],
  webgl: ['@tensorflow/tfjs-backend-webgl'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
};

export function isBackendName(name: unknown): name is BackendName {
  return typeof name === 'string' && (BACKEND_NAMES as readonly string[]).includes(name);
}
