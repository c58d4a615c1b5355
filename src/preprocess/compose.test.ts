import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError } from '../errors.js';
import { compose } from './compose.js';

describeEachBackend('compose', () => {
  it('applies transforms left to right and frees the intermediates', async () => {
    const image = tf.tensor3d([1, 2, 3], [1, 1, 3]);
    const addOne = (x: tf.Tensor3D | tf.Tensor4D) => tf.add(x, 1) as typeof x;
    const double = (x: tf.Tensor3D | tf.Tensor4D) => tf.mul(x, 2) as typeof x;
    const out = await expectNoLeaks(() => compose(addOne, double)(image));
    expect(Array.from(await out.data())).toEqual([4, 6, 8]); // (x + 1) · 2, not x · 2 + 1
    expect(out.shape).toEqual([1, 1, 3]);
    const identity = compose()(image);
    expect(identity).toBe(image);
    tf.dispose([image, out]);
  });

  it('rejects arguments that are not functions', () => {
    expect(() => compose(((x: tf.Tensor3D) => x) as never, 42 as never)).toThrow(InvalidArgumentError);
    expect(() => compose(42 as never)).toThrow('compose: argument 0 must be a function, but got number.');
  });
});
