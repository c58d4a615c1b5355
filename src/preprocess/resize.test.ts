import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import params from '../../test/fixtures/opencv/params.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { absDiff, fixturePhotos, loadPng } from '../../test/support/load_png.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { areaResizeWindow, resize } from './resize.js';

const row = (values: number[]) => tf.tensor3d(values, [1, values.length, 1]);
const close = (got: ArrayLike<number>, expected: number[], digits = 3) => {
  expect(got.length).toBe(expected.length);
  for (const [i, v] of Array.from(got).entries()) expect(v, `element ${i}`).toBeCloseTo(expected[i]!, digits);
};

describeEachBackend('resize', (backend) => {
  const photos = fixturePhotos(params.images, backend);

  it("'area' averages the covered input with fractional edge weights, like OpenCV's INTER_AREA", async () => {
    // cv2.resize(np.float32([[0, 10, …, 90]]), (4, 1), interpolation=cv2.INTER_AREA) → [8, 32, 58, 82]
    const x = row([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const out = await expectNoLeaks(() => resize(x, [1, 4], { method: 'area' }));
    close(await out.data(), [8, 32, 58, 82]);
    // 6 → 4: [3.333, 16.667, 33.333, 46.667]; 2 → 3 (enlarging): [0, 15, 30] (OpenCV gives the same).
    const six = row([0, 10, 20, 30, 40, 50]);
    const two = row([0, 30]);
    const [down, up] = [resize(six, [1, 4], { method: 'area' }), resize(two, [1, 3], { method: 'area' })];
    close(await down.data(), [10 / 3, 50 / 3, 100 / 3, 140 / 3]);
    close(await up.data(), [0, 15, 30]);
    // Whole-number factors: plain block means (the average-pool path).
    const block = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [4, 4, 1]);
    const pooled = resize(block, 2, { method: 'area' });
    close(await pooled.data(), [3.5, 5.5, 11.5, 13.5]);
    tf.dispose([x, out, six, two, down, up, block, pooled]);
  });

  it("agrees with OpenCV's INTER_AREA (÷3.3) and INTER_LINEAR (×0.7) on real photos to within rounding", async () => {
    for (const image of photos) {
      const rgb = await loadPng(`opencv/${image.name}_input.png`, 3);
      for (const [method, fixture, size] of [
        ['area', 'area', image.areaSize],
        ['bilinear', 'linear', image.linearSize],
      ] as const) {
        const expected = await loadPng(`opencv/${image.name}_${fixture}.png`, 3);
        const out = resize(rgb, size as [number, number], { method });
        const { mean, max } = await absDiff(out, expected);
        expect(mean, `${image.name} ${method}`).toBeLessThan(0.3);
        // OpenCV rounds to 8 bits; its bilinear weights are 11-bit fixed point, so allow it 1 level.
        expect(max, `${image.name} ${method}`).toBeLessThanOrEqual(method === 'area' ? 0.51 : 1);
        tf.dispose([expected, out]);
      }
      rgb.dispose();
    }
  });

  it('bilinear uses half-pixel centres unless alignCorners; nearest too', async () => {
    const x = row([0, 10, 20, 30]);
    const up = resize(x, [1, 6], { method: 'bilinear' }); // cv2 INTER_LINEAR: [0, 5, 11.67, 18.33, 25, 30]
    close(await up.data(), [0, 5, 35 / 3, 55 / 3, 25, 30]);
    const aligned = resize(x, [1, 3], { method: 'bilinear', alignCorners: true });
    close(await aligned.data(), [0, 15, 30]);
    const nearest = resize(x, [1, 2], { method: 'nearest' }); // centres at 1 and 3, as PIL
    close(await nearest.data(), [10, 30]);
    tf.dispose([x, up, aligned, nearest]);
  });

  it("defaults to 'area' only when a side shrinks by more than 2×", async () => {
    const x = tf.tensor3d(
      Array.from({ length: 100 }, (_, i) => (i * 37) % 100),
      [10, 10, 1],
    );
    for (const [size, method] of [
      [[4, 10], 'area'], // either side counts
      [5, 'bilinear'],
    ] as const) {
      const [auto, explicit] = [resize(x, size as never), resize(x, size as never, { method })];
      expect((await absDiff(auto, explicit)).max, `size ${size}`).toBe(0);
      tf.dispose([auto, explicit]);
    }
    x.dispose();
  });

  it('keeps a batch a batch and takes [height, width]', async () => {
    const batch = tf.zeros([2, 9, 7, 3], 'int32') as tf.Tensor4D;
    const out = resize(batch, [4, 5]);
    expect(out.shape).toEqual([2, 4, 5, 3]);
    expect(out.dtype).toBe('float32');
    tf.dispose([batch, out]);
  });

  it('areaResizeWindow equals cutting the window out (zero-padded) and then resizing', async () => {
    const x = tf.tidy(() => tf.add(tf.randomUniform([1, 23, 31, 3], 0, 255, 'float32', 7), 0)) as tf.Tensor4D;
    // Windows inside, past the top/left and past the bottom/right; both pass orders (rows or columns first).
    const cases: [number, number, [number, number], [number, number]][] = [
      [7, 9, [3, 17], [5, 22]],
      [10, 6, [-4, 25], [-6, 20]],
      [6, 10, [12, 17], [20, 19]],
    ];
    for (const [outH, outW, [top, height], [left, width]] of cases) {
      await expectNoLeaks(async () => {
        const [got, want] = tf.tidy(() => {
          const padded = tf.pad(x, [
            [0, 0],
            [20, 20],
            [20, 20],
            [0, 0],
          ]);
          const cut = tf.slice(padded, [0, top + 20, left + 20, 0], [1, height, width, 3]) as tf.Tensor4D;
          const window = (start: number, length: number) => ({ start, length });
          return [
            areaResizeWindow(x, outH, outW, window(top, height), window(left, width)),
            resize(cut, [outH, outW], { method: 'area' }),
          ];
        });
        expect(got.shape).toEqual([1, outH, outW, 3]);
        const [a, b] = [await got.data(), await want.data()];
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-3);
        tf.dispose([got, want]);
      });
    }
    x.dispose();
  });

  it('keeps NaN to the output pixels whose footprint covers it', async () => {
    const x = row([0, 10, 20, 30, 40, Number.NaN]);
    for (const method of ['area', 'bilinear'] as const) {
      const out = resize(x, [1, 4], { method });
      const values = Array.from(await out.data());
      expect(values.map(Number.isNaN), method).toEqual([false, false, false, true]);
      out.dispose();
    }
    x.dispose();
  });

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => resize(flat as never, 10)).toThrow(ShapeError);
    expect(() => resize(flat as never, 10)).toThrow(
      'resize: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const x = tf.zeros([8, 8, 3]) as tf.Tensor3D;
    const sizeMessage =
      'resize: size must be a positive integer or [height, width] of positive integers, but got';
    expect(() => resize(x, 0)).toThrow(InvalidArgumentError);
    expect(() => resize(x, 0)).toThrow(`${sizeMessage} 0.`);
    expect(() => resize(x, -4)).toThrow(`${sizeMessage} -4.`);
    expect(() => resize(x, 2.5)).toThrow(`${sizeMessage} 2.5.`);
    expect(() => resize(x, [4, 0])).toThrow(`${sizeMessage} [4,0].`);
    expect(() => resize(x, 4, { method: 'cubic' as never })).toThrow(
      "resize: method must be one of 'bilinear', 'area', 'nearest', but got 'cubic'.",
    );
    expect(() => resize(x, 4, { method: 'area', alignCorners: true })).toThrow(
      "resize: alignCorners must be false with method 'area', but got true.",
    );
    tf.dispose([flat, x]);
  });
});
