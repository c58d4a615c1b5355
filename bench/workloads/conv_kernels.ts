import * as tf from '@tensorflow/tfjs-core';
import type { BenchContext, CaseSpec } from '../context.js';
import { convGflop } from '../flops.js';
import { type NativeKernels, runNativeKernel } from '../native_kernels.js';

const BATCH = 8;

interface ConvShape {
  /** Stable key for the result file. */
  id: string;
  name: string;
  /** Input height = width, as the kernel sees it (the stem's 224 is zero-padded to 230 first). */
  size: number;
  k: number;
  stride: number;
  ci: number;
  co: number;
  pad: 'same' | 'valid';
  stem: boolean;
}

/**
 * ResNet-50 convolutions (keras.applications layout: stride on the first 1×1 of a stage, 'same'
 * padding; the stem zero-pads 224 to 230 and runs 'valid'). Columns: id, name, input size, k, stride, ci, co.
 */
const SHAPES: ConvShape[] = (
  [
    ['conv1.7x7s2', 'conv1 7x7/2 3->64 @224', 230, 7, 2, 3, 64],
    ['conv2.3x3', 'conv2_x 3x3 64->64 @56', 56, 3, 1, 64, 64],
    ['conv2.1x1', 'conv2_x 1x1 64->256 @56', 56, 1, 1, 64, 256],
    ['conv3.1x1s2', 'conv3_x 1x1/2 256->128 @56', 56, 1, 2, 256, 128],
    ['conv4.3x3', 'conv4_x 3x3 256->256 @14', 14, 3, 1, 256, 256],
    ['conv5.1x1', 'conv5_x 1x1 512->2048 @7', 7, 1, 1, 512, 2048],
  ] as const
).map(([id, name, size, k, stride, ci, co]) => {
  const stem = id.startsWith('conv1.');
  return { id, name, size, k, stride, ci, co, pad: stem ? 'valid' : 'same', stem };
});

/**
 * Native kernels too slow to time at every shape by default: cpu's own Conv2DBackpropFilter is a
 * scalar loop over TensorBuffer.get at ~0.012 GFLOP/s (0.4-1.9 GFLOP here: 35 s to 2.6 min a run).
 */
const SLOW_NATIVE: Record<string, { kernel: string; gflops: number; defaultShape: string }> = {
  cpu: { kernel: 'Conv2DBackpropFilter', gflops: 0.012, defaultShape: 'conv3.1x1s2' },
};

const STEM_DX_NOTE =
  'not needed for the stem: training skips it (registerInputConvTraining runs the stem unfused)';

function outSize(s: ConvShape): number {
  return s.pad === 'same' ? Math.ceil(s.size / s.stride) : Math.ceil((s.size - s.k + 1) / s.stride);
}

/**
 * Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter at ResNet-50 shapes, batch 8, run as kernels
 * (`engine().runKernel`: whatever is registered, fundus-kit's kernels included). Where fundus-kit
 * replaces a kernel, the backend's own is timed beside it (`(native)` rows).
 */
export async function benchConvKernels(ctx: BenchContext, natives: NativeKernels): Promise<void> {
  for (const s of SHAPES) {
    const kinds = ['fwd', 'dX', 'dX(native)', 'dW', 'dW(native)'].map((k) => `conv2d.${k} ${s.name}`);
    if (kinds.some((w) => ctx.selected(w))) await benchShape(ctx, natives, s);
  }
}

async function benchShape(ctx: BenchContext, natives: NativeKernels, s: ConvShape): Promise<void> {
  const o = outSize(s);
  const gflop = convGflop(BATCH, o, o, s.k, s.ci, s.co);
  const x = tf.randomNormal([BATCH, s.size, s.size, s.ci]) as tf.Tensor4D;
  const filter = tf.randomNormal([s.k, s.k, s.ci, s.co], 0, 0.05) as tf.Tensor4D;
  const dy = tf.randomNormal([BATCH, o, o, s.co]) as tf.Tensor4D;
  const conv = { strides: s.stride, pad: s.pad, dataFormat: 'NHWC' as const };
  const runs = ctx.backend === 'cpu' ? 2 : 7; // cpu: 0.5-3 s a run
  const base = { gflop, runs, warmups: 1 };
  try {
    await ctx.time({ ...base, id: `fwd.${s.id}`, workload: `conv2d.fwd ${s.name}` }, () =>
      tf.engine().runKernel('Conv2D', { x, filter }, { ...conv, dilations: 1 }),
    );
    const kernels: { kind: string; kernel: string; inputs: tf.NamedTensorMap; attrs: tf.NamedAttrMap }[] = [
      {
        kind: 'dX',
        kernel: 'Conv2DBackpropInput',
        inputs: { dy, filter },
        attrs: { ...conv, inputShape: x.shape },
      },
      {
        kind: 'dW',
        kernel: 'Conv2DBackpropFilter',
        inputs: { x, dy },
        attrs: { ...conv, filterShape: filter.shape },
      },
    ];
    for (const { kind, kernel, inputs, attrs } of kernels) {
      const id = `${kind.toLowerCase()}.${s.id}`;
      const native = natives.get(ctx.backend, kernel);
      const spec: CaseSpec = { ...base, id, workload: `conv2d.${kind} ${s.name}` };
      if (s.stem && kind === 'dX') spec.note = STEM_DX_NOTE;
      if (native !== undefined)
        spec.ratio = { to: `${id}.native`, label: `vs ${ctx.backend} native`, speedup: true };
      await ctx.time(spec, () => tf.engine().runKernel(kernel, inputs, attrs));
      if (native === undefined) continue;

      const nativeSpec: CaseSpec = {
        ...base,
        runs: 5,
        id: `${id}.native`,
        workload: `conv2d.${kind}(native) ${s.name}`,
      };
      const slow = SLOW_NATIVE[ctx.backend];
      if (slow?.kernel !== kernel) {
        await ctx.time(nativeSpec, () => runNativeKernel(native, inputs, attrs));
      } else if (s.id === slow.defaultShape || ctx.options.fullCpu) {
        const note = `1 run, no warm-up (a JS loop: the JIT warms up within milliseconds of a ${(gflop / slow.gflops).toFixed(0)} s run)`;
        await ctx.time({ ...nativeSpec, runs: 1, warmups: 0, heavy: true, note }, () =>
          runNativeKernel(native, inputs, attrs),
        );
      } else {
        const minutes = gflop / slow.gflops / 60;
        ctx.skip(
          nativeSpec,
          `skipped (~${minutes.toFixed(1)} min at ~${slow.gflops} GFLOP/s; --full-cpu runs it)`,
        );
      }
    }
  } finally {
    tf.dispose([x, filter, dy]);
  }
}
