import type { DataId, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';
import { copyValuesModule } from './wasm/heap_module.js';

/** What this kernel uses of tfjs-backend-wasm's BackendWasm (not exported as a type by the package). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  wasm: unknown;
}

/**
 * wasm's Transpose of 4-byte values in 4 × 4 tiles (copy_values.wat) wherever the permutation is a batch of
 * matrix transposes once axes that move together are merged: `[1, 0]`, `[0, 2, 1]`, and such as NHWC → CNHW
 * (`[3, 0, 1, 2]` is `[1, 0]` of [N·H·W, C]). tfjs-backend-wasm 4.22 moves one value per iteration through index
 * arithmetic: 0.85 ns a value for the [64, 4096] blocks of a dense layer's weights that training transposes
 * (46 ms of an AlexNet step at batch 8), 2.6 ns for NHWC → CNHW. Other permutations, other dtypes and engines
 * without SIMD go to the original kernel.
 */
export function transposeByTiles(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args) => {
    const x = args.inputs.x as TensorInfo;
    const { perm } = args.attrs as unknown as { perm: number[] };
    const backend = args.backend as unknown as WasmHeapBackend;
    const fourBytes = x.dtype === 'float32' || x.dtype === 'int32';
    const matrices = fourBytes && !x.shape.includes(0) ? asMatrixTransposes(x.shape, perm) : undefined;
    const simd = matrices === undefined ? undefined : copyValuesModule(backend.wasm);
    if (matrices === undefined || simd === undefined) return (original.kernelFunc as KernelFunc)(args);
    const out = backend.makeOutput(
      perm.map((p) => x.shape[p]!),
      x.dtype,
    );
    const xAt = backend.dataIdMap.get(x.dataId)?.memoryOffset;
    const outAt = backend.dataIdMap.get(out.dataId)?.memoryOffset;
    if (xAt === undefined || outAt === undefined) {
      throw new BackendError('wasm', 'Transpose: a tensor has no memory on the wasm heap.', []);
    }
    simd.transpose(xAt, outAt, matrices.batch, matrices.rows, matrices.cols);
    return out;
  }) as KernelFunc;
  return { ...original, kernelFunc };
}

/**
 * `perm` of `shape` as `batch` transposes of rows × cols matrices, or undefined when it is not one. Axes of size
 * 1 are dropped and input axes that stay neighbours in the output are merged; what is left must be [1, 0] or
 * [0, 2, 1]. (An identity is left to the original kernel: it is a copy.)
 */
export function asMatrixTransposes(
  shape: readonly number[],
  perm: readonly number[],
): { batch: number; rows: number; cols: number } | undefined {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  // Runs of output axes that are consecutive input axes: one merged axis each.
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] === axis - nextKeptGap(shape, axis)) last.push(axis);
    else groups.push([axis]);
  }
  const sizeOf = (g: number[]) => g.reduce((p, axis) => p * shape[axis]!, 1);
  // Merged perm: each group's rank among groups ordered by first input axis.
  const order = [...groups].sort((a, b) => a[0]! - b[0]!);
  const merged = groups.map((g) => order.indexOf(g));
  const inputSizes = order.map(sizeOf);
  if (merged.length === 2 && merged[0] === 1) {
    return { batch: 1, rows: inputSizes[0]!, cols: inputSizes[1]! };
  }
  if (merged.length === 3 && merged[0] === 0 && merged[1] === 2) {
    return { batch: inputSizes[0]!, rows: inputSizes[1]!, cols: inputSizes[2]! };
  }
  return undefined;
}

/** 1 + the number of size-1 axes just before `axis` (so axes separated only by dropped ones count as neighbours). */
function nextKeptGap(shape: readonly number[], axis: number): number {
  let gap = 1;
  while (axis - gap >= 0 && shape[axis - gap] === 1) gap++;
  return gap;
}
