import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../test/support/backends.js';
import { dataPath } from '../../../test/support/shared_data.js';
import { parseCsv } from '../parse_csv.js';
import { formatSummary } from '../summary.js';
import { fromCsv } from './from_csv.js';

const CLASSES = ['cataract', 'diabetic_retinopathy', 'glaucoma', 'normal'];
let csv: string;
/** Rows per split and class, counted straight from the CSV (the reference the datasets must reproduce). */
const expected: Record<string, number[]> = { train: [0, 0, 0, 0], val: [0, 0, 0, 0] };

beforeAll(async () => {
  await useBackend('wasm');
  csv = dataPath('eye-diseases/labels.csv');
  const { header, records } = parseCsv(readFileSync(csv, 'utf8'));
  for (const { fields } of records) {
    expected[fields[header.indexOf('split')]!]![CLASSES.indexOf(fields[header.indexOf('class')]!)]!++;
  }
});

describe('eye-diseases (3 391 photos) through fromCsv', () => {
  it('streams every photo once at size 64: labels, counts per class and split, and flat memory', async () => {
    expect(expected.train!.reduce((a, b) => a + b) + expected.val!.reduce((a, b) => a + b)).toBe(3391);
    const baseline = tf.memory().numTensors;
    const start = performance.now();
    const rss0 = process.memoryUsage().rss;
    let peakRss = rss0;
    let streamed = 0;
    /** numTensors (after disposing each batch) and RSS, by elements streamed so far. */
    const samples: { at: number; tensors: number; rss: number }[] = [];

    for (const split of ['train', 'val'] as const) {
      const ds = await fromCsv(csv, {
        labelColumn: 'class',
        split: { column: 'split', value: split },
        size: 64,
        batchSize: 32,
        shuffle: false, // file order, so each element's label can be checked against its row
      });
      expect(ds.classes).toEqual(CLASSES);
      expect(ds.classCounts).toEqual(expected[split]);
      const counts = [0, 0, 0, 0];
      const labels: number[] = [];
      await ds.dataset.forEachAsync(({ xs, ys }) => {
        expect(xs.shape.slice(1)).toEqual([64, 64, 3]);
        for (const row of ys.arraySync()) {
          expect(row.reduce((a, b) => a + b)).toBe(1);
          labels.push(row.indexOf(1));
        }
        streamed += xs.shape[0];
        tf.dispose([xs, ys]);
        const rss = process.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        samples.push({ at: streamed, tensors: tf.memory().numTensors, rss });
      });
      for (const k of labels) counts[k]!++;
      expect(counts, `${split} counts`).toEqual(expected[split]);
      expect(labels, `${split} labels in file order`).toEqual(ds.rows.map((r) => r.classIndex));
      expect(ds.rows.every((r) => r.label === CLASSES[r.classIndex])).toBe(true);
      expect(ds.summary.skipped).toEqual([]);
      console.log(formatSummary(ds.summary));
    }
    const seconds = (performance.now() - start) / 1000;
    expect(streamed).toBe(3391);

    // Memory: at every batch boundary the only live tensors are the read-ahead (0 to prefetch = 4 decoded photos,
    // 2 tensors each, depending on how many decodes have finished), in the first 500 photos as in the last 500; a
    // leak of even one tensor per batch would add 100+ by the end. After the epochs, none at all.
    const first = samples.filter((s) => s.at <= 500);
    const last = samples.filter((s) => s.at > 3391 - 500);
    const alive = (list: typeof samples) => list.map((s) => s.tensors - baseline);
    for (const n of alive(samples)) expect(n).toBeGreaterThanOrEqual(0);
    for (const n of alive(samples)) expect(n).toBeLessThanOrEqual(2 * 4);
    expect(tf.memory().numTensors).toBe(baseline);
    const range = (list: typeof samples) => `${Math.min(...alive(list))}-${Math.max(...alive(list))}`;
    const rssAfter500 = first.at(-1)!.rss;
    const growth = (Math.max(...last.map((s) => s.rss)) - rssAfter500) / 2 ** 20;
    expect(growth, 'RSS growth (MiB) from photo 500 to the end').toBeLessThan(150);

    console.log(
      `eye-diseases stream: ${streamed} photos in ${seconds.toFixed(1)} s = ${(streamed / seconds).toFixed(0)} img/s ` +
        `(wasm, size 64, batch 32, prefetch 4); RSS ${(rss0 / 2 ** 20).toFixed(0)} MiB at start, peak ` +
        `${(peakRss / 2 ** 20).toFixed(0)} MiB, growth after photo 500: ${growth.toFixed(1)} MiB; ` +
        `tensors alive at a batch boundary: ${range(first)} over the first 500 photos, ${range(last)} over the last 500.`,
    );
  }, 300_000);

  it('reads the other label columns of the real CSV: grades with blanks, EyeQ quality, ODIR keywords', async () => {
    const grade = await fromCsv(csv, { labelColumn: 'dr_grade', task: 'grade', onError: 'skip', size: 64 });
    expect(grade.classCounts).toEqual([642, 53, 128, 25, 20]);
    expect(grade.summary.skipped).toHaveLength(2523);
    expect(new Set(grade.summary.skipped.map((s) => s.kind))).toEqual(new Set(['empty-label']));

    const quality = await fromCsv(csv, {
      labelColumn: 'eyeq_quality',
      task: 'binary',
      positive: ['1', '2'], // poor = usable or reject
      onError: 'skip',
      balance: 'classWeights',
    });
    expect(quality.classCounts).toEqual([202, 101]);
    expect(quality.classWeights).toEqual({ 0: 303 / (2 * 202), 1: 303 / (2 * 101) });

    const odir = await fromCsv(csv, { labelColumn: 'odir_keywords', task: 'multilabel', onError: 'skip' });
    expect(odir.classes).toHaveLength(30);
    expect(odir.rows).toHaveLength(3391 - 2043);
    const count = (k: string) => odir.classCounts[odir.classes.indexOf(k)];
    expect([
      count('normal fundus'),
      count('cataract'),
      count('glaucoma'),
      count('suspected glaucoma'),
    ]).toEqual([866, 231, 218, 34]);
    const row = odir.rows.find((r) => r.label === 'cataract，moderate non proliferative retinopathy')!;
    expect(row.target.reduce((a, b) => a + b)).toBe(2);
    expect(row.target[odir.classes.indexOf('moderate non proliferative retinopathy')]).toBe(1);
  });
});
