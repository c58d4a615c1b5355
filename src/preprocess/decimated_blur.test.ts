import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import params from '../../test/fixtures/opencv/params.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { fixturePhotos, loadPng } from '../../test/support/load_png.js';
import { InvalidArgumentError } from '../errors.js';
import { blurDownsampleFactor } from './decimated_blur.js';
import { gaussianBlur } from './gaussian_blur.js';

it("'auto' picks the largest factor of 4, 2 that divides the sides and keeps σ / factor ≥ 4", () => {
  const auto = (sigma: number, h: number, w: number) => blurDownsampleFactor('f', 'auto', sigma, h, w);
  expect(auto(512 / 30, 512, 512)).toBe(4); // the anchor's σ at 512 px
  expect(auto(256 / 30, 512, 512)).toBe(2); // Ben Graham's r / 30
  expect(auto(224 / 30, 224, 224)).toBe(1); // σ 7.5: 2 would leave 3.7
  expect(auto(512 / 30, 510, 512)).toBe(2); // 510 is not a multiple of 4
  expect(auto(512 / 30, 511, 512)).toBe(1);
  expect(auto(40, 16, 16)).toBe(1); // the coarse kernel would not fit in a 4 × 4 image
  expect(blurDownsampleFactor('f', 2, 3, 16, 16)).toBe(2); // an explicit factor may go below σ / 4
  expect(() => blurDownsampleFactor('gaussianBlur', 3, 17, 512, 512)).toThrow(
    "gaussianBlur: downsample must be a factor that divides the image's height and width (512 × 512) and whose mirrored border fits in them (55 pixels at σ = 17), but got 3.",
  );
  expect(() => blurDownsampleFactor('gaussianBlur', 0.5, 17, 512, 512)).toThrow(
    "gaussianBlur: downsample must be 'auto' or a positive integer, but got 0.5.",
  );
});

describeEachBackend('gaussianBlur with downsample', (backend) => {
  const photos = fixturePhotos(params.images, backend);

  it('is within 0.1 grey levels (mean) of the exact blur on real photos, borders included', async () => {
    for (const { name } of photos) {
      const rgb = await loadPng(`opencv/${name}_input.png`, 3);
      const [h, w] = rgb.shape;
      const sigma = 8; // a 128-px photo's r / 8: σ / 2 = 4, the finest 'auto' allows
      const exact = gaussianBlur(rgb, { sigma });
      const coarse = await expectNoLeaks(() => gaussianBlur(rgb, { sigma, downsample: 2 }));
      expect(coarse.shape).toEqual([h, w, 3]);
      const [a, b] = [await exact.data(), await coarse.data()];
      const r = Math.min(h, w) / 2;
      let [inside, n, all, max] = [0, 0, 0, 0];
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const near = Math.hypot(y - (h - 1) / 2, x - (w - 1) / 2) <= 0.9 * r;
          for (let c = 0; c < 3; c++) {
            const d = Math.abs(a[(y * w + x) * 3 + c]! - b[(y * w + x) * 3 + c]!);
            all += d;
            if (near) {
              inside += d;
              n++;
              max = Math.max(max, d);
            }
          }
        }
      }
      // Measured: 0.02-0.04 inside (at most 0.24), 0.03-0.05 over the whole image, borders included.
      expect(inside / n, name).toBeLessThanOrEqual(0.1);
      expect(max, name).toBeLessThanOrEqual(0.5);
      expect(all / (h * w * 3), name).toBeLessThanOrEqual(0.1);
      tf.dispose([rgb, exact, coarse]);
    }
  });

  it('keeps flat images flat, the rank and a batch', async () => {
    const flat = tf.fill([2, 64, 32, 3], 7) as tf.Tensor4D;
    const out = gaussianBlur(flat, { sigma: 8, downsample: 4 });
    expect(out.shape).toEqual([2, 64, 32, 3]);
    for (const v of await out.data()) expect(v).toBeCloseTo(7, 4);
    const grey = tf.fill([64, 32, 1], 3) as tf.Tensor3D;
    const one = gaussianBlur(grey, { sigma: 8, downsample: 'auto' });
    expect(one.shape).toEqual([64, 32, 1]);
    tf.dispose([flat, out, grey, one]);
  });

  it('names the argument when the factor does not fit or comes with ksize', () => {
    const x = tf.zeros([30, 30, 3]) as tf.Tensor3D;
    expect(() => gaussianBlur(x, { sigma: 4, downsample: 4 })).toThrow(InvalidArgumentError);
    expect(() => gaussianBlur(x, { sigma: 4, downsample: 4 })).toThrow(
      "gaussianBlur: downsample must be a factor that divides the image's height and width (30 × 30)",
    );
    expect(() => gaussianBlur(x, { sigma: 4, ksize: 25, downsample: 2 })).toThrow(
      'gaussianBlur: downsample must be 1 when ksize is given, but got 2.',
    );
    x.dispose();
  });
});
