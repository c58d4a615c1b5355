import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel_scope.js';

/**
 * Wraps wasm's `BatchMatMul` / `_FusedMatMul` so transposed operands are transposed explicitly first.
 * The wasm kernels handle `transposeA`/`transposeB` with a strided scalar loop about 15-20× slower than
 * their plain path, and every dense layer's backward pass asks for exactly those flags.
 */
export function withExplicitTranspose(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const scope = new KernelScope(args.backend as KernelBackend, original.backendName);
    let result: TensorInfo | undefined;
    try {
      const inputs = { ...args.inputs };
      if (transposeA) inputs.a = swapLastTwo(scope, inputs.a!);
      if (transposeB) inputs.b = swapLastTwo(scope, inputs.b!);
      result = original.kernelFunc({
        ...args,
        inputs,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
      return result;
    } finally {
      scope.dispose(result);
    }
  };
  return { ...original, kernelFunc };
}

function swapLastTwo(scope: KernelScope, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return scope.transpose(t, perm);
}
