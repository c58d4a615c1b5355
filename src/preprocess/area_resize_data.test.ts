import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { areaResizeData } from './area_resize_data.js';
import { padReflect101 } from './reflect_pad.js';
import { areaResizeWindow } from './resize.js';

function values(n: number, seed: number): Float32Array {
  // A deterministic pseudo-random ramp (no tensor RNG: the reference runs on every backend).
  return Float32Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 1021) / 4);
}

describeEachBackend('areaResizeData', () => {
  it('matches areaResizeWindow (tensors) for 1 and 3 channels, shrinking < 2× and > 2×, enlarging, windows past the edges', async () => {
    const cases: [number, number, number, number, number, [number, number], [number, number]][] = [
      // [h, w, c, outH, outW, [top, height], [left, width]]
      [23, 31, 3, 17, 19, [-3, 25], [4, 26]], // < 2×: three row taps (the unrolled loop)
      [23, 31, 3, 7, 9, [2, 20], [-5, 33]], // > 2×: the general row loop
      [20, 18, 1, 9, 11, [5, 19], [0, 18]], // one channel: the general column loop
      [10, 12, 3, 17, 19, [-1, 11], [1, 12]], // enlarging (a photo's field of view smaller than the output)
    ];
    for (const [h, w, c, outH, outW, [top, height], [left, width]] of cases) {
      const data = values(h * w * c, h + c);
      const rows = { start: top, length: height };
      const cols = { start: left, length: width };
      const got = areaResizeData(data, [h, w, c], outH, outW, rows, cols);
      await expectNoLeaks(async () => {
        const want = tf.tidy(() => areaResizeWindow(tf.tensor4d(data, [1, h, w, c]), outH, outW, rows, cols));
        const ref = await want.data();
        want.dispose();
        expect(got.length).toBe(ref.length);
        for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-3);
      });
    }
  });

  it('with rowPad, adds the resized rows reflect-101 padded as padReflect101 would (longer than the axis too)', async () => {
    const [h, w, c] = [21, 13, 3];
    const data = values(h * w * c, 5);
    const rows = { start: 1, length: 19 };
    const cols = { start: -2, length: 15 };
    const got = areaResizeData(data, [h, w, c], 6, 5, rows, cols, { before: 8, after: 3 });
    await expectNoLeaks(async () => {
      const want = tf.tidy(() =>
        padReflect101(areaResizeWindow(tf.tensor4d(data, [1, h, w, c]), 6, 5, rows, cols), 1, 8, 3),
      );
      expect(want.shape).toEqual([1, 6 + 11, 5, c]);
      const ref = await want.data();
      want.dispose();
      expect(got.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-3);
    });
  });
});
