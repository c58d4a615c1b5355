import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { backendsUnderTest, describeEachBackend } from '../../test/support/backends.js';
import { BackendError, BackendMemoryError } from '../errors.js';
import { guardWasmHeap } from './wasm_heap_guard.js';

/**
 * A tensor the 4 GiB wasm heap cannot hold is a typed error, not a tensor at address 0. The sizes are chosen so
 * nothing is allocated: 2³² − 1024 bytes cannot fit beside the heap's own static data, and 2³² bytes would wrap
 * around to a zero-byte request if passed to wasm.
 */
describeEachBackend(
  'wasm heap guard',
  () => {
    it.each([
      ['fails to allocate', 2 ** 30 - 256],
      ['would wrap around 2³²', 2 ** 30],
    ])('a tensor that %s throws BackendMemoryError and leaves the backend usable', async (_, values) => {
      const tensors = tf.memory().numTensors;
      const buffers = tf.backend().numDataIds();
      let error: unknown;
      try {
        // fill allocates on the heap only; zeros would first build the whole array in JS, which Chromium may
        // refuse with a RangeError before the heap is asked (it did in one CI run).
        tf.fill([values], 0);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BackendMemoryError);
      expect(error).toBeInstanceOf(BackendError);
      const e = error as BackendMemoryError;
      expect(e.requestedBytes).toBe(values * 4);
      expect(e.backend).toBe('wasm');
      expect(e.message).toMatch(
        new RegExp(
          `^wasm backend: out of memory: could not allocate ${((values * 4) / 2 ** 20).toFixed(1)} MiB`,
        ),
      );
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.backend().numDataIds()).toBe(buffers);
      const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), 0.5));
      expect(Array.from(await sum.data())).toEqual([1.5, 2.5, 3.5]);
      tf.dispose(sum);
    });

    it('wraps the allocator once', () => {
      const wasm = (tf.backend() as unknown as { wasm: { _malloc: unknown } }).wasm;
      const malloc = wasm._malloc;
      guardWasmHeap(tf.backend());
      expect(wasm._malloc).toBe(malloc);
    });
  },
  backendsUnderTest().filter((b) => b === 'wasm'),
);
