import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { augment } from './augment.js';

/** An asymmetric H×W×3 image: channel values encode the position, so any permutation shows. */
function ramp(h: number, w: number): tf.Tensor3D {
  const v: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v.push(y * w + x, 2 * x + 1, 3 * y + 2);
  return tf.tensor3d(v, [h, w, 3]);
}

async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = [await a.data(), await b.data()];
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

describeEachBackend('augment', () => {
  it('is the identity with no transforms', async () => {
    const img = ramp(4, 5);
    const out = await expectNoLeaks(() => augment(img, { seed: 1 }));
    expect(await maxDiff(out, img)).toBe(0);
    tf.dispose([img, out]);
  });

  it('is reproducible from a seed, and draws per image', async () => {
    const one = ramp(8, 8);
    const batch = tf.stack([one, one]) as tf.Tensor4D;
    const args = { rotate: 40, zoom: 0.2, brightness: 0.3, hue: 0.1, seed: 7 };
    const a = augment(batch, args);
    const b = augment(batch, args);
    const c = augment(batch, { ...args, seed: 8 });
    expect(await maxDiff(a, b)).toBe(0);
    expect(await maxDiff(a, c)).toBeGreaterThan(1);
    const [first, second] = tf.unstack(a);
    expect(await maxDiff(first!, second!)).toBeGreaterThan(1);
    tf.dispose([one, batch, a, b, c, first!, second!]);
  });

  it('flips exactly as tf.reverse', async () => {
    const img = ramp(5, 7);
    const h = augment(img, { flip: 'horizontal', flipProbability: 1, seed: 1 });
    const v = augment(img, { flip: 'vertical', flipProbability: 1, seed: 1 });
    const none = augment(img, { flip: true, flipProbability: 0, seed: 1 });
    const [rh, rv] = [tf.reverse(img, 1), tf.reverse(img, 0)];
    expect(await maxDiff(h, rh)).toBeLessThan(1e-4);
    expect(await maxDiff(v, rv)).toBeLessThan(1e-4);
    expect(await maxDiff(none, img)).toBe(0);
    tf.dispose([img, h, v, none, rh, rv]);
  });

  it('rotates by 90° counter-clockwise as transpose then reverse (nearest for masks)', async () => {
    for (const size of [5, 6]) {
      const img = ramp(size, size);
      const mask = tf.tensor2d(
        Array.from({ length: size * size }, (_, i) => i),
        [size, size],
        'int32',
      );
      const { image, masks } = augment(img, { rotate: [90, 90], seed: 3 }, mask);
      const expectedMask = tf.tidy(() => tf.reverse(tf.transpose(mask), 0));
      const expectedImage = tf.tidy(() => tf.reverse(tf.transpose(img, [1, 0, 2]), 0));
      expect(masks.dtype).toBe('int32');
      expect(await masks.data()).toEqual(await expectedMask.data());
      expect(await maxDiff(image, expectedImage)).toBeLessThan(1e-3);
      tf.dispose([img, mask, image, masks, expectedMask, expectedImage]);
    }
  });

  it('translates by whole pixels with 0 fill', async () => {
    const img = ramp(8, 8);
    const out = augment(img, { translate: [0.25, 0.25], seed: 1 });
    const expected = tf.tidy(() =>
      tf.pad(tf.slice(img, [0, 0, 0], [6, 6, 3]), [
        [2, 0],
        [2, 0],
        [0, 0],
      ]),
    );
    expect(await maxDiff(out, expected)).toBeLessThan(1e-3);
    tf.dispose([img, out, expected]);
  });

  it('keeps masks over the same pixels as the image', async () => {
    // A bright square "lesion" drawn in the image and in its mask, then random geometry on a batch.
    const size = 32;
    const lesion = tf.tidy(() =>
      tf.pad(tf.ones([8, 8]), [
        [6, 18],
        [14, 10],
      ]),
    ) as tf.Tensor2D;
    const image = tf.tidy(() =>
      tf.stack(Array(4).fill(tf.mul(tf.stack([lesion, lesion, lesion], -1), 255))),
    ) as tf.Tensor4D;
    const masks = tf.stack(Array(4).fill(lesion)) as tf.Tensor3D;
    const out = await expectNoLeaks(() => {
      const r = augment(image, { flip: 'both', rotate: 35, zoom: 0.2, translate: 0.1, seed: 11 }, masks);
      return [r.image, r.masks];
    });
    const [img, m] = [await out[0]!.data(), await out[1]!.data()];
    expect(out[1]!.shape).toEqual([4, size, size]);
    let inside = 0;
    let bright = 0;
    let agree = 0;
    for (let i = 0; i < m.length; i++) {
      if (m[i] === 1) {
        inside++;
        if (img[3 * i]! > 127) bright++;
      }
      if ((m[i] === 1) === img[3 * i]! > 127) agree++;
    }
    expect(inside).toBeGreaterThan(4 * 30);
    expect(bright / inside).toBeGreaterThan(0.9);
    expect(agree / m.length).toBeGreaterThan(0.98);
    tf.dispose([lesion, image, masks, ...out]);
  });

  it('matches hand-computed photometric values', async () => {
    const px = tf.tensor3d([100, 50, 0, 20, 40, 60], [1, 2, 3]);
    const close = async (t: tf.Tensor, expected: number[]) => {
      const got = Array.from(await t.data());
      for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i]!, 2);
      t.dispose();
    };
    await close(augment(px, { brightness: [1.5, 1.5], seed: 1 }), [150, 75, 0, 30, 60, 90]);
    // Mean grey = mean(0.299·100 + 0.587·50, 0.299·20 + 0.587·40 + 0.114·60) = (59.25 + 36.3) / 2 = 47.775.
    const m = 47.775;
    await close(
      augment(px, { contrast: [2, 2], seed: 1 }),
      [100, 50, 0, 20, 40, 60].map((v) => Math.min(255, Math.max(0, 2 * (v - m) + m))),
    );
    await close(augment(px, { saturation: [0, 0], seed: 1 }), [59.25, 59.25, 59.25, 36.3, 36.3, 36.3]);
    // Half a turn of hue maps a colour to its complement about its grey level: 2·Y − RGB (clipped at 0).
    await close(augment(px, { hue: [0.5, 0.5], seed: 1 }), [18.5, 68.5, 118.5, 52.6, 32.6, 12.6]);
    await close(
      augment(px, { gamma: [2, 2], seed: 1 }),
      [100, 50, 0, 20, 40, 60].map((v) => 255 * (v / 255) ** 2),
    );
    // σ = 1 blur of a 100 impulse: centre weight (1 / (1 + 2(e^−½ + e^−2 + e^−4.5)))² = 0.39905².
    const impulse = tf.tidy(() =>
      tf.pad(tf.fill([1, 1, 1], 100), [
        [4, 4],
        [4, 4],
        [0, 0],
      ]),
    ) as tf.Tensor3D;
    const blurred = augment(impulse, { blur: [1, 1], seed: 1 });
    const b = await blurred.data();
    expect(b[4 * 9 + 4]).toBeCloseTo(100 * 0.39905 ** 2, 2);
    expect(Array.from(b).reduce((s, v) => s + v, 0)).toBeCloseTo(100, 2);
    const flat = tf.fill([6, 6, 3], 80) as tf.Tensor3D;
    const flatBlur = augment(flat, { blur: [2, 2], seed: 1 });
    expect(await maxDiff(flatBlur, flat)).toBeLessThan(1e-3);
    tf.dispose([px, impulse, blurred, flat, flatBlur]);
  });

  it('rejects bad arguments and shapes, naming them', () => {
    const img = tf.zeros([4, 4, 3]) as tf.Tensor3D;
    const grey = tf.zeros([4, 4, 1]) as tf.Tensor3D;
    const flat = tf.zeros([4, 4]);
    const narrow = tf.zeros([4, 5]);
    const argError = (args: object, argument: string, text: string) => {
      try {
        augment(img, args as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).toBe(argument);
        expect((e as Error).message).toContain(text);
      }
    };
    argError({ rotation: 10 }, 'rotation', "augment: unknown argument 'rotation'");
    argError(
      { rotate: 'a' },
      'rotate',
      'augment: rotate must be a number or a [min, max] range, but got "a".',
    );
    argError({ zoom: 1.5 }, 'zoom', 'zoom must be a number in [0, 0.999]');
    argError({ hue: [0, 0.7] }, 'hue', 'hue range must lie within [-0.5, 0.5]');
    argError({ brightness: [2, 1] }, 'brightness', 'min ≤ max');
    argError({ flip: 'diagonal' }, 'flip', 'flip must be a boolean');
    argError({ flipProbability: 2 }, 'flipProbability', 'flipProbability must be a number in [0, 1]');
    argError({ seed: -1 }, 'seed', 'seed must be an integer');
    expect(() => augment(flat as never)).toThrow(
      'augment: image must be rank 3 or 4, but got rank 2 (shape [4,4]).',
    );
    expect(() => augment(grey, { hue: 0.1 })).toThrow(ShapeError);
    expect(() => augment(img, { rotate: 5 }, narrow)).toThrow(
      'augment: masks must be [4,4] or [4,4,K] to match the image [4,4,3], but got shape [4,5].',
    );
    tf.dispose([img, grey, flat, narrow]);
  });
});
