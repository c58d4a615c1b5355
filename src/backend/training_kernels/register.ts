import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors.js';
import {
  sharedIdentity,
  sharedSameDtypeCast,
  withBroadcastTile,
  withLeadingAxisReduction,
} from './broadcast_kernels.js';
import { conv2DBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { conv2DBackpropInputConfig } from './conv2d_backprop_input.js';
import { withExplicitTranspose } from './mat_mul_transposed.js';
import { maxPoolGradByWindows } from './max_pool_grad.js';
import { sliceBoxCopyCpu, sliceWithoutCopy, splitVWithoutCopy } from './slice_view.js';
import { transposeByTiles } from './transpose_by_tiles.js';

/** Kernel functions this module registered, so a second call recognises them. */
const ours = new WeakSet<object>();

/**
 * Kernels {@link registerTrainingKernels} adds or replaces, per backend:
 * - wasm: `Conv2DBackpropFilter`, which it lacks (so any conv layer's backward pass throws without it);
 *   `Conv2DBackpropInput`, replacing its scalar loop (~10× slower than its Conv2D) with its XNNPACK
 *   convolution; `BatchMatMul` and `_FusedMatMul` with transposed operands (a dense layer's backward
 *   pass), which it runs 15-20× slower than the plain product; and `Sum`/`Mean` over leading axes, broadcast
 *   `Tile` and `Identity`, which a batch-norm backward pass calls hundreds of times (see broadcast_kernels.ts);
 *   `Slice` and `SplitV` (a concatenation's gradient) without their whole-input copies; `MaxPoolGrad`, whose loop revisits every window from every pixel;
 *   `Transpose`, which moves one value at a time (matrix transposes go in SIMD tiles, see transpose_by_tiles.ts).
 * - cpu: `Conv2DBackpropFilter`, whose direct loop runs at ~0.01 GFLOP/s, 3-50× slower than the same
 *   gradient composed from the cpu backend's own Conv2D; `Slice`, which copies a box that is not one
 *   contiguous run element by element (~1 µs each).
 */
export const TRAINING_KERNELS = {
  wasm: [
    'Conv2DBackpropFilter',
    'Conv2DBackpropInput',
    'BatchMatMul',
    '_FusedMatMul',
    'Sum',
    'Mean',
    'Tile',
    'Identity',
    'Slice',
    'SplitV',
    'MaxPoolGrad',
    'Cast',
    'Transpose',
  ],
  cpu: ['Conv2DBackpropFilter', 'Slice'],
} as const satisfies Record<string, readonly string[]>;

/** Backends that have training kernels to register. */
export type TrainingKernelBackend = keyof typeof TRAINING_KERNELS;

/**
 * Registers fundus-kit's training kernels for `backend` (see {@link TRAINING_KERNELS}): composed from
 * that backend's own fast kernels (conv2d, transpose, pad, slice…), so they run at its native speed
 * and never round-trip through another backend. Idempotent. {@link setupBackend} calls it for you;
 * call it yourself only if you initialise the backend with plain TF.js.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerTrainingKernels } from 'fundus-kit';
 * registerTrainingKernels('wasm');
 * await tf.setBackend('wasm'); // conv nets now train on wasm
 * ```
 * @returns the names of kernels registered by this call (empty when already done).
 * @throws {@link InvalidArgumentError} for a backend with no training kernels.
 */
export function registerTrainingKernels(backend: TrainingKernelBackend): string[] {
  if (!Object.hasOwn(TRAINING_KERNELS, backend)) {
    throw new InvalidArgumentError(
      'backend',
      `registerTrainingKernels: no training kernels for backend '${String(backend)}'. Valid: ${Object.keys(TRAINING_KERNELS).join(', ')}.`,
      backend,
    );
  }
  const done: string[] = [];
  install(conv2DBackpropFilterConfig(backend), done);
  if (backend === 'wasm') {
    install(conv2DBackpropInputConfig(backend), done);
    const wrappers: [string, (original: KernelConfig) => KernelConfig][] = [
      ['BatchMatMul', withExplicitTranspose],
      ['_FusedMatMul', withExplicitTranspose],
      ['Sum', withLeadingAxisReduction],
      ['Mean', withLeadingAxisReduction],
      ['Tile', withBroadcastTile],
      ['Identity', sharedIdentity],
      ['Slice', sliceWithoutCopy],
      ['SplitV', splitVWithoutCopy],
      ['MaxPoolGrad', maxPoolGradByWindows],
      ['Cast', sharedSameDtypeCast],
      ['Transpose', transposeByTiles],
    ];
    wrapAll(backend, wrappers, done);
  } else {
    wrapAll(backend, [['Slice', sliceBoxCopyCpu]], done);
  }
  return done;
}

/** Installs `wrap(original)` for each kernel `backend` has that is not ours already. */
function wrapAll(
  backend: TrainingKernelBackend,
  wrappers: [string, (original: KernelConfig) => KernelConfig][],
  done: string[],
): void {
  for (const [name, wrap] of wrappers) {
    const original = getKernel(name, backend);
    if (original !== undefined && !ours.has(original.kernelFunc)) install(wrap(original), done);
  }
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
