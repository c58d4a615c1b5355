import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { lesionPatches } from './lesion_patches.js';

/** An H×W RGB image whose pixel (y, x) is [v, v + 100, v + 200] with v = y·W + x: every patch is recognisable. */
function indexImage(h: number, w: number): tf.Tensor3D {
  const data: number[] = [];
  for (let v = 0; v < h * w; v++) data.push(v, v + 100, v + 200);
  return tf.tensor3d(data, [h, w, 3]);
}

/** An H×W mask with ones (or `on`) at the given [y, x] pixels. */
function mask(h: number, w: number, pixels: [number, number][], on = 1): number[][] {
  const m = Array.from({ length: h }, () => new Array<number>(w).fill(0));
  for (const [y, x] of pixels) m[y]![x] = on;
  return m;
}

/** Plain-JS reference: the patch at (top, left) and its lesion counts. */
function reference(h: number, w: number, masks: number[][][], p: number, s: number) {
  const patches: number[][] = [];
  const counts: number[][] = [];
  for (let top = 0; top + p <= h; top += s) {
    for (let left = 0; left + p <= w; left += s) {
      const patch: number[] = [];
      for (let y = top; y < top + p; y++)
        for (let x = left; x < left + p; x++) {
          const v = y * w + x;
          patch.push(v, v + 100, v + 200);
        }
      patches.push(patch);
      counts.push(
        masks.map((m) => {
          let n = 0;
          for (let y = top; y < top + p; y++)
            for (let x = left; x < left + p; x++) n += m[y]![x]! > 0.5 ? 1 : 0;
          return n;
        }),
      );
    }
  }
  return { patches, counts };
}

describeEachBackend('lesionPatches', () => {
  it('tiles an 8×8 image into 4 patches with exact lesion counts and labels (hand-computed)', async () => {
    const image = indexImage(8, 8);
    const masks = {
      MA: tf.tensor2d(
        mask(8, 8, [
          [1, 1],
          [2, 6],
        ]),
      ),
      HE: tf.tensor3d(
        mask(
          8,
          8,
          [
            [5, 5],
            [6, 5],
            [7, 5],
          ],
          255,
        ).map((row) => row.map((v) => [v])),
      ), // 0/255, [H, W, 1]
      SE: tf.zeros([8, 8]),
      // EX: no mask, i.e. no lesion
    };
    const out = await expectNoLeaks(() => {
      const r = lesionPatches(image, masks, { patchSize: 4 });
      return [r.patches, r.labels, r.pixelCounts, r] as const;
    });
    expect(out[3].grid).toEqual([2, 2]);
    expect(out[3].origins).toEqual([
      [0, 0],
      [0, 4],
      [4, 0],
      [4, 4],
    ]);
    expect(out[3].labelNames).toEqual(['background', 'MA', 'HE', 'EX', 'SE']);
    expect(await out[2].array()).toEqual([
      [1, 0, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 3, 0, 0],
    ]);
    expect(await out[1].array()).toEqual([
      [0, 1, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [1, 0, 0, 0, 0],
      [0, 0, 1, 0, 0],
    ]);
    expect(out[0].shape).toEqual([4, 4, 4, 3]);
    // Patch 1 is rows 0-3, columns 4-7: its first pixel is v = 4, its last v = 3·8 + 7 = 31.
    const patch1 = ((await out[0].array()) as number[][][][])[1]!;
    expect(patch1[0]![0]).toEqual([4, 104, 204]);
    expect(patch1[3]![3]).toEqual([31, 131, 231]);

    const strict = lesionPatches(image, masks, { patchSize: 4, minLesionPixels: 2 });
    expect(await strict.labels.array()).toEqual([
      [1, 0, 0, 0, 0],
      [1, 0, 0, 0, 0],
      [1, 0, 0, 0, 0],
      [0, 0, 1, 0, 0],
    ]);
    tf.dispose([
      image,
      ...Object.values(masks),
      out[0],
      out[1],
      out[2],
      strict.patches,
      strict.labels,
      strict.pixelCounts,
    ]);
  });

  it('cuts overlapping and non-square layouts pixel-exactly, leaving an edge strip narrower than a patch', async () => {
    const layouts: [number, number, number, number][] = [
      [8, 8, 4, 2], // 3×3 overlapping
      [9, 11, 3, 2], // 4×5, odd sizes
      [8, 10, 4, 4], // tiles; the 2-pixel strip at the right is left out
      [6, 7, 6, 1], // patch as tall as the image
    ];
    for (const [h, w, p, s] of layouts) {
      const ma = mask(h, w, [
        [0, 0],
        [h - 1, w - 1],
        [Math.floor(h / 2), Math.floor(w / 2)],
        [1, w - 2],
      ]);
      const ex = mask(h, w, [
        [2, 1],
        [2, 2],
        [h - 2, 0],
      ]);
      const image = indexImage(h, w);
      const masks = { MA: tf.tensor2d(ma), EX: tf.tensor2d(ex) };
      const r = lesionPatches(image, masks, { patchSize: p, stride: s, lesionTypes: ['MA', 'EX'] });
      const ref = reference(h, w, [ma, ex], p, s);
      const label = `${h}×${w} p${p} s${s}`;
      expect(r.grid, label).toEqual([Math.floor((h - p) / s) + 1, Math.floor((w - p) / s) + 1]);
      expect(await r.pixelCounts.array(), label).toEqual(ref.counts);
      expect((await r.patches.data()).length, label).toBe(ref.patches.length * p * p * 3);
      expect(Array.from(await r.patches.data()), label).toEqual(ref.patches.flat());
      expect(await r.labels.array(), label).toEqual(
        ref.counts.map((c) => [c.some((n) => n > 0) ? 0 : 1, ...c.map((n) => (n > 0 ? 1 : 0))]),
      );
      tf.dispose([image, masks.MA, masks.EX, r.patches, r.labels, r.pixelCounts]);
    }
  });

  it('names what is wrong with its inputs', () => {
    const image = tf.zeros([8, 8, 3]) as tf.Tensor3D;
    const flat = tf.zeros([8, 8]);
    const small = tf.zeros([4, 8]);
    expect(() => lesionPatches(flat as tf.Tensor3D, {})).toThrow(
      'lesionPatches: image must be rank 3 [H, W, C], but got rank 2 (shape [8,8]).',
    );
    expect(() => lesionPatches(image, { MA: small }, { patchSize: 4 })).toThrow(ShapeError);
    expect(() => lesionPatches(image, { MA: small }, { patchSize: 4 })).toThrow(
      "lesionPatches: mask 'MA' must be [8, 8] or [8, 8, 1] like the image, but got shape [4,8].",
    );
    expect(() => lesionPatches(image, { OD: flat }, { patchSize: 4 })).toThrow(InvalidArgumentError);
    expect(() => lesionPatches(image, {}, { patchSize: 9 })).toThrow(/patchSize 9 is larger than the image/);
    expect(() => lesionPatches(image, {}, { patchSize: 4, stride: 0 })).toThrow(
      /stride must be a positive integer/,
    );
    expect(() => lesionPatches(image, {}, { patchSize: 4, minLesionPixels: 0 })).toThrow(/minLesionPixels/);
    expect(() => lesionPatches(image, {}, { patchSize: 4, lesionTypes: ['MA', 'MA'] })).toThrow(/distinct/);
    tf.dispose([image, flat, small]);
  });
});

it('lesionPatches defaults to 128-pixel tiles and IDRiD types', async () => {
  const image = tf.zeros([256, 130, 3]) as tf.Tensor3D;
  const r = lesionPatches(image, {});
  expect(r.grid).toEqual([2, 1]);
  expect(r.labelNames).toEqual(['background', 'MA', 'HE', 'EX', 'SE']);
  expect(await r.labels.array()).toEqual([
    [1, 0, 0, 0, 0],
    [1, 0, 0, 0, 0],
  ]);
  tf.dispose([image, r.patches, r.labels, r.pixelCounts]);
});
