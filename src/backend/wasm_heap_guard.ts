import type { KernelBackend } from '@tensorflow/tfjs-core';
import { BackendMemoryError } from '../errors.js';

/** What the guard uses of tfjs-backend-wasm's emscripten module. */
interface EmscriptenHeap {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
}

const guarded = new WeakSet<object>();

/** Largest allocation a 32-bit heap can hold; a larger size would wrap around when passed to wasm. */
const WASM32_BYTES = 2 ** 32;

/**
 * Makes the wasm backend's allocator throw {@link BackendMemoryError} instead of returning address 0. TF.js does
 * not check `_malloc`'s result: a tensor that does not fit in the 4 GiB heap is written over address 0 and the
 * heap is corrupted (the program fails much later, far from the cause, with "memory access out of bounds").
 * A size of 4 GiB or more would wrap around to a small allocation, so it is refused before the call.
 * Idempotent; a no-op for backends without an emscripten heap.
 */
export function guardWasmHeap(backend: KernelBackend): void {
  const wasm = (backend as unknown as { wasm?: Partial<EmscriptenHeap> }).wasm;
  if (
    wasm === undefined ||
    typeof wasm._malloc !== 'function' ||
    typeof wasm._free !== 'function' ||
    guarded.has(wasm)
  ) {
    return;
  }
  const heap = wasm as EmscriptenHeap;
  // emscripten's `_malloc` starts as a stub that replaces itself with the raw export on its first call:
  // call it once so the wrapper below is not overwritten.
  heap._free(heap._malloc(1));
  const malloc = heap._malloc;
  heap._malloc = (bytes: number) => {
    const pointer = bytes < WASM32_BYTES ? malloc(bytes) : 0;
    if (pointer === 0 && bytes > 0) throw new BackendMemoryError('wasm', bytes, heap.HEAPU8.length);
    return pointer;
  };
  guarded.add(wasm);
}
