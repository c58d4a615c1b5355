import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError } from '../errors.js';
import { attentionEnhance } from './attention_enhance.js';

describeEachBackend('attentionEnhance', () => {
  it('multiplies by 1 + s·map and clips to the range', async () => {
    const image = tf.tensor3d([100, 200, 100, 200], [2, 2, 1]);
    const map = tf.tensor2d([0, 0, 0.5, 0.5], [2, 2]);
    const out = await expectNoLeaks(() => attentionEnhance(image, map));
    expect(Array.from(await out.data())).toEqual([100, 200, 150, 255]);
    const unclipped = attentionEnhance(image, map, { strength: 2, range: null });
    expect(Array.from(await unclipped.data())).toEqual([100, 200, 200, 400]);
    tf.dispose([image, map, out, unclipped]);
  });

  it('blends (1 − s)·image + s·image·map, resizing the heatmap to a batch', async () => {
    const image = tf.fill([2, 4, 4, 3], 80) as tf.Tensor4D;
    const map = tf.tensor3d([1, 0], [2, 1, 1]);
    const out = attentionEnhance(image, map, { mode: 'blend', strength: 0.5 });
    const v = Array.from(await out.data());
    expect(v.slice(0, 48).every((x) => Math.abs(x - 80) < 1e-4)).toBe(true);
    expect(v.slice(48).every((x) => Math.abs(x - 40) < 1e-4)).toBe(true);
    tf.dispose([image, map, out]);
  });

  it('rejects bad arguments naming them', () => {
    const image = tf.zeros([2, 2, 3]) as tf.Tensor3D;
    const map = tf.zeros([2, 2]);
    const argument = (args: object) => {
      try {
        attentionEnhance(image, map, args);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        return (e as InvalidArgumentError).argument;
      }
      return 'none';
    };
    expect(argument({ mode: 'add' })).toBe('mode');
    expect(argument({ strength: -1 })).toBe('strength');
    expect(argument({ mode: 'blend', strength: 1.5 })).toBe('strength');
    expect(argument({ range: [1, 0] })).toBe('range');
    tf.dispose([image, map]);
  });
});
