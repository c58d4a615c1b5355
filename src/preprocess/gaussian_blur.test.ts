import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import params from '../../test/fixtures/opencv/params.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { absDiff, fixturePhotos, loadPng } from '../../test/support/load_png.js';
import { InvalidArgumentError } from '../errors.js';
import { gaussianBlur, gaussianKernel, gaussianKernelSize } from './gaussian_blur.js';

const close = (got: ArrayLike<number>, expected: number[], digits = 5) => {
  expect(got.length).toBe(expected.length);
  for (const [i, v] of Array.from(got).entries()) expect(v, `element ${i}`).toBeCloseTo(expected[i]!, digits);
};

it("uses OpenCV's kernel and kernel size", () => {
  // cv2.getGaussianKernel(7, 1.0)
  close(
    gaussianKernel(1, 7),
    [0.004433048, 0.054005583, 0.242036229, 0.39905028, 0.242036229, 0.054005583, 0.004433048],
    7,
  );
  // cvRound(σ·6 + 1) | 1, the 8-bit rule: σ = 512/30 → 103, σ = 2 → 13, σ = 0.5 → 5 (4 | 1).
  expect([gaussianKernelSize(512 / 30), gaussianKernelSize(2), gaussianKernelSize(0.5)]).toEqual([
    103, 13, 5,
  ]);
});

describeEachBackend('gaussianBlur', (backend) => {
  const photos = fixturePhotos(params.images, backend);

  it('mirrors the border without repeating the edge (BORDER_REFLECT_101), also past the image', async () => {
    // cv2.GaussianBlur(np.float32([[1, 0, 0, 0, 0, 0]]), (5, 1), 1.0): [0.40262, 0.24420, 0.05449, 0, 0, 0]
    const impulse = tf.tensor3d([1, 0, 0, 0, 0, 0], [1, 6, 1]);
    const out = await expectNoLeaks(() => gaussianBlur(impulse, { sigma: 1, ksize: 5 }));
    close(await out.data(), [0.40261996, 0.24420135, 0.05448868, 0, 0, 0]);
    // A 9-tap kernel on 3 pixels reflects twice: cv2 gives [0.25942478, 0.24645607, 0.24766308].
    const short = tf.tensor3d([1, 0, 0], [1, 3, 1]);
    const wide = gaussianBlur(short, { sigma: 2, ksize: 9 });
    close(await wide.data(), [0.25942478, 0.24645607, 0.24766308]);
    tf.dispose([impulse, out, short, wide]);
  });

  it("agrees with OpenCV's GaussianBlur on real photos to within its 8-bit rounding", async () => {
    for (const { name } of photos) {
      const [rgb, expected] = await Promise.all([
        loadPng(`opencv/${name}_input.png`, 3),
        loadPng(`opencv/${name}_blur.png`, 3),
      ]);
      const out = gaussianBlur(rgb, { sigma: params.blurSigma });
      const { mean, max } = await absDiff(out, expected);
      expect(mean, name).toBeLessThan(0.3);
      expect(max, name).toBeLessThan(1.5); // OpenCV blurs 8-bit images with fixed-point weights, then rounds
      tf.dispose([rgb, expected, out]);
    }
  });

  it('blurs each channel on its own, keeps flat images flat and a batch a batch', async () => {
    const flat = tf.fill([2, 5, 4, 2], 7) as tf.Tensor4D;
    const out = gaussianBlur(flat, { sigma: 3 });
    expect(out.shape).toEqual([2, 5, 4, 2]);
    for (const v of await out.data()) expect(v).toBeCloseTo(7, 4);
    const twoChannels = tf.tensor3d([1, 0, 0, 0, 0, 0], [1, 3, 2]);
    const separate = gaussianBlur(twoChannels, { sigma: 1, ksize: 3 });
    const values = Array.from(await separate.data());
    expect(values.filter((_, i) => i % 2 === 1)).toEqual([0, 0, 0]);
    tf.dispose([flat, out, twoChannels, separate]);
  });

  it('spreads NaN only locally', async () => {
    const x = tf.tensor3d(
      Array.from({ length: 32 }, (_, i) => (i === 0 ? Number.NaN : 0)),
      [1, 32, 1],
    );
    const out = gaussianBlur(x, { sigma: 1, ksize: 3 });
    const nan = Array.from(await out.data()).map(Number.isNaN);
    expect(nan[0]).toBe(true);
    expect(nan.slice(16)).toEqual(new Array(16).fill(false)); // beyond half a kernel + 15
    tf.dispose([x, out]);
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => gaussianBlur(flat as never, { sigma: 1 })).toThrow(
      'gaussianBlur: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const x = tf.zeros([4, 4, 3]) as tf.Tensor3D;
    expect(() => gaussianBlur(x, { sigma: -1 })).toThrow(InvalidArgumentError);
    expect(() => gaussianBlur(x, { sigma: -1 })).toThrow(
      'gaussianBlur: sigma must be a positive number, but got -1.',
    );
    expect(() => gaussianBlur(x, { sigma: 0 })).toThrow(
      'gaussianBlur: sigma must be a positive number, but got 0.',
    );
    expect(() => gaussianBlur(x, { sigma: 1, ksize: 4 })).toThrow(
      'gaussianBlur: ksize must be an odd positive integer, but got 4.',
    );
    tf.dispose([flat, x]);
  });
});
