import '@tensorflow/tfjs-backend-cpu'; // register the backends' own kernels before fundus-kit replaces some
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { TRAINING_KERNELS } from '../src/index.js';

/** The backends' own configs of the kernels fundus-kit replaces, kept for comparison. */
export class NativeKernels {
  private constructor(private readonly configs: Map<string, tf.KernelConfig>) {}

  /**
   * Captures, for every kernel in `TRAINING_KERNELS`, the backend's own config if it has one. Call it
   * before `setupBackend` registers fundus-kit's kernels in their place; fundus-kit keeps a replaced
   * kernel's `setupFunc`, so once the backend is initialised the native `kernelFunc` still works.
   */
  static capture(): NativeKernels {
    const configs = new Map<string, tf.KernelConfig>();
    for (const [backend, names] of Object.entries(TRAINING_KERNELS)) {
      for (const name of names) {
        const config = tf.getKernel(name, backend);
        if (config !== undefined) configs.set(`${backend}/${name}`, config);
      }
    }
    return new NativeKernels(configs);
  }

  /** The backend's own kernel, when fundus-kit replaces it there. */
  get(backend: string, kernelName: string): tf.KernelConfig | undefined {
    return this.configs.get(`${backend}/${kernelName}`);
  }

  /** `backend/kernel` names captured. */
  names(): string[] {
    return [...this.configs.keys()];
  }
}

/** Runs a captured kernel on the active backend, reads its output and frees it. */
export function runNativeKernel(
  config: tf.KernelConfig,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): undefined {
  const backend = tf.backend();
  const info = config.kernelFunc({ inputs, attrs, backend }) as tf.TensorInfo;
  backend.readSync(info.dataId);
  backend.disposeData(info.dataId);
  return undefined;
}
