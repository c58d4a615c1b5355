import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError } from '../errors.js';
import { padToSquare } from './pad_to_square.js';

describeEachBackend('padToSquare', () => {
  it('centres the image, the odd extra row or column after it', async () => {
    const wide = tf.tensor3d([1, 2, 3, 4, 5, 6], [1, 3, 2]); // 1 × 3, 2 channels
    const square = await expectNoLeaks(() => padToSquare(wide, { value: -1 }));
    expect(square.shape).toEqual([3, 3, 2]);
    // d = 2: one row above, one below.
    expect(Array.from(await square.data())).toEqual([
      -1, -1, -1, -1, -1, -1, 1, 2, 3, 4, 5, 6, -1, -1, -1, -1, -1, -1,
    ]);
    const tall = tf.ones([2, 4, 1, 1]) as tf.Tensor4D;
    const padded = padToSquare(tall);
    expect(padded.shape).toEqual([2, 4, 4, 1]);
    // d = 3: one column left, two right.
    expect(Array.from((await padded.data()).slice(0, 4))).toEqual([0, 1, 0, 0]);
    tf.dispose([wide, square, tall, padded]);
  });

  it('returns square images unchanged (as float32) and keeps NaN', async () => {
    const x = tf.tensor3d([Number.NaN, 2, 3, 4], [2, 2, 1], 'float32');
    const out = padToSquare(x);
    expect(out.shape).toEqual([2, 2, 1]);
    const values = Array.from(await out.data());
    expect(values[0]).toBeNaN();
    expect(values.slice(1)).toEqual([2, 3, 4]);
    tf.dispose([x, out]);
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => padToSquare(flat as never)).toThrow(
      'padToSquare: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const x = tf.zeros([2, 3, 3]) as tf.Tensor3D;
    expect(() => padToSquare(x, { value: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => padToSquare(x, { value: Number.NaN })).toThrow(
      'padToSquare: value must be a finite number, but got NaN.',
    );
    tf.dispose([flat, x]);
  });
});
