import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { greenChannel } from './green_channel.js';

describeEachBackend('greenChannel', () => {
  it('keeps the green values, as 1 channel or repeated to 3', async () => {
    const rgb = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 1, 2, 3], 'int32');
    const green = await expectNoLeaks(() => greenChannel(rgb));
    expect(green.shape).toEqual([2, 1, 2, 1]);
    expect(green.dtype).toBe('float32');
    expect(Array.from(await green.data())).toEqual([2, 5, 8, 11]);
    const three = greenChannel(rgb, { channels: 3 });
    expect(Array.from(await three.data())).toEqual([2, 2, 2, 5, 5, 5, 8, 8, 8, 11, 11, 11]);
    tf.dispose([rgb, green, three]);
  });

  it('passes NaN through', async () => {
    const rgb = tf.tensor3d([0, Number.NaN, 0], [1, 1, 3]);
    const green = greenChannel(rgb);
    expect((await green.data())[0]).toBeNaN();
    tf.dispose([rgb, green]);
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => greenChannel(flat as never)).toThrow(
      'greenChannel: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const grey = tf.zeros([4, 4, 1]) as tf.Tensor3D;
    expect(() => greenChannel(grey)).toThrow(ShapeError);
    expect(() => greenChannel(grey)).toThrow(
      'greenChannel: image must have 3 channels, but got 1 (shape [4,4,1]).',
    );
    const rgb = tf.zeros([4, 4, 3]) as tf.Tensor3D;
    expect(() => greenChannel(rgb, { channels: 0 as never })).toThrow(InvalidArgumentError);
    expect(() => greenChannel(rgb, { channels: 0 as never })).toThrow(
      'greenChannel: channels must be 1 or 3, but got 0.',
    );
    tf.dispose([flat, grey, rgb]);
  });
});
