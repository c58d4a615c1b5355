import { getKernel } from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { useBackend } from '../../../test/support/backends.js';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register.js';

it('registers the wasm training kernels once, keeping the replaced kernels’ setup', async () => {
  await useBackend('wasm'); // setupBackend registers them
  for (const name of WASM_TRAINING_KERNELS) expect(getKernel(name, 'wasm'), name).toBeDefined();
  const matMul = getKernel('BatchMatMul', 'wasm')!;
  expect(registerWasmTrainingKernels()).toEqual([]);
  expect(registerWasmTrainingKernels()).toEqual([]);
  // Still the same wrapper (not a wrapper of a wrapper), and the wasm export it calls is set up.
  expect(getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(matMul.kernelFunc);
  expect(matMul.setupFunc).toBeTypeOf('function');
});
