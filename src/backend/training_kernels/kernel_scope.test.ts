import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { backendsUnderTest, describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { BackendError } from '../../errors.js';
import { KernelScope } from './kernel_scope.js';

/**
 * KernelScope frees intermediates early on request (the composite kernels' large transients), and only its own.
 * On the backends the composite kernels run on (cpu, wasm), where a reshape shares its input's buffer (on
 * webgl a reshape of a packed texture may make a new one, so the buffer counts below would differ).
 */
const COMPOSITE_BACKENDS = backendsUnderTest().filter((b) => b === 'cpu' || b === 'wasm');

describeEachBackend(
  'KernelScope',
  (backend) => {
    it('free releases a buffer at once, shared buffers stay valid, inputs are never freed', async () => {
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const xInfo = { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      const result = await expectNoLeaks(() => {
        const scope = new KernelScope(tf.backend(), backend);
        const buffers = tf.backend().numDataIds();
        const doubled = scope.run('Multiply', {
          a: xInfo,
          b: scope.run('Fill', {}, { shape: [], value: 2, dtype: 'float32' }),
        });
        const flat = scope.reshape(doubled, [6]); // shares doubled's buffer
        expect(tf.backend().numDataIds()).toBe(buffers + 2);
        scope.free(doubled, xInfo); // x was not made by the scope: left alone
        expect(tf.backend().numDataIds()).toBe(buffers + 2); // flat still holds the shared buffer
        const summed = scope.run('Sum', { x: flat }, { axis: [0], keepDims: false });
        scope.free(flat, flat); // freed once
        expect(tf.backend().numDataIds()).toBe(buffers + 2); // the Fill and the sum
        scope.dispose(summed);
        return tf.engine().makeTensorFromTensorInfo(summed);
      });
      expect(await result.data()).toEqual(new Float32Array([42]));
      expect(await x.data()).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
      tf.dispose([x, result]);
    });

    it('view: the elements from an offset as a new shape; released without freeing its base', async () => {
      const x = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const xInfo = { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      const copy = await expectNoLeaks(() => {
        const scope = new KernelScope(tf.backend(), backend);
        expect(scope.viewsShareMemory).toBe(backend === 'wasm');
        const buffers = tf.backend().numDataIds();
        const window = scope.view(xInfo, 3, [2, 3]);
        const flat = scope.reshape(window, [6]); // shares the view's registration
        const doubled = scope.run('Multiply', {
          a: flat,
          b: scope.run('Fill', {}, { shape: [], value: 2, dtype: 'float32' }),
        });
        scope.free(window, flat);
        // wasm: the view's registration is gone, x's buffer untouched; elsewhere the copy and its slices are freed.
        expect(tf.backend().numDataIds()).toBe(buffers + 2); // the Fill and the product
        scope.dispose(doubled);
        return tf.engine().makeTensorFromTensorInfo(doubled);
      });
      expect(copy.shape).toEqual([6]);
      expect(await copy.data()).toEqual(new Float32Array([6, 8, 10, 12, 14, 16]));
      expect(await x.data()).toEqual(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
      tf.dispose([x, copy]);
    });

    it('view: a window outside the base, or a view as the result, throws BackendError', () => {
      const x = tf.tensor1d([0, 1, 2, 3]);
      const xInfo = { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      const scope = new KernelScope(tf.backend(), backend);
      expect(() => scope.view(xInfo, 2, [3])).toThrow(/elements \[2, 5\) are outside a tensor of 4/);
      expect(() => scope.view(xInfo, -1, [1])).toThrow(BackendError);
      expect(() => scope.view(xInfo, 0.5, [1])).toThrow(BackendError);
      const window = scope.view(xInfo, 1, [2]);
      if (scope.viewsShareMemory) {
        expect(() => scope.dispose(window)).toThrow(/a view cannot be the result/);
      }
      scope.dispose(undefined);
      tf.dispose(x);
    });
  },
  COMPOSITE_BACKENDS,
);
