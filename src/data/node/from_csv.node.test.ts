import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../test/support/backends.js';
import { InvalidArgumentError } from '../../errors.js';
import { DatasetError } from '../data_errors.js';
import type { FundusDataset } from '../fundus_dataset.js';
import { parseCsv } from '../parse_csv.js';
import { formatSummary } from '../summary.js';
import { type FromCsvArgs, fromCsv } from './from_csv.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/data');
const fixture = (name: string) => join(FIXTURES, name);

/**
 * Writes the images a fixture CSV names into a fresh temp folder: a PNG per row whose red value is the row's
 * CSV line × 10 (sizes vary, so batching needs `size`), except `missing*` (left out) and `corrupt*` (text).
 */
async function imagesFor(csv: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'fundus-data-'));
  const { header, records } = parseCsv(readFileSync(fixture(csv), 'utf8'));
  const column = header.indexOf('image');
  for (const { line, fields } of records) {
    const cell = fields[column]?.trim();
    if (!cell || cell.includes('missing')) continue;
    const path = join(root, cell);
    mkdirSync(dirname(path), { recursive: true });
    if (cell.includes('corrupt')) {
      writeFileSync(path, 'this is not an image');
      continue;
    }
    const [w, h] = line % 2 ? [5, 4] : [4, 6];
    const pixels = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) pixels[i * 3] = line * 10;
    await sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toFile(path);
  }
  return root;
}

/** Streams one epoch; returns each element's CSV line (from its pixels) → ys, and disposes everything. */
async function byLine(ds: FundusDataset): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  await ds.dataset.forEachAsync(({ xs, ys }) => {
    const [b, h, w, c] = xs.shape;
    const pixels = xs.dataSync();
    const targets = ys.arraySync();
    for (let i = 0; i < b; i++) {
      const line = Math.round(pixels[i * h * w * c]! / 10);
      expect(out.has(line), `line ${line} twice in one epoch`).toBe(false);
      out.set(line, targets[i]!);
    }
    tf.dispose([xs, ys]);
  });
  return out;
}

let clean: string;
let bad: string;
let corrupt: string;
const open = (args: FromCsvArgs) =>
  fromCsv(fixture('clean.csv'), { root: clean, size: 4, batchSize: 3, ...args });

afterAll(() => {
  for (const root of [clean, bad, corrupt]) rmSync(root, { recursive: true, force: true });
});

beforeAll(async () => {
  await useBackend('wasm');
  [clean, bad, corrupt] = await Promise.all([
    imagesFor('clean.csv'),
    imagesFor('bad_rows.csv'),
    imagesFor('corrupt_only.csv'),
  ]);
});

describe('fromCsv labels, per task (clean.csv: BOM, CRLF, quoted path, blank line)', () => {
  it('multiclass: sorted classes, one-hot ys, every row once, line numbers past the blank line', async () => {
    const before = tf.memory().numTensors;
    const ds = await open({ labelColumn: 'diagnosis' });
    expect(ds.classes).toEqual(['cataract', 'glaucoma', 'normal']);
    expect(ds.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 8, 9, 10]);
    expect(ds.rows[4]!.file).toBe(join(clean, 'images/05, copy.png'));
    expect(ds.classCounts).toEqual([3, 2, 3]);
    const got = await byLine(ds);
    const [C, G, N] = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    expect(Object.fromEntries(got)).toEqual({ 2: N, 3: C, 4: G, 5: N, 6: C, 8: G, 9: N, 10: C });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('binary: 0/1 column as is; a named positive set', async () => {
    const dr = await open({ labelColumn: 'DR', task: 'binary' });
    expect(dr.classes).toEqual(['0', '1']);
    expect(Object.fromEntries(await byLine(dr))).toEqual({
      2: [0],
      3: [0],
      4: [1],
      5: [0],
      6: [1],
      8: [0],
      9: [0],
      10: [1],
    });
    const poor = await open({ labelColumn: 'quality', task: 'binary', positive: ['poor', 'reject'] });
    expect(poor.classes).toEqual(['not poor|reject', 'poor|reject']);
    expect(poor.classCounts).toEqual([5, 3]);
    expect(Object.fromEntries(await byLine(poor))).toEqual({
      2: [0],
      3: [1],
      4: [0],
      5: [0],
      6: [0],
      8: [1],
      9: [0],
      10: [1],
    });
    await expect(open({ labelColumn: 'quality', task: 'binary' })).rejects.toThrow(
      "fromCsv: task 'binary' needs to know which labels are positive: 'quality' holds 'good', 'poor', 'reject', 'usable'",
    );
  });

  it('grade: ordinal targets, "2.0" read as 2, a blank grade is an empty label', async () => {
    await expect(open({ labelColumn: 'dr_grade', task: 'grade' })).rejects.toThrow(
      `fromCsv: ${fixture('clean.csv')} line 3: ${join(clean, 'images/02.png')}: the grade cell is empty (empty-label).`,
    );
    const ds = await open({ labelColumn: 'dr_grade', task: 'grade', onError: 'skip' });
    expect(ds.classCounts).toEqual([3, 1, 1, 1, 1]);
    expect(ds.summary.skipped).toEqual([
      { line: 3, file: join(clean, 'images/02.png'), kind: 'empty-label', reason: 'the grade cell is empty' },
    ]);
    expect(Object.fromEntries(await byLine(ds))).toEqual({
      2: [0, 0, 0, 0],
      4: [1, 1, 0, 0],
      5: [0, 0, 0, 0],
      6: [1, 0, 0, 0],
      8: [1, 1, 1, 1],
      9: [0, 0, 0, 0],
      10: [1, 1, 1, 0],
    });
    const onehot = await open({
      labelColumn: 'dr_grade',
      task: 'grade',
      onError: 'skip',
      gradeEncoding: 'onehot',
    });
    expect((await byLine(onehot)).get(8)).toEqual([0, 0, 0, 0, 1]);
  });

  it('multilabel from a keyword column: full-width and ASCII commas, a trailing separator', async () => {
    const ds = await open({ labelColumn: 'keywords', task: 'multilabel', balance: 'classWeights' });
    expect(ds.classes).toEqual(['cataract', 'glaucoma', 'lens dust', 'normal fundus', 'suspected glaucoma']);
    expect(ds.classCounts).toEqual([3, 3, 1, 3, 1]);
    expect(ds.positiveWeights).toEqual([5 / 3, 5 / 3, 7, 5 / 3, 7]);
    expect(ds.classWeights).toBeUndefined();
    expect(Object.fromEntries(await byLine(ds))).toEqual({
      2: [0, 0, 0, 1, 0],
      3: [1, 0, 1, 0, 0],
      4: [0, 1, 0, 0, 0],
      5: [0, 0, 0, 1, 0],
      6: [1, 1, 0, 0, 0],
      8: [0, 0, 0, 0, 1],
      9: [0, 0, 0, 1, 0],
      10: [1, 1, 0, 0, 0],
    });
  });

  it('multilabel from 0/1 columns', async () => {
    const ds = await open({ labelColumns: ['DR', 'ARMD'], task: 'multilabel' });
    expect(ds.classes).toEqual(['DR', 'ARMD']);
    expect((await byLine(ds)).get(6)).toEqual([1, 1]);
    await expect(open({ labelColumns: ['DR'] })).rejects.toThrow(InvalidArgumentError);
  });

  it('split by column: subsets agree on classes and partition the rows', async () => {
    const train = await open({ labelColumn: 'diagnosis', split: { column: 'split', value: 'train' } });
    const val = await open({ labelColumn: 'diagnosis', split: { column: 'split', value: 'val' } });
    expect(val.classes).toEqual(train.classes);
    expect(train.rows.map((r) => r.line)).toEqual([2, 3, 5, 6, 8, 10]);
    expect([...(await byLine(val)).keys()].sort((a, b) => a - b)).toEqual([4, 9]);
    expect(val.summary).toMatchObject({ rows: 8, used: 2, skipped: [] });
  });

  it('without size, photos of different sizes stop the batch with a clear message', async () => {
    const ds = await fromCsv(fixture('clean.csv'), { root: clean, labelColumn: 'diagnosis', shuffle: false });
    await expect(byLine(ds)).rejects.toThrow(
      /line 3: .*02\.png: the image is \[4,5,3\] but .*01\.png was \[6,4,3\]; .*pass size/,
    );
  });
});

describe('fromCsv bad rows (bad_rows.csv)', () => {
  const openBad = (args: FromCsvArgs = {}) =>
    fromCsv(fixture('bad_rows.csv'), { root: bad, size: 4, classes: ['a', 'b'], ...args });

  it("'throw' (default): the first bad row, with its line and file, and how many more", async () => {
    const error = (await openBad().catch((e: unknown) => e)) as DatasetError;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ kind: 'missing-file', line: 3, file: join(bad, 'images/missing.png') });
    expect(error.message).toBe(
      `fromCsv: ${fixture('bad_rows.csv')} line 3: ${join(bad, 'images/missing.png')}: no such file (missing-file). ` +
        "There are 4 more bad rows; onError: 'skip' skips them and lists them in summary.skipped.",
    );
  });

  it("'skip': every bad kind recorded with line, file and reason; decode failures as the epoch meets them", async () => {
    const ds = await openBad({ onError: 'skip' });
    expect(ds.rows.map((r) => r.line)).toEqual([2, 4, 9]);
    const eager = ds.summary.skipped.map(({ line, kind }) => [line, kind]);
    expect(eager).toEqual([
      [3, 'missing-file'],
      [5, 'unknown-label'],
      [6, 'empty-label'],
      [7, 'malformed-row'],
      [8, 'missing-file'],
    ]);
    expect(ds.summary.skipped[2]!.reason).toBe("the 'label' cell is empty");
    expect(ds.summary.skipped[3]!.reason).toBe(
      'the row has 3 fields but the header has 2 (an unquoted delimiter?)',
    );
    expect(ds.summary.skipped[4]!.reason).toBe("the 'image' cell is empty");
    expect([...(await byLine(ds)).keys()].sort()).toEqual([2, 9]);
    expect(ds.summary.skipped).toHaveLength(6);
    expect(ds.summary.skipped[5]).toMatchObject({
      line: 4,
      kind: 'undecodable-image',
      file: join(bad, 'images/corrupt.png'),
    });
    expect(ds.summary.used).toBe(2);
    const line = formatSummary(ds.summary, 2);
    expect(line).toBe(
      `fromCsv ${fixture('bad_rows.csv')}: 2 rows used, 6 skipped: line 3 ${join(bad, 'images/missing.png')} ` +
        `(missing-file: no such file); line 5 ${join(bad, 'images/ok_b.png')} (unknown-label: 'zzz' is not one of ` +
        "the classes ('a', 'b')); and 4 more.",
    );
    expect(line).not.toContain('\n');
    // A second epoch does not decode the broken image again, nor list it twice.
    expect([...(await byLine(ds)).keys()].sort()).toEqual([2, 9]);
    expect(ds.summary.skipped).toHaveLength(6);
  });

  // Each bad row alone after a good one (so it is on line 3): 'throw' names its kind, line and file.
  it.each([
    ['missing-file', 'images/missing.png,a', 'images/missing.png'],
    ['unknown-label', 'images/ok_b.png,zzz', 'images/ok_b.png'],
    ['empty-label', 'images/ok_c.png,', 'images/ok_c.png'],
    ['malformed-row', 'images/ok_d.png,a,extra', 'images/ok_d.png'],
    ['missing-file', ',b', '(row 3)'],
    ['undecodable-image', 'images/corrupt.png,b', 'images/corrupt.png'],
  ])("'throw' on %s (%s)", async (kind, row, file) => {
    const csv = join(bad, `only_${kind}.csv`);
    writeFileSync(csv, `image,label\nimages/ok_a.png,a\n${row}\n`);
    const open = () => fromCsv(csv, { size: 4, classes: ['a', 'b'] });
    const error = (await open()
      .then((ds) => byLine(ds)) // decode errors surface while streaming
      .catch((e: unknown) => e)) as DatasetError;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.kind).toBe(kind);
    expect(error.line).toBe(3);
    expect(error.file).toBe(file.startsWith('(') ? file : join(bad, file));
    expect(error.message).toContain(`${csv} line 3: `);
    const skipped = await fromCsv(csv, { size: 4, classes: ['a', 'b'], onError: 'skip' });
    expect([...(await byLine(skipped)).keys()]).toEqual([2]);
    expect(skipped.summary.skipped).toMatchObject([{ line: 3, kind }]);
  });

  it("an undecodable image under 'throw' fails the epoch lazily, naming line and file, and leaks nothing", async () => {
    const ds = await fromCsv(fixture('corrupt_only.csv'), {
      root: corrupt,
      size: 4,
      batchSize: 2,
      shuffle: false,
    });
    const before = tf.memory().numTensors;
    const error = (await byLine(ds).catch((e: unknown) => e)) as DatasetError;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({
      kind: 'undecodable-image',
      line: 4,
      file: join(corrupt, 'images/corrupt.png'),
    });
    expect(error.message).toMatch(
      /^fromCsv: .*corrupt_only\.csv line 4: .*corrupt\.png: readImage: .* is not a decodable image/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('whole-file problems throw whatever onError says: missing CSV, empty CSV, missing column, empty subset', async () => {
    const kinds = async (path: string, args: FromCsvArgs) =>
      (
        (await fromCsv(path, { root: clean, onError: 'skip', ...args }).catch(
          (e: unknown) => e,
        )) as DatasetError
      ).kind;
    expect(await kinds(fixture('nope.csv'), {})).toBe('missing-file');
    expect(await kinds(fixture('empty.csv'), {})).toBe('empty-csv');
    expect(await kinds(fixture('header_only.csv'), {})).toBe('empty-csv');
    await expect(fromCsv(fixture('clean.csv'), { labelColumn: 'label' })).rejects.toThrow(
      `fromCsv: ${fixture('clean.csv')} line 1: no column 'label' (labelColumn); the columns are 'image', 'diagnosis', ` +
        "'dr_grade', 'keywords', 'DR', 'ARMD', 'quality', 'split'.",
    );
    expect(await kinds(fixture('clean.csv'), { labelColumn: 'diagnosis', imageColumn: 'path' })).toBe(
      'missing-column',
    );
    expect(
      await kinds(fixture('clean.csv'), { labelColumn: 'diagnosis', split: { column: 'fold', value: '1' } }),
    ).toBe('missing-column');
    await expect(
      open({ labelColumn: 'diagnosis', split: { column: 'split', value: 'test' } }),
    ).rejects.toThrow(/nothing to stream: no valid row has split = test \(values found: train, val\)/);
  });
});

describe('fromCsv balancing and ratio splits', () => {
  it('oversample repeats rows up to the largest class each epoch; classWeights are n / (k · n_c)', async () => {
    const over = await open({ labelColumn: 'diagnosis', balance: 'oversample' });
    expect(over.size).toBe(9); // 3 classes × 3
    let count = 0;
    await over.dataset.forEachAsync(({ xs, ys }) => {
      count += xs.shape[0];
      tf.dispose([xs, ys]);
    });
    expect(count).toBe(9);
    const weighted = await open({ labelColumn: 'diagnosis', balance: 'classWeights' });
    expect(weighted.classWeights).toEqual({ 0: 8 / 9, 1: 8 / 6, 2: 8 / 9 });
  });

  it('a seeded stratified ratio split is deterministic and partitions the rows', async () => {
    const side = (subset: 'train' | 'val', seed = 1) =>
      open({ labelColumn: 'diagnosis', split: { ratio: 0.34, subset, seed } }).then((d) =>
        d.rows.map((r) => r.line!),
      );
    const val = await side('val');
    const train = await side('train');
    expect(val).toHaveLength(3); // round(0.34 · 3) + round(0.34 · 2) + round(0.34 · 3) = 1 + 1 + 1
    expect([...val, ...train].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 8, 9, 10]);
    expect(await side('val')).toEqual(val);
  });
});
