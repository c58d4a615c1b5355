import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { ShapeError } from '../errors.js';
import { heatmapToOriginal } from './heatmap_to_original.js';

describeEachBackend('heatmapToOriginal', () => {
  it('places a crop-sized heatmap at its box and fills the rest', async () => {
    const heat = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const box = { top: 1, left: 2, height: 2, width: 3 };
    const out = await expectNoLeaks(() => heatmapToOriginal(heat, box, [4, 6], { fill: -1 }));
    expect(await out.array()).toEqual([
      [-1, -1, -1, -1, -1, -1],
      [-1, -1, 1, 2, 3, -1],
      [-1, -1, 4, 5, 6, -1],
      [-1, -1, -1, -1, -1, -1],
    ]);
    tf.dispose([heat, out]);
  });

  it('resizes a batch of model-sized heatmaps to a box that reaches past the frame', async () => {
    // A 2×2 map of a square crop 4×4 whose box starts one pixel above the frame.
    const heat = tf.tensor3d([0, 0, 1, 1, 2, 2, 2, 2], [2, 2, 2]);
    const out = heatmapToOriginal(heat, { top: -1, left: 0, height: 4, width: 4 }, [3, 4]);
    expect(out.shape).toEqual([2, 3, 4]);
    const v = (await out.array()) as number[][][];
    // Bilinear 2 → 4 (half-pixel): rows 0, 0.25, 0.75, 1 of the 0 → 1 ramp; frame row r is box row r + 1.
    expect(v[0]!.map((row) => row[0])).toEqual([0.25, 0.75, 1]);
    expect(v[1]!.flat().every((x) => x === 2)).toBe(true);
    tf.dispose([heat, out]);
  });

  it('rejects other ranks', () => {
    const bad = tf.zeros([1, 2, 2, 1]);
    expect(() => heatmapToOriginal(bad as never, { top: 0, left: 0, height: 2, width: 2 }, [2, 2])).toThrow(
      ShapeError,
    );
    bad.dispose();
  });
});
