import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../test/support/backends.js';
import { dataPath } from '../../../test/support/shared_data.js';
import { InvalidArgumentError } from '../../errors.js';
import { DatasetError } from '../data_errors.js';
import { lesionPatches } from '../lesion_patches.js';
import { readIdridSample } from './read_idrid_sample.js';

const TYPES = ['MA', 'HE', 'EX', 'SE'];

beforeAll(() => useBackend('wasm'));

describe('readIdridSample + lesionPatches on real IDRiD photos', () => {
  // 2144 × 1424 = (134 · 16) × (89 · 16): 16-pixel patches tile the photo exactly, so the patch counts must add
  // up to the whole masks, which labels.csv states.
  // Four photos, three of them with soft exudates (the rarest type).
  const names = ['IDRiD_01', 'IDRiD_03', 'IDRiD_08', 'IDRiD_13'];

  it.each(names)('%s: masks match labels.csv, and tiling patches count every lesion pixel', async (name) => {
    const before = tf.memory().numTensors;
    const sample = await readIdridSample(dataPath('idrid/labels.csv'), name);
    expect(sample.image.shape).toEqual([1424, 2144, 3]);
    expect(Object.keys(sample.masks)).toEqual(TYPES);
    const maskTotals = TYPES.map((t) => tf.tidy(() => tf.sum(sample.masks[t]!).arraySync() as number));
    expect(maskTotals).toEqual(TYPES.map((t) => sample.pixelCounts[t]));

    const patches = lesionPatches(sample.image, sample.masks, { patchSize: 16 });
    expect(patches.grid).toEqual([89, 134]);
    expect(patches.patches.shape).toEqual([89 * 134, 16, 16, 3]);
    const perType = tf.tidy(() => tf.sum(patches.pixelCounts, 0).arraySync() as number[]);
    expect(perType).toEqual(TYPES.map((t) => sample.pixelCounts[t]));
    // A patch is background exactly when it has no lesion pixel of any type.
    const background = tf.tidy(() => tf.reshape(tf.slice(patches.labels, [0, 0], [-1, 1]), [-1]).arraySync());
    const noLesion = tf.tidy(() =>
      tf.cast(tf.equal(tf.sum(patches.pixelCounts, 1), 0), 'float32').arraySync(),
    );
    expect(background).toEqual(noLesion);
    tf.dispose([
      sample.image,
      ...Object.values(sample.masks),
      patches.patches,
      patches.labels,
      patches.pixelCounts,
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('overlapping 128-pixel patches (stride 64) match the masks cut by hand', async () => {
    const sample = await readIdridSample(dataPath('idrid/labels.csv'), 'images/IDRiD_03.jpg');
    const p = 128;
    const r = lesionPatches(sample.image, sample.masks, { patchSize: p, stride: 64, minLesionPixels: 5 });
    expect(r.grid).toEqual([21, 32]);
    // Check a few patches (first, a middle one, last) against slices of the image and masks.
    const counts = r.pixelCounts.arraySync();
    for (const i of [0, 337, r.origins.length - 1]) {
      const [y, x] = r.origins[i]!;
      const expected = TYPES.map(
        (t) => tf.sum(tf.slice(sample.masks[t]!, [y, x], [p, p])).arraySync() as number,
      );
      expect(counts[i], `patch ${i} at ${y},${x}`).toEqual(expected);
      const want = tf.slice(sample.image, [y, x, 0], [p, p, 3]);
      const got = tf.reshape(tf.slice(r.patches, [i, 0, 0, 0], [1, p, p, 3]), [p, p, 3]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(want, got))).arraySync())).toBe(0);
      tf.dispose([want, got]);
    }
    const positives = tf.tidy(() => tf.sum(r.labels, 0).arraySync() as number[]);
    expect(positives[0]! + positives.slice(1).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(21 * 32);
    tf.dispose([sample.image, ...Object.values(sample.masks), r.patches, r.labels, r.pixelCounts]);
  });

  it('names an unknown photo and a missing column', async () => {
    await expect(readIdridSample(dataPath('idrid/labels.csv'), 'IDRiD_99')).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      readIdridSample(dataPath('idrid/labels.csv'), 'IDRiD_01', { lesionTypes: ['NV'] }),
    ).rejects.toThrow(DatasetError);
  });
});
