import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../test/support/backends.js';
import { InvalidArgumentError } from '../../errors.js';
import { DatasetError } from '../data_errors.js';
import { fromFolder } from './from_folder.js';

let root: string;
const tmp: string[] = [];

/** A 3×3 PNG whose red value is `red`. */
async function png(path: string, red: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const pixels = Buffer.alloc(27);
  for (let i = 0; i < 9; i++) pixels[i * 3] = red;
  await sharp(pixels, { raw: { width: 3, height: 3, channels: 3 } })
    .png()
    .toFile(path);
}

beforeAll(async () => {
  await useBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'fundus-folder-'));
  tmp.push(root);
  // normal/ 2 images, cataract/ 2 + 1 in a subfolder (+ a note), a hidden folder, a stray file at the root.
  await png(join(root, 'normal/b.png'), 10);
  await png(join(root, 'normal/a.PNG'), 20);
  await png(join(root, 'cataract/z.png'), 30);
  await png(join(root, 'cataract/left/y.png'), 40);
  await png(join(root, 'cataract/m.png'), 50);
  writeFileSync(join(root, 'cataract/notes.txt'), 'not an image');
  await png(join(root, '.thumbnails/t.png'), 60);
  writeFileSync(join(root, 'labels.csv'), 'image,label\n');
});

afterAll(() => {
  for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
});

describe('fromFolder', () => {
  it('one class per subfolder, sorted; images sorted by path, subfolders in, hidden and non-images out', async () => {
    const ds = await fromFolder(root, { shuffle: false, batchSize: 10 });
    expect(ds.classes).toEqual(['cataract', 'normal']);
    expect(ds.rows.map((r) => r.file.slice(root.length + 1))).toEqual([
      'cataract/left/y.png',
      'cataract/m.png',
      'cataract/z.png',
      'normal/a.PNG',
      'normal/b.png',
    ]);
    expect(ds.rows.every((r) => r.line === undefined)).toBe(true);
    expect(ds.classCounts).toEqual([3, 2]);
    const reds: number[] = [];
    const ys: number[][] = [];
    await ds.dataset.forEachAsync((batch) => {
      const data = batch.xs.dataSync();
      for (let i = 0; i < batch.xs.shape[0]; i++) reds.push(data[i * 27]!);
      ys.push(...batch.ys.arraySync());
      tf.dispose(batch);
    });
    expect(reds).toEqual([40, 50, 30, 20, 10]);
    expect(ys).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    expect(ds.summary).toMatchObject({ fn: 'fromFolder', source: root, rows: 5, used: 5, skipped: [] });
  });

  it('binary needs to know the positive folder unless they are 0 and 1; classes pick and order folders', async () => {
    await expect(fromFolder(root, { task: 'binary' })).rejects.toThrow(
      /needs to know which labels are positive/,
    );
    const ds = await fromFolder(root, { task: 'binary', classes: ['normal', 'cataract'] });
    expect(ds.classes).toEqual(['normal', 'cataract']);
    expect(ds.classCounts).toEqual([2, 3]);
    const only = await fromFolder(root, { classes: ['normal'] });
    expect(only.rows).toHaveLength(2);
    await expect(fromFolder(root, { classes: ['glaucoma'] })).rejects.toThrow(
      `fromFolder: no folder for class 'glaucoma' in ${root} (folders: cataract, normal).`,
    );
  });

  it('a ratio split partitions the images deterministically', async () => {
    const files = async (subset: 'train' | 'val') =>
      (await fromFolder(root, { split: { ratio: 0.4, subset, seed: 2 } })).rows.map((r) => r.file);
    const val = await files('val');
    expect(val).toHaveLength(2); // round(0.4 · 3) + round(0.4 · 2)
    expect(new Set([...val, ...(await files('train'))]).size).toBe(5);
    expect(await files('val')).toEqual(val);
  });

  it('grade folders 0-4; other names are unknown labels', async () => {
    const grades = mkdtempSync(join(tmpdir(), 'fundus-grades-'));
    tmp.push(grades);
    await png(join(grades, '0/a.png'), 1);
    await png(join(grades, '3/a.png'), 2);
    await png(join(grades, 'x/a.png'), 3);
    const ds = await fromFolder(grades, { task: 'grade', onError: 'skip', gradeEncoding: 'scalar' });
    expect(ds.classCounts).toEqual([1, 0, 0, 1, 0]);
    expect(ds.summary.skipped).toMatchObject([{ kind: 'unknown-label', reason: "'x' is not a grade 0-4" }]);
  });

  it('refuses multilabel and column splits, and reports a missing or empty folder', async () => {
    await expect(fromFolder(root, { task: 'multilabel' })).rejects.toThrow(InvalidArgumentError);
    await expect(fromFolder(root, { split: { column: 'split', value: 'x' } as never })).rejects.toThrow(
      /no split column/,
    );
    const missing = (await fromFolder(join(root, 'nope')).catch((e: unknown) => e)) as DatasetError;
    expect(missing).toBeInstanceOf(DatasetError);
    expect(missing.message).toBe(`fromFolder: cannot read ${join(root, 'nope')}: no such folder.`);
    const empty = mkdtempSync(join(tmpdir(), 'fundus-empty-'));
    tmp.push(empty);
    mkdirSync(join(empty, 'normal'));
    await expect(fromFolder(empty)).rejects.toMatchObject({ kind: 'no-images' });
  });
});
