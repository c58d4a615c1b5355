import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel_scope.js';

/**
 * Replacements for three wasm kernels that a batch-norm backward pass calls hundreds of times per step
 * (measured on a ResNet-50 step they took a third of the time):
 * - `Sum` / `Mean` over leading axes (batch statistics: axes [0, 1, 2] of NHWC) — wasm transposes the
 *   whole tensor so the axes are innermost, then sums. One average pool whose window is the whole reduced
 *   extent (x seen as [1, R₁, R₂, C]) reads x once through XNNPACK's pooling: ~15× faster at
 *   [8, 56, 56, 256] than a product with a ones row ([1, N]·[N, C]), which had to copy and pack x first,
 *   and ~500× faster than wasm's own kernel.
 * - `Tile` that only repeats size-1 axes (the per-channel broadcast in the batch-norm gradient) — wasm's
 *   generic loop is ~13× slower than its broadcasting add of zeros.
 * - `Identity` and `Cast` to the same dtype, which wasm copies; like the cpu backend, they now share the buffer
 *   (reference counted).
 * Every other case goes to the original kernel.
 */
export function withLeadingAxisReduction(original: KernelConfig): KernelConfig {
  const mean = original.kernelName === 'Mean';
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const leading = leadingAxesCount(x.shape, axis);
    if (x.dtype !== 'float32' || leading === undefined) return original.kernelFunc(args);
    const rows = x.shape.slice(0, leading).reduce((a, b) => a * b, 1);
    const cols = x.shape.slice(leading).reduce((a, b) => a * b, 1);
    const outShape = keepDims ? x.shape.map((d, i) => (i < leading ? 1 : d)) : x.shape.slice(leading);
    if (rows === 0 || cols === 0) {
      // Nothing to add up: zeros, as the cpu backend gives (wasm's own kernel returns uninitialised memory).
      return composite(args.backend as KernelBackend, original.backendName, (scope) =>
        scope.run('Fill', {}, { shape: outShape, value: 0, dtype: 'float32' }),
      );
    }
    // The window: R₁ × R₂ = the leading axes (the last one, and the ones before it flattened).
    const windowW = leading >= 2 ? x.shape[leading - 1]! : 1;
    const windowH = rows / windowW;
    return composite(args.backend as KernelBackend, original.backendName, (scope) => {
      const one = scope.run('Fill', {}, { shape: [], value: 1, dtype: 'float32' });
      // A 1 × 1 window is no reduction (and XNNPACK rejects it as a pool): the result is x itself, copied.
      if (rows === 1) return scope.reshape(scope.run('Multiply', { a: x, b: one }), outShape);
      if (mean) {
        const pooled = scope.run(
          'AvgPool',
          { x: scope.reshape(x, [1, windowH, windowW, cols]) },
          { filterSize: [windowH, windowW], strides: [windowH, windowW], pad: 'valid' },
        );
        return scope.reshape(pooled, outShape);
      }
      // A sum is the pool's mean times the count, exact only when the count is a power of two (dividing and
      // multiplying by it then round nothing), so that sums of integers (pixel counts) stay integers. Where
      // views share memory, the rows are summed as the binary digits of their count (401408 = 2¹⁸ + 2¹⁷ + 2¹³),
      // each part a view; elsewhere they are padded with zeros to the next power of two (a copy of x: 134 MB for
      // VGG's first-layer bias gradient at batch 8, enough to exhaust the heap in a VGG-19 step).
      const flat = scope.reshape(x, [rows, cols]);
      if (!scope.viewsShareMemory) {
        const padded = 2 ** Math.ceil(Math.log2(rows));
        const grid =
          padded === rows
            ? flat
            : scope.padOrCrop(flat, [
                [0, padded - rows],
                [0, 0],
              ]);
        return scope.reshape(sumOfPowerOfTwoRows(scope, grid, padded, cols), outShape);
      }
      let sum: TensorInfo | null = null;
      for (let start = 0, left = rows; left > 0; ) {
        const part = 2 ** Math.floor(Math.log2(left));
        const block = part === rows ? flat : scope.view(flat, start * cols, [part, cols]);
        const partial =
          part === 1 ? scope.reshape(block, [1, 1, 1, cols]) : sumOfPowerOfTwoRows(scope, block, part, cols);
        sum = sum === null ? partial : scope.run('Add', { a: sum, b: partial });
        start += part;
        left -= part;
      }
      return scope.reshape(sum!, outShape);
    });
  };
  return { ...original, kernelFunc };
}

export function withBroadcastTile(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const reps = (args.attrs as { reps: number[] }).reps;
    const broadcastOnly = reps.every((r, i) => r === 1 || x.shape[i] === 1);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !broadcastOnly) return original.kernelFunc(args);
    return composite(args.backend as KernelBackend, original.backendName, (scope) => {
      const zeros = scope.run('Fill', {}, { shape: reps, value: 0, dtype: x.dtype });
      return scope.run('Add', { a: x, b: zeros });
    });
  };
  return { ...original, kernelFunc };
}

/**
 * `Cast` to the dtype x already has shares x's buffer, as the cpu backend does: wasm copied it, and every ReLU's
 * gradient casts its float32 mask to float32 (~90 ms of a ResNet-50 step at batch 8). Other casts are wasm's.
 */
export function sharedSameDtypeCast(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if ((args.attrs as { dtype?: string }).dtype !== x.dtype) return original.kernelFunc(args);
    (args.backend as KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...original, kernelFunc };
}

export function sharedIdentity(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    (backend as KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...original, kernelFunc };
}

/** The column sums of `rows` (a power of two) × `cols` values, as one average pool times the count. */
function sumOfPowerOfTwoRows(scope: KernelScope, x: TensorInfo, rows: number, cols: number): TensorInfo {
  const h = 2 ** Math.ceil(Math.log2(rows) / 2);
  const w = rows / h;
  const pooled = scope.run(
    'AvgPool',
    { x: scope.reshape(x, [1, h, w, cols]) },
    { filterSize: [h, w], strides: [h, w], pad: 'valid' },
  );
  const count = scope.run('Fill', {}, { shape: [], value: rows, dtype: 'float32' });
  return scope.run('Multiply', { a: pooled, b: count });
}

/** Number k when `axis` is exactly the first k axes (0 < k < rank), else undefined. */
function leadingAxesCount(shape: number[], axis: number | number[]): number | undefined {
  const axes = [
    ...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a))),
  ].sort((a, b) => a - b);
  const k = axes.length;
  return k > 0 && k < shape.length && axes.every((a, i) => a === i) ? k : undefined;
}

function composite(
  backend: KernelBackend,
  backendName: string,
  body: (scope: KernelScope) => TensorInfo,
): TensorInfo {
  const scope = new KernelScope(backend, backendName);
  let result: TensorInfo | undefined;
  try {
    result = body(scope);
    return result;
  } finally {
    scope.dispose(result);
  }
}
