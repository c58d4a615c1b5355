import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { IMAGENET_MEAN, IMAGENET_STD, normalize } from './normalize.js';
import { IMAGENET_BGR_MEAN } from './vgg_preprocess.js';

const f = Math.fround;
const PIXELS = [0, 128, 255, 10, 20, 30, 255, 255, 0, 1, 2, 254];

/** Keras/numpy float32, step by step in Keras's order (each numpy op rounds to float32). */
function kerasTorch(v: number, c: number): number {
  return f(f(f(v / 255) - f(IMAGENET_MEAN[c]!)) / f(IMAGENET_STD[c]!));
}

describeEachBackend('normalize', (backend) => {
  // cpu and wasm do IEEE float32 arithmetic, so they must equal numpy bit for bit; GPU division may be off by an ulp.
  const exact = backend === 'cpu' || backend === 'wasm' || backend === 'tensorflow';
  const check = (got: ArrayLike<number>, expected: number[]) => {
    for (const [i, v] of Array.from(got).entries()) {
      if (exact) expect(v, `element ${i}`).toBe(expected[i]);
      else
        expect(Math.abs(v - expected[i]!), `element ${i}`).toBeLessThan(
          1e-6 * Math.max(1, Math.abs(expected[i]!)),
        );
    }
  };

  it("'imagenet' and 'torch' are keras torch mode / torchvision: (x / 255 − mean) / std", async () => {
    const image = tf.tensor3d(PIXELS, [2, 2, 3]);
    const out = await expectNoLeaks(() => normalize(image, 'imagenet'));
    const expected = PIXELS.map((v, i) => kerasTorch(v, i % 3));
    check(await out.data(), expected);
    // Hand-computed anchor for the first pixel: (0 − 0.485) / 0.229 = −2.1179…
    expect(expected[0]).toBeCloseTo(-2.117904, 5);
    const torch = normalize(image, 'torch');
    check(await torch.data(), expected);
    tf.dispose([image, out, torch]);
  });

  it("'tf' is keras tf mode: x / 127.5 − 1, any channel count", async () => {
    const image = tf.tensor4d([0, 127.5, 255, 63], [1, 2, 2, 1]);
    const out = normalize(image, 'tf');
    expect(out.shape).toEqual([1, 2, 2, 1]);
    check(await out.data(), [-1, 0, 1, f(f(63 / 127.5) - 1)]);
    tf.dispose([image, out]);
  });

  it("'caffe' is vggPreprocess: BGR minus the ImageNet BGR mean", async () => {
    const image = tf.tensor3d(PIXELS, [2, 2, 3]);
    const out = normalize(image, 'caffe');
    const expected = PIXELS.map((_, i) => {
      const pixel = i - (i % 3);
      const c = i % 3;
      return f(PIXELS[pixel + 2 - c]! - f(IMAGENET_BGR_MEAN[c]!));
    });
    check(await out.data(), expected);
    tf.dispose([image, out]);
  });

  it('{mean, std} is (x − mean) / std per channel, with one value for all channels or one each', async () => {
    const image = tf.tensor3d(PIXELS, [2, 2, 3], 'int32');
    const perChannel = normalize(image, { mean: [10, 20, 30], std: [2, 4, 8] });
    check(
      await perChannel.data(),
      PIXELS.map((v, i) => f(f(v - [10, 20, 30][i % 3]!) / [2, 4, 8][i % 3]!)),
    );
    const shared = normalize(image, { mean: 128 });
    check(
      await shared.data(),
      PIXELS.map((v) => v - 128),
    );
    tf.dispose([image, perChannel, shared]);
  });

  it('propagates NaN', async () => {
    const image = tf.tensor3d([Number.NaN, 1, 2], [1, 1, 3]);
    for (const mode of ['imagenet', 'tf', 'caffe', { mean: 1 }] as const) {
      const out = normalize(image, mode);
      expect(Array.from(await out.data()).some(Number.isNaN), String(mode)).toBe(true);
      out.dispose();
    }
    image.dispose();
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => normalize(flat as never, 'tf')).toThrow(
      'normalize: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const grey = tf.zeros([4, 4, 1]) as tf.Tensor3D;
    for (const mode of ['imagenet', 'caffe'] as const) {
      expect(() => normalize(grey, mode)).toThrow(ShapeError);
      expect(() => normalize(grey, mode)).toThrow(
        'normalize: image must have 3 channels, but got 1 (shape [4,4,1]).',
      );
    }
    const rgb = tf.zeros([4, 4, 3]) as tf.Tensor3D;
    expect(() => normalize(rgb, 'keras' as never)).toThrow(InvalidArgumentError);
    expect(() => normalize(rgb, 'keras' as never)).toThrow(
      "normalize: mode must be one of 'imagenet', 'torch', 'tf', 'caffe' or {mean, std}, but got 'keras'.",
    );
    expect(() => normalize(rgb, { mean: [1, 2] })).toThrow(
      'normalize: mean must be a number or 3 finite numbers (one per channel), but got [1,2].',
    );
    expect(() => normalize(rgb, { mean: 0, std: [1, 0, 1] })).toThrow(
      'normalize: std must be a number or 3 positive numbers (one per channel), but got [1,0,1].',
    );
    tf.dispose([flat, grey, rgb]);
  });
});
