import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import params from '../../test/fixtures/opencv/params.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { absDiff, fixturePhotos, loadPng } from '../../test/support/load_png.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { greyscale } from './greyscale.js';

describeEachBackend('greyscale', (backend) => {
  const photos = fixturePhotos(params.images, backend);

  it('computes BT.601 luma 0.299 R + 0.587 G + 0.114 B', async () => {
    const rgb = tf.tensor3d([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30], [2, 2, 3]);
    const grey = await expectNoLeaks(() => greyscale(rgb));
    expect(grey.shape).toEqual([2, 2, 1]);
    const expected = [76.245, 149.685, 29.07, 0.299 * 10 + 0.587 * 20 + 0.114 * 30];
    for (const [i, v] of Array.from(await grey.data()).entries()) expect(v).toBeCloseTo(expected[i]!, 3);
    tf.dispose([rgb, grey]);
  });

  it("agrees with OpenCV's COLOR_RGB2GRAY to within its rounding on real photos", async () => {
    for (const { name } of photos) {
      const [rgb, expected] = await Promise.all([
        loadPng(`opencv/${name}_input.png`, 3),
        loadPng(`opencv/${name}_grey.png`, 1),
      ]);
      const grey = greyscale(rgb);
      const { mean, max } = await absDiff(grey, expected);
      // OpenCV rounds to 8 bits (fixed-point weights); ours is not rounded: at most half a grey level apart.
      expect(mean, name).toBeLessThan(0.3);
      expect(max, name).toBeLessThanOrEqual(0.51);
      tf.dispose([rgb, expected, grey]);
    }
  });

  it('repeats the grey value for channels: 3, passes grey input through, and keeps a batch a batch', async () => {
    const rgb = tf.fill([2, 3, 4, 3], 100, 'int32') as tf.Tensor4D;
    const three = greyscale(rgb, { channels: 3 });
    expect(three.shape).toEqual([2, 3, 4, 3]);
    expect(three.dtype).toBe('float32');
    expect(Array.from(await three.data()).every((v) => Math.abs(v - 100) < 1e-4)).toBe(true);
    const grey = tf.tensor3d([1, 2, 3, 4], [2, 2, 1]);
    const same = greyscale(grey);
    expect(Array.from(await same.data())).toEqual([1, 2, 3, 4]);
    tf.dispose([rgb, three, grey, same]);
  });

  it('propagates NaN: a pixel with NaN in any channel comes out NaN', async () => {
    const rgb = tf.tensor3d([Number.NaN, 0, 0, 1, 2, 3], [1, 2, 3]);
    const grey = greyscale(rgb);
    const [nan, ok] = Array.from(await grey.data());
    expect(nan).toBeNaN();
    expect(ok).toBeCloseTo(0.299 + 1.174 + 0.342, 4);
    tf.dispose([rgb, grey]);
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => greyscale(flat as never)).toThrow(ShapeError);
    expect(() => greyscale(flat as never)).toThrow(
      'greyscale: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const rgba = tf.zeros([4, 4, 4]) as tf.Tensor3D;
    expect(() => greyscale(rgba)).toThrow(
      'greyscale: image must have 1 or 3 channels, but got 4 (shape [4,4,4]).',
    );
    const rgb = tf.zeros([4, 4, 3]) as tf.Tensor3D;
    expect(() => greyscale(rgb, { channels: 2 as never })).toThrow(InvalidArgumentError);
    expect(() => greyscale(rgb, { channels: 2 as never })).toThrow(
      'greyscale: channels must be 1 or 3, but got 2.',
    );
    tf.dispose([flat, rgba, rgb]);
  });
});
