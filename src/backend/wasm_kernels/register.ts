import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { wasmConv2DBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { wasmConv2DBackpropInputConfig } from './conv2d_backprop_input.js';
import { withExplicitTranspose } from './mat_mul_transposed.js';

/** Kernel functions this module registered, so a second call recognises them. */
const ours = new WeakSet<object>();

/** Names of the kernels {@link registerWasmTrainingKernels} adds or replaces on the wasm backend. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'BatchMatMul',
  '_FusedMatMul',
] as const;

/**
 * Registers the kernels that let conv nets train fast on `@tensorflow/tfjs-backend-wasm`:
 * - `Conv2DBackpropFilter`, which wasm lacks (so any conv layer's backward pass throws without it);
 * - `Conv2DBackpropInput`, replacing wasm's scalar loop with its XNNPACK convolution;
 * - `BatchMatMul` and `_FusedMatMul` with transposed operands (dense layers' backward pass), which wasm
 *   runs about 15-20× slower than the plain product.
 * All are composed from wasm's own kernels, so they run at wasm SIMD speed. Idempotent; call it after
 * importing the wasm backend (setupBackend does this for you).
 *
 * @returns the names of kernels registered by this call (empty when already done).
 */
export function registerWasmTrainingKernels(): string[] {
  const done: string[] = [];
  install(wasmConv2DBackpropFilterConfig, done);
  install(wasmConv2DBackpropInputConfig, done);
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = getKernel(name, 'wasm');
    if (original !== undefined && !ours.has(original.kernelFunc)) install(withExplicitTranspose(original), done);
  }
  return done;
}

function install(config: KernelConfig, done: string[]): void {
  const current = getKernel(config.kernelName, config.backendName);
  if (current !== undefined && ours.has(current.kernelFunc)) return;
  if (current !== undefined) {
    // Keep the replaced kernel's setup (it cwraps the wasm export our wrapper may still call).
    config = { ...config, setupFunc: config.setupFunc ?? current.setupFunc };
    unregisterKernel(config.kernelName, config.backendName);
  }
  ours.add(config.kernelFunc);
  registerKernel(config);
  done.push(config.kernelName);
}
