import { getKernel } from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { useBackend } from '../../../test/support/backends.js';
import { InvalidArgumentError } from '../../errors.js';
import { registerTrainingKernels, TRAINING_KERNELS } from './register.js';

it.each(['wasm', 'cpu'] as const)(
  'registers the %s training kernels once, keeping replaced kernels’ setup',
  async (backend) => {
    await useBackend(backend); // setupBackend registers them
    for (const name of TRAINING_KERNELS[backend]) expect(getKernel(name, backend), name).toBeDefined();
    const filterGrad = getKernel('Conv2DBackpropFilter', backend)!;
    expect(registerTrainingKernels(backend)).toEqual([]);
    expect(registerTrainingKernels(backend)).toEqual([]);
    // Still the same kernel (not a wrapper of a wrapper).
    expect(getKernel('Conv2DBackpropFilter', backend)!.kernelFunc).toBe(filterGrad.kernelFunc);
    if (backend === 'wasm') expect(getKernel('BatchMatMul', 'wasm')!.setupFunc).toBeTypeOf('function');
  },
);

it('rejects a backend that has no training kernels', () => {
  expect(() => registerTrainingKernels('webgl' as never)).toThrow(InvalidArgumentError);
  expect(() => registerTrainingKernels('webgl' as never)).toThrow(
    "registerTrainingKernels: no training kernels for backend 'webgl'. Valid: wasm, cpu.",
  );
});
