import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { backendsUnderTest, describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
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
  },
  COMPOSITE_BACKENDS,
);
