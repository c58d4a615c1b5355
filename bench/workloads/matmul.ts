import * as tf from '@tensorflow/tfjs-core';
import type { BenchContext } from '../context.js';
import { matmulGflop } from '../flops.js';
import { type NativeKernels, runNativeKernel } from '../native_kernels.js';

const N = 1024;
const VARIANTS = [
  { id: 'plain', label: '', transposeA: false, transposeB: false },
  { id: 'tA', label: ' transposeA', transposeA: true, transposeB: false },
  { id: 'tB', label: ' transposeB', transposeA: false, transposeB: true },
] as const;

/**
 * 1024³ matrix product, plain and with each operand transposed (a dense layer's backward pass). Where
 * fundus-kit replaces the transposed path (wasm), the backend's own kernel is timed beside it.
 */
export async function benchMatmul(ctx: BenchContext, natives: NativeKernels): Promise<void> {
  const names = VARIANTS.flatMap((v) => [`matmul 1024^3${v.label}`, `matmul(native) 1024^3${v.label}`]);
  if (!names.some((n) => ctx.selected(n))) return;
  const cpu = ctx.backend === 'cpu';
  const a = tf.randomNormal([N, N]) as tf.Tensor2D;
  const b = tf.randomNormal([N, N]) as tf.Tensor2D;
  const gflop = matmulGflop(N, N, N);
  try {
    for (const v of VARIANTS) {
      const transposed = v.transposeA || v.transposeB;
      const native = transposed ? natives.get(ctx.backend, 'BatchMatMul') : undefined;
      await ctx.time(
        {
          id: `matmul.${v.id}`,
          workload: `matmul 1024^3${v.label}`,
          gflop,
          runs: cpu ? 2 : 7, // cpu: 3-6 s a run
          warmups: 1,
          ...(native === undefined
            ? {}
            : { ratio: { to: `matmul-native.${v.id}`, label: `vs ${ctx.backend} native`, speedup: true } }),
          ...(transposed ? {} : { torch: 'matmul 1024^3' }),
        },
        () => tf.matMul(a, b, v.transposeA, v.transposeB),
      );
      if (native === undefined) continue;
      // BatchMatMul takes rank-3 operands; tf.matMul reshapes to [1, N, N] the same way.
      const a3 = tf.reshape(a, [1, N, N]);
      const b3 = tf.reshape(b, [1, N, N]);
      try {
        await ctx.time(
          {
            id: `matmul-native.${v.id}`,
            workload: `matmul(native) 1024^3${v.label}`,
            gflop,
            runs: 5,
            warmups: 1,
          },
          () =>
            runNativeKernel(native, { a: a3, b: b3 }, { transposeA: v.transposeA, transposeB: v.transposeB }),
        );
      } finally {
        tf.dispose([a3, b3]);
      }
    }
  } finally {
    tf.dispose([a, b]);
  }
}
