import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { isNode } from '../../src/backend/platform.js';
import { type BackendName, setupBackend } from '../../src/index.js';
import { backendLoaders, wasmPaths } from './browser_assets.js';

/**
 * Backends every numerical suite runs on. Node: cpu and wasm (plus tensorflow when tfjs-node is
 * installed); Chromium: cpu, wasm, webgl and webgpu. FUNDUS_BACKENDS (comma-separated) narrows it.
 * A backend in this list that cannot be set up fails its suite: nothing is skipped silently.
 */
export function backendsUnderTest(): BackendName[] {
  const all: BackendName[] = isNode() ? nodeBackends() : ['cpu', 'wasm', 'webgl', 'webgpu'];
  const only = readEnv('FUNDUS_BACKENDS');
  return only ? all.filter((b) => only.split(',').includes(b)) : all;
}

function nodeBackends(): BackendName[] {
  return readEnv('FUNDUS_TFJS_NODE') === '1' ? ['cpu', 'wasm', 'tensorflow'] : ['cpu', 'wasm'];
}

function readEnv(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** Activates `backend` exactly (throws if it cannot be set up). */
export async function useBackend(backend: BackendName): Promise<void> {
  const info = await setupBackend({ prefer: backend, wasmPaths: wasmPaths(), loaders: backendLoaders() });
  expect(info.name).toBe(backend);
}

/**
 * Runs `suite` once per backend under test, inside `describe('<title> [<backend>]')`, with that backend
 * active for the suite's tests. Checks the suite left no tensors behind.
 */
export function describeEachBackend(
  title: string,
  suite: (backend: BackendName) => void,
  backends: BackendName[] = backendsUnderTest(),
): void {
  for (const backend of backends) {
    describe(`${title} [${backend}]`, () => {
      let before = 0;
      beforeAll(async () => {
        await useBackend(backend);
        before = tf.memory().numTensors;
      });
      afterAll(() => {
        expect(tf.memory().numTensors, `tensors leaked by '${title}' on ${backend}`).toBe(before);
      });
      suite(backend);
    });
  }
}

/**
 * Runs `fn` and asserts it leaves the engine's tensor count and the backend's stored buffers as they
 * were (the second catches intermediates a kernel allocates outside the engine).
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>): Promise<T> {
  const tensors = tf.memory().numTensors;
  const buffers = tf.backend().numDataIds();
  const result = await fn();
  const kept =
    result instanceof tf.Tensor
      ? 1
      : Array.isArray(result)
        ? result.filter((r) => r instanceof tf.Tensor).length
        : 0;
  expect(tf.memory().numTensors - kept, 'tensors leaked').toBe(tensors);
  expect(tf.backend().numDataIds() - kept, 'backend buffers leaked').toBe(buffers);
  return result;
}
