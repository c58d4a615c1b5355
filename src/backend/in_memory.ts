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

/** The parts of the `wasm` backend {@link inMemoryValues} uses. */
interface WasmBackendHeap {
  dataIdMap: { has(dataId: object): boolean };
  typedArrayFromHeap(info: { shape: number[]; dtype: DataType; dataId: object }): TypedArray;
}

/**
 * The values of `tensor` without a copy, on the in-memory backends: on `wasm` a view on its heap (`dataSync`
 * would copy it: 8 MB for a 1024-px RGB photo in float32), on `cpu` the tensor's own array (which `dataSync`
 * returns as it is). `null` on other backends, or when the tensor lives on another backend than the active
 * one. The wasm view is valid only until the next tensor operation (one that grows the heap detaches it): read
 * it at once, in the same synchronous step. Never write to either.
 */
export function inMemoryValues(tensor: Tensor): TypedArray | null {
  if (tensor.dtype === 'string' || tensor.dtype === 'complex64') return null;
  const name = getBackend();
  if (name === 'cpu') return tensor.dataSync();
  if (name !== 'wasm') return null;
  const backend = engine().backend as unknown as Partial<WasmBackendHeap>;
  if (backend.typedArrayFromHeap === undefined || !backend.dataIdMap?.has(tensor.dataId)) return null;
  return backend.typedArrayFromHeap({ shape: tensor.shape, dtype: tensor.dtype, dataId: tensor.dataId });
}
