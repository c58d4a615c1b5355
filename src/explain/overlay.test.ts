import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { colormapTable } from './colormaps.js';
import { overlay } from './overlay.js';

const at = (name: 'jet' | 'turbo' | 'viridis', i: number) =>
  Array.from(colormapTable(name).slice(i * 3, i * 3 + 3)).map((v) => v * 255);

it('jet matches MATLAB: [0 0 0.5] at 0, [0 0.5 1] at 1/4, [0.5 1 0.5] at 1/2, [0.5 0 0] at 1', () => {
  expect(at('jet', 0)).toEqual([0, 0, 127.5]);
  // Index 64 is x = 64/255, just past 1/4: r = 0, g = 1.5 − |4x − 2| ≈ 0.504, b = 1.
  const quarter = at('jet', 64);
  expect(quarter[0]).toBe(0);
  expect(quarter[1]).toBeCloseTo(255 * (1.5 - Math.abs((4 * 64) / 255 - 2)), 3);
  expect(quarter[2]).toBe(255);
  expect(at('jet', 255)).toEqual([127.5, 0, 0]);
  const [r, g, b] = at('jet', 128);
  expect(g).toBe(255);
  expect(r).toBeCloseTo(255 * (1.5 - Math.abs((4 * 128) / 255 - 3)), 4);
  expect(b).toBeCloseTo(255 * (1.5 - Math.abs((4 * 128) / 255 - 1)), 4);
});

it("viridis matches matplotlib's anchors (#440154, #21918c, #fde725) within 4 levels", () => {
  const near = (got: number[], want: number[]) =>
    got.forEach((v, c) => {
      expect(Math.abs(v - (want[c] as number))).toBeLessThanOrEqual(4);
    });
  near(at('viridis', 0), [68, 1, 84]);
  near(at('viridis', 128), [33, 145, 140]);
  near(at('viridis', 255), [253, 231, 37]);
  // Perceptually uniform: lightness (Rec. 709 luma here) increases monotonically.
  const luma = Array.from({ length: 256 }, (_, i) => {
    const [r, g, b] = at('viridis', i) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
  luma.slice(1).forEach((l, i) => {
    expect(l).toBeGreaterThan(luma[i] as number);
  });
});

it('turbo runs dark blue → green → red and is dark at both ends', () => {
  const dominant = (i: number) => {
    const c = at('turbo', i);
    return c.indexOf(Math.max(...c));
  };
  expect(dominant(35)).toBe(2); // blue
  expect(dominant(128)).toBe(1); // green
  expect(dominant(220)).toBe(0); // red
  const sum = (i: number) => at('turbo', i).reduce((a, b) => a + b, 0);
  expect(sum(0)).toBeLessThan(120);
  expect(sum(255)).toBeLessThan(160);
  expect(sum(128)).toBeGreaterThan(450);
});

describeEachBackend('overlay', () => {
  it('mixes (1 − alpha)·image + alpha·255·colormap(heatmap), resizing the heatmap to the image', async () => {
    const image = tf.fill([2, 4, 4, 3], 100) as tf.Tensor4D;
    const heat = tf.tensor3d([0, 1, 0.5, 0.25, 0, 0, 0, 0], [2, 2, 2]);
    const out = await expectNoLeaks(() => overlay(image, heat, { colormap: 'jet', alpha: 0.4 }));
    expect(out.shape).toEqual([2, 4, 4, 3]);
    const v = (await out.array()) as number[][][][];
    const expectPixel = (got: number[], index: number) =>
      got.forEach((c, k) => {
        expect(c).toBeCloseTo(60 + 0.4 * (at('jet', index)[k] as number), 3);
      });
    // Corner pixels keep the corner values under half-pixel bilinear resizing.
    expectPixel(v[0]![0]![0]!, 0);
    expectPixel(v[0]![0]![3]!, 255);
    expectPixel(v[0]![3]![0]!, 128);
    expectPixel(v[0]![3]![3]!, 64);
    expectPixel(v[1]![2]![1]!, 0);
    tf.dispose([image, heat, out]);
  });

  it('takes one grey image with a [h, w] heatmap, clips the heatmap and reads NaN as 0', async () => {
    const grey = tf.fill([2, 2, 1], 50) as tf.Tensor3D;
    const heat = tf.tensor2d([-1, 2, Number.NaN, 1], [2, 2]);
    const out = overlay(grey, heat, { colormap: 'viridis', alpha: 1 });
    expect(out.shape).toEqual([2, 2, 3]);
    const v = (await out.array()) as number[][][];
    expect(v[0]![0]!.map((c) => Math.round(c))).toEqual(at('viridis', 0).map((c) => Math.round(c)));
    expect(v[0]![1]!.map((c) => Math.round(c))).toEqual(at('viridis', 255).map((c) => Math.round(c)));
    expect(v[1]![0]!.map((c) => Math.round(c))).toEqual(at('viridis', 0).map((c) => Math.round(c)));
    const plain = overlay(grey, heat, { alpha: 0 });
    expect(Array.from(await plain.data()).every((c) => Math.abs(c - 50) < 1e-4)).toBe(true);
    tf.dispose([grey, heat, out, plain]);
  });

  it('rejects bad heatmaps and arguments', () => {
    const image = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    const wrongBatch = tf.zeros([3, 4, 4]);
    const heat = tf.zeros([2, 4, 4]);
    const flat = tf.zeros([4, 4]);
    expect(() => overlay(image, wrongBatch)).toThrow(ShapeError);
    expect(() => overlay(image, heat, { colormap: 'hot' as never })).toThrow(InvalidArgumentError);
    expect(() => overlay(image, heat, { alpha: 2 })).toThrow(/alpha must be a number in \[0, 1\], but got 2/);
    expect(() => overlay(flat as never, flat)).toThrow(/overlay: image must be rank 3 or 4/);
    tf.dispose([image, wrongBatch, heat, flat]);
  });
});
