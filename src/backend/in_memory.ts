import { getBackend } from '@tensorflow/tfjs-core';

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
