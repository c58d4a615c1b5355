import { type DataType, engine, getBackend, type Tensor, type TypedArray } from '@tensorflow/tfjs-core';

/** Backends whose tensors live in main memory: a data read is a copy, not a device transfer or a sync. */
const IN_MEMORY: readonly string[] = ['cpu', 'wasm'];

/**
 * Whether the active backend keeps tensors in main memory (`cpu`, `wasm`). There, small sequential work
 * (a few hundred values through dozens of steps) runs faster in JS on the read values than as tensor ops,
 * each of which costs ~10-20 µs of dispatch.
 */
export function backendInMemory(): boolean {
  return IN_MEMORY.includes(getBackend());
}

/** The parts of the `wasm` backend {@link wasmHeapValues} uses. */
interface WasmBackendHeap {
  dataIdMap: { has(dataId: object): boolean };
  typedArrayFromHeap(info: { shape: number[]; dtype: DataType; dataId: object }): TypedArray;
}

/**
 * The values of `tensor` as a view on the `wasm` backend's heap, without the copy `dataSync` makes (8 MB for
 * a 1024-px RGB photo in float32); `null` when `wasm` is not the active backend or the tensor lives elsewhere.
 * The view is valid only until the next tensor operation (one that grows the heap detaches it): read it at
 * once, in the same synchronous step, and never write to it. (The `cpu` backend's reads make no copy anyway.)
 */
export function wasmHeapValues(tensor: Tensor): TypedArray | null {
  if (getBackend() !== 'wasm' || tensor.dtype === 'string' || tensor.dtype === 'complex64') return null;
  const backend = engine().backend as unknown as Partial<WasmBackendHeap>;
  if (backend.typedArrayFromHeap === undefined || !backend.dataIdMap?.has(tensor.dataId)) return null;
  return backend.typedArrayFromHeap({ shape: tensor.shape, dtype: tensor.dtype, dataId: tensor.dataId });
}
