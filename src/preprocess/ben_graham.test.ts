import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import params from '../../test/fixtures/opencv/params.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { absDiff, fixturePhotos, loadPng } from '../../test/support/load_png.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { benGraham } from './ben_graham.js';

describeEachBackend('benGraham', (backend) => {
  const photos = fixturePhotos(params.images, backend);

  it('agrees with the OpenCV recipe (addWeighted 4, −4, 128 + circle at 0.9 r) on real photos: ≤ 2 grey levels', async () => {
    for (const image of photos) {
      const [h, w] = image.size as [number, number];
      const [rgb, expected] = await Promise.all([
        loadPng(`opencv/${image.name}_input.png`, 3),
        loadPng(`opencv/${image.name}_ben_graham.png`, 3),
      ]);
      // Our mask is centred on the image; the script's cv2.circle sits at (W//2, H//2) with radius int(0.9 r).
      const ours = await expectNoLeaks(() => benGraham(rgb, { sigma: image.benGrahamSigma }));
      const r = w / 2;
      const scriptGeometry = benGraham(rgb, {
        sigma: image.benGrahamSigma,
        center: [h >> 1, w >> 1],
        maskRadius: Math.floor(0.9 * r) / r,
      });
      expect((await absDiff(ours, expected)).mean, image.name).toBeLessThanOrEqual(2);
      // Same geometry: what is left is OpenCV rounding its blur to 8 bits before the ×4.
      expect((await absDiff(scriptGeometry, expected)).mean, image.name).toBeLessThanOrEqual(1);
      tf.dispose([rgb, expected, ours, scriptGeometry]);
    }
  });

  it("defaults to Ben Graham's σ = radius / 30 with radius = half the width", async () => {
    const [rgb, expected] = await Promise.all([
      loadPng('opencv/eyepacs_input.png', 3),
      loadPng('opencv/eyepacs_ben_graham_r30.png', 3),
    ]);
    const out = benGraham(rgb);
    expect(params.images[0]!.benGrahamR30Sigma).toBeCloseTo(128 / 2 / 30, 10);
    expect((await absDiff(out, expected)).mean).toBeLessThanOrEqual(2);
    tf.dispose([rgb, expected, out]);
  });

  it('maps a flat image to offset, masks outside maskRadius · radius around center, and clips to 0-255', async () => {
    const flat = tf.fill([1, 9, 9, 1], 200) as tf.Tensor4D;
    const grey = benGraham(flat, { offset: 100, radius: 4, maskRadius: 0.5, center: [0, 0] });
    const values = await grey.data();
    // Inside (distance ≤ 2 from the top-left pixel) the detail is 0 → offset; outside → offset too.
    expect(Array.from(values).every((v) => Math.abs(v - 100) < 1e-3)).toBe(true);
    const spike = tf.tensor3d(
      Array.from({ length: 81 }, (_, i) => (i === 40 ? 255 : 0)),
      [9, 9, 1],
    );
    const clipped = benGraham(spike, { maskRadius: null, sigma: 1 });
    const values9 = Array.from(await clipped.data());
    expect(values9[40]).toBe(255); // 4·(255 − blur) + 128 clipped
    expect(Math.min(...values9)).toBeGreaterThanOrEqual(0);
    const masked = benGraham(spike, { sigma: 1, maskRadius: 0.2 }); // radius 4.5 → mask radius 0.9: the centre
    const kept = Array.from(await masked.data());
    expect(kept.filter((v, i) => i !== 40 && v === 128)).toHaveLength(80);
    tf.dispose([flat, grey, spike, clipped, masked]);
  });

  it('keeps NaN inside the mask and sets the outside to offset', async () => {
    const x = tf.tensor3d(
      Array.from({ length: 25 }, (_, i) => (i === 12 ? Number.NaN : 50)),
      [5, 5, 1],
    );
    const out = benGraham(x, { sigma: 0.5, maskRadius: 0.5 }); // radius 2.5 → mask radius 1.25
    const values = Array.from(await out.data());
    expect(values[12]).toBeNaN();
    expect(values[0]).toBe(128);
    tf.dispose([x, out]);
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => benGraham(flat as never)).toThrow(ShapeError);
    expect(() => benGraham(flat as never)).toThrow(
      'benGraham: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const rgba = tf.zeros([4, 4, 4]) as tf.Tensor3D;
    expect(() => benGraham(rgba)).toThrow(
      'benGraham: image must have 1 or 3 channels, but got 4 (shape [4,4,4]).',
    );
    const x = tf.zeros([4, 4, 3]) as tf.Tensor3D;
    expect(() => benGraham(x, { sigma: -2 })).toThrow(InvalidArgumentError);
    expect(() => benGraham(x, { sigma: -2 })).toThrow(
      'benGraham: sigma must be a positive number, but got -2.',
    );
    expect(() => benGraham(x, { radius: 0 })).toThrow(
      'benGraham: radius must be a positive number, but got 0.',
    );
    expect(() => benGraham(x, { maskRadius: 0 })).toThrow(
      'benGraham: maskRadius must be a positive number, but got 0.',
    );
    expect(() => benGraham(x, { scale: Number.POSITIVE_INFINITY })).toThrow(
      'benGraham: scale must be a finite number, but got Infinity.',
    );
    expect(() => benGraham(x, { center: [1] as never })).toThrow(
      'benGraham: center must be [y, x] of finite numbers, but got [1].',
    );
    tf.dispose([flat, rgba, x]);
  });
});
