import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { isNode } from '../../src/backend/platform.js';
import type { SetupBackendArgs } from '../../src/index.js';

/**
 * How a Vite app hands the wasm binaries and backend modules to setupBackend — the documented
 * bundler recipe, used as-is by the browser tests. In Node nothing is needed (undefined).
 */
export function wasmPaths(): SetupBackendArgs['wasmPaths'] {
  if (isNode()) return undefined;
  return {
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  };
}

export function backendLoaders(): SetupBackendArgs['loaders'] {
  if (isNode()) return undefined;
  return {
    cpu: () => import('@tensorflow/tfjs-backend-cpu'),
    wasm: () => import('@tensorflow/tfjs-backend-wasm'),
    webgl: () => import('@tensorflow/tfjs-backend-webgl'),
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  };
}
