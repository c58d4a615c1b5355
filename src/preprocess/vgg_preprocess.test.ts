import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { ShapeError } from '../errors.js';
import { IMAGENET_BGR_MEAN, vggPreprocess } from './vgg_preprocess.js';

describeEachBackend('vggPreprocess', () => {
  it("matches Keras's caffe-mode formula: BGR order minus the ImageNet mean, exactly", async () => {
    // Two pixels, hand-computed: (r, g, b) → (b − 103.939, g − 116.779, r − 123.68).
    const rgb = tf.tensor3d(
      [
        [
          [255, 128, 0],
          [10, 20, 30],
        ],
      ],
      [1, 2, 3],
    );
    const out = await expectNoLeaks(() => vggPreprocess(rgb));
    expect(out.shape).toEqual([1, 2, 3]);
    const expected = [0 - 103.939, 128 - 116.779, 255 - 123.68, 30 - 103.939, 20 - 116.779, 10 - 123.68];
    const got = Array.from(await out.data());
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i]!, 4);
    tf.dispose([rgb, out]);
  });

  it('keeps a batch a batch and casts int32 input', async () => {
    const rgb = tf.fill([2, 3, 4, 3], 100, 'int32') as tf.Tensor4D;
    const out = vggPreprocess(rgb);
    expect(out.shape).toEqual([2, 3, 4, 3]);
    expect(out.dtype).toBe('float32');
    const first = Array.from((await out.data()).slice(0, 3));
    for (const [i, v] of first.entries()) expect(v).toBeCloseTo(100 - IMAGENET_BGR_MEAN[i]!, 4);
    tf.dispose([rgb, out]);
  });

  it('names the function and the shape when the input is wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => vggPreprocess(flat as never)).toThrow(ShapeError);
    expect(() => vggPreprocess(flat as never)).toThrow(
      'vggPreprocess: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const grey = tf.zeros([4, 4, 1]) as tf.Tensor3D;
    expect(() => vggPreprocess(grey)).toThrow(
      'vggPreprocess: image must have 3 channels, but got 1 (shape [4,4,1]).',
    );
    tf.dispose([flat, grey]);
  });
});
