import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError } from '../errors.js';
import { gamma } from './gamma.js';

describeEachBackend('gamma', () => {
  it("is torchvision's adjust_gamma on 0-255: 255 · gain · (I / 255)^gamma, clipped", async () => {
    const image = tf.tensor3d([0, 63.75, 127.5, 255, -10, 300], [1, 6, 1]);
    const half = await expectNoLeaks(() => gamma(image, { gamma: 0.5 }));
    const expected = [0, 127.5, 255 * Math.sqrt(0.5), 255, 0, 255];
    for (const [i, v] of Array.from(await half.data()).entries()) expect(v).toBeCloseTo(expected[i]!, 2);
    const gained = gamma(image, { gamma: 2, gain: 3 });
    const expectedGain = [0, 3 * 255 * 0.0625, 3 * 255 * 0.25, 255, 0, 255];
    for (const [i, v] of Array.from(await gained.data()).entries())
      expect(v).toBeCloseTo(expectedGain[i]!, 2);
    tf.dispose([image, half, gained]);
  });

  it('keeps the rank and shape of a batch, and gamma 1 is the identity on 0-255', async () => {
    const batch = tf.tensor4d([0, 10, 200, 255], [2, 1, 1, 2], 'int32');
    const same = gamma(batch, { gamma: 1 });
    expect(same.shape).toEqual([2, 1, 1, 2]);
    const got = Array.from(await same.data());
    for (const [i, v] of [0, 10, 200, 255].entries()) expect(got[i]).toBeCloseTo(v, 3);
    tf.dispose([batch, same]);
  });

  it('propagates NaN', async () => {
    const image = tf.tensor3d([Number.NaN, 100], [1, 2, 1]);
    const out = gamma(image, { gamma: 2 });
    const [nan, ok] = Array.from(await out.data());
    expect(nan).toBeNaN();
    expect(ok).toBeCloseTo(255 * (100 / 255) ** 2, 2);
    tf.dispose([image, out]);
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => gamma(flat as never, { gamma: 1 })).toThrow(
      'gamma: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const image = tf.zeros([2, 2, 3]) as tf.Tensor3D;
    expect(() => gamma(image, { gamma: -1 })).toThrow(InvalidArgumentError);
    expect(() => gamma(image, { gamma: -1 })).toThrow('gamma: gamma must be a positive number, but got -1.');
    expect(() => gamma(image, { gamma: 0 })).toThrow('gamma: gamma must be a positive number, but got 0.');
    expect(() => gamma(image, {} as never)).toThrow(
      'gamma: gamma must be a positive number, but got undefined.',
    );
    expect(() => gamma(image, { gamma: 1, gain: -2 })).toThrow(
      'gamma: gain must be a non-negative number, but got -2.',
    );
    tf.dispose([flat, image]);
  });
});
