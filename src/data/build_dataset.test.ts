import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import { ImageDecodeError, InvalidArgumentError } from '../errors.js';
import { compose } from '../preprocess/compose.js';
import { fundusPipeline } from '../preprocess/fundus_pipeline.js';
import { IMAGENET_BGR_MEAN, vggPreprocess } from '../preprocess/vgg_preprocess.js';
import { type BuildSpec, buildDataset, type SourceRow } from './build_dataset.js';
import { DatasetError } from './data_errors.js';
import type { DatasetArgs } from './dataset_args.js';
import type { DatasetBatch } from './stream_dataset.js';

/**
 * In-memory rows: `img-<id>` decodes to a 2×2 image filled with <id> (so each element says which row it came
 * from), `big-<id>` to 4×4, `corrupt-<id>` and `gone-<id>` fail like readImage does.
 */
function load(file: string): Promise<tf.Tensor3D> {
  const [kind, id] = file.split('-') as [string, string];
  if (kind === 'corrupt')
    return Promise.reject(new ImageDecodeError(file, `readImage: ${file} is not a decodable image.`));
  if (kind === 'gone') {
    const cause = Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return Promise.reject(new ImageDecodeError(file, `readImage: cannot read ${file}: no such file.`, cause));
  }
  const side = kind === 'big' ? 4 : 2;
  return Promise.resolve(tf.fill([side, side, 3], Number(id)) as tf.Tensor3D);
}

/** Rows `img-0` … with labels cycling through `labels`, CSV lines from 2. */
function rows(labels: string[], files?: string[]): SourceRow[] {
  return labels.map((label, i) => ({
    file: files?.[i] ?? `img-${i}`,
    line: i + 2,
    labels: [label],
    subset: i % 4 === 0 ? 'val' : 'train',
  }));
}

function spec(sourceRows: SourceRow[], args: DatasetArgs, extra: Partial<BuildSpec> = {}): BuildSpec {
  return {
    fn: 'test',
    source: 'mem.csv',
    rows: sourceRows,
    labelColumns: ['label'],
    flagColumns: false,
    args,
    split: undefined,
    checkFile: undefined,
    load,
    ...extra,
  };
}

/** Drains a batched dataset: per element, the row id (from the pixels) and its ys. Disposes every batch. */
async function drain(
  dataset: Dataset<DatasetBatch>,
): Promise<{ ids: number[]; ys: number[][]; batches: number[] }> {
  const ids: number[] = [];
  const ys: number[][] = [];
  const batches: number[] = [];
  // Async reads: webgpu cannot read synchronously (dataSync returns zeros on SwiftShader).
  const iterator = await dataset.iterator();
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const { xs, ys: y } = next.value;
    const [b, h, w, c] = xs.shape;
    const pixels = await xs.data();
    const targets = (await y.array()) as number[][];
    for (let i = 0; i < b; i++) {
      ids.push(Math.round(pixels[i * h * w * c]!));
      ys.push(targets[i]!);
    }
    batches.push(b);
    tf.dispose([xs, y]);
  }
  return { ids, ys, batches };
}

const labels = ['a', 'b', 'a', 'c', 'a', 'b', 'a', 'a', 'b', 'a']; // a ×6, b ×3, c ×1

describeEachBackend('buildDataset (streaming)', () => {
  it('streams every row once per epoch with the right label, through shuffle and prefetch, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const ds = await buildDataset(spec(rows(labels), { batchSize: 4, prefetch: 3, seed: 5 }));
    expect(ds.classes).toEqual(['a', 'b', 'c']);
    expect(ds.classCounts).toEqual([6, 3, 1]);
    expect(ds.size).toBe(10);
    expect(ds.batchesPerEpoch).toBe(3);
    const epoch1 = await drain(ds.dataset);
    expect(epoch1.batches).toEqual([4, 4, 2]);
    expect([...epoch1.ids].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch1.ids).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // shuffled
    const oneHot = { a: [1, 0, 0], b: [0, 1, 0], c: [0, 0, 1] } as Record<string, number[]>;
    for (const [i, id] of epoch1.ids.entries())
      expect(epoch1.ys[i], `row ${id}`).toEqual(oneHot[labels[id]!]);
    const epoch2 = await drain(ds.dataset);
    expect(epoch2.ids).not.toEqual(epoch1.ids); // a new order each epoch …
    const again = await buildDataset(spec(rows(labels), { batchSize: 4, prefetch: 1, seed: 5 }));
    expect((await drain(again.dataset)).ids).toEqual(epoch1.ids); // … reproducible from the seed
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps file order without shuffle, and unbatched elements are [H, W, 3] / [k]', async () => {
    const ds = await buildDataset(spec(rows(labels), { shuffle: false, batchSize: 3, dropRemainder: true }));
    const { ids, batches } = await drain(ds.dataset);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(batches).toEqual([3, 3, 3]);
    expect(ds.batchesPerEpoch).toBe(3);
    const shapes: number[][] = [];
    await ds.elements.forEachAsync((element) => {
      shapes.push([...element.xs.shape, ...element.ys.shape]);
      tf.dispose(element);
    });
    expect(shapes).toHaveLength(10);
    for (const shape of shapes) expect(shape).toEqual([2, 2, 3, 3]); // xs [2, 2, 3], ys [3]
  });

  it('resizes to size, applies the transform first, and disposes what it replaced', async () => {
    const files = labels.map((_, i) => (i % 2 ? `big-${i}` : `img-${i}`));
    const before = tf.memory().numTensors;
    const ds = await buildDataset(
      spec(rows(labels, files), {
        shuffle: false,
        size: [3, 5],
        transform: (x) => tf.add(x, 100) as tf.Tensor3D,
      }),
    );
    const batch = (await (await ds.dataset.iterator()).next()).value as DatasetBatch;
    expect(batch.xs.shape).toEqual([10, 3, 5, 3]);
    expect(Math.round((await batch.xs.data())[3 * 5 * 3]!)).toBe(101); // row 1 (a big one), plus 100
    tf.dispose(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes a compose(...) pipeline of package transforms as its transform', async () => {
    const ds = await buildDataset(
      spec(rows(labels), { shuffle: false, batchSize: 10, transform: compose((x) => vggPreprocess(x)) }),
    );
    const { ids } = await drain(ds.dataset);
    // Row 0 is all zeros: BGR minus the ImageNet mean, blue first.
    expect(ids[0]).toBe(Math.round(-IMAGENET_BGR_MEAN[0]));
  });

  it('takes an async transform (a fundusPipeline) and its image, freeing what it made', async () => {
    const before = tf.memory().numTensors;
    const ds = await buildDataset(
      spec(rows(labels), {
        shuffle: false,
        batchSize: 10,
        transform: fundusPipeline({ size: 4, crop: false, normalize: 'tf' }),
      }),
    );
    const batch = (await (await ds.dataset.iterator()).next()).value as DatasetBatch;
    expect(batch.xs.shape).toEqual([10, 4, 4, 3]);
    const xs = await batch.xs.data();
    // Row 1 is all ones: 1 / 127.5 − 1 after the resize (constant images stay constant).
    expect(xs[4 * 4 * 3]).toBeCloseTo(1 / 127.5 - 1, 5);
    tf.dispose(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a plain function returning a promise is refused as a transform failure', async () => {
    const ds = await buildDataset(
      spec(rows(labels), {
        shuffle: false,
        transform: ((x: tf.Tensor3D) => Promise.resolve(x)) as unknown as (x: tf.Tensor3D) => tf.Tensor3D,
      }),
    );
    const error = await drain(ds.dataset).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).kind).toBe('transform-failed');
  });

  it('refuses to batch images of different sizes without size, naming both files', async () => {
    const files = labels.map((_, i) => (i === 3 ? 'big-3' : `img-${i}`));
    const ds = await buildDataset(spec(rows(labels, files), { shuffle: false }));
    const before = tf.memory().numTensors;
    const error = await drain(ds.dataset).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).kind).toBe('shape-mismatch');
    expect((error as DatasetError).message).toMatch(
      /mem\.csv line 5: big-3: the image is \[4,4,3\] but img-0 was \[2,2,3\]; .*pass size/,
    );
    expect(tf.memory().numTensors).toBe(before); // the partial batch and the read-ahead were freed
  });

  it("onError 'throw': an undecodable image stops the epoch with the file and line", async () => {
    const files = labels.map((_, i) => (i === 6 ? 'corrupt-6' : `img-${i}`));
    const ds = await buildDataset(spec(rows(labels, files), { shuffle: false, batchSize: 2 }));
    const error = (await drain(ds.dataset).catch((e: unknown) => e)) as DatasetError;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.kind).toBe('undecodable-image');
    expect(error.line).toBe(8);
    expect(error.file).toBe('corrupt-6');
    expect(error.message).toBe(
      'test: mem.csv line 8: corrupt-6: readImage: corrupt-6 is not a decodable image. (undecodable-image)',
    );
    expect(error.cause).toBeInstanceOf(ImageDecodeError);
  });

  it("onError 'skip': records each failure once, and later epochs pass over it", async () => {
    const files = labels.map((_, i) => (i === 2 ? 'corrupt-2' : i === 7 ? 'gone-7' : `img-${i}`));
    const ds = await buildDataset(spec(rows(labels, files), { onError: 'skip', batchSize: 3 }));
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 2; epoch++) {
      const { ids } = await drain(ds.dataset);
      expect([...ids].sort((x, y) => x - y)).toEqual([0, 1, 3, 4, 5, 6, 8, 9]);
    }
    expect(ds.summary.used).toBe(8);
    expect(ds.summary.skipped.map(({ line, file, kind }) => ({ line, file, kind }))).toEqual(
      expect.arrayContaining([
        { line: 4, file: 'corrupt-2', kind: 'undecodable-image' },
        { line: 9, file: 'gone-7', kind: 'missing-file' },
      ]),
    );
    expect(ds.summary.skipped).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a failing transform stops the stream whatever onError says; other errors pass through', async () => {
    const ds = await buildDataset(
      spec(rows(labels), {
        onError: 'skip',
        transform: () => {
          throw new Error('boom');
        },
      }),
    );
    await expect(drain(ds.dataset)).rejects.toMatchObject({
      kind: 'transform-failed',
      message: expect.stringMatching(/preprocessing failed: boom/),
    });
    const broken = await buildDataset(
      spec(rows(labels), { onError: 'skip' }, { load: () => Promise.reject(new TypeError('no sharp')) }),
    );
    await expect(drain(broken.dataset)).rejects.toThrow(TypeError);
  });

  it('oversample and undersample change the epoch, classWeights only report', async () => {
    const over = await buildDataset(spec(rows(labels), { balance: 'oversample', batchSize: 5 }));
    expect(over.size).toBe(18);
    const { ids } = await drain(over.dataset);
    const perClass = (list: number[]) =>
      ['a', 'b', 'c'].map((c) => list.filter((id) => labels[id] === c).length);
    expect(perClass(ids)).toEqual([6, 6, 6]);
    const under = await buildDataset(spec(rows(labels), { balance: 'undersample' }));
    expect(under.size).toBe(3);
    expect(perClass((await drain(under.dataset)).ids)).toEqual([1, 1, 1]);
    const weighted = await buildDataset(spec(rows(labels), { balance: 'classWeights' }));
    expect(weighted.size).toBe(10);
    expect(weighted.classWeights).toEqual({ 0: 10 / 18, 1: 10 / 9, 2: 10 / 3 });
    expect(over.classWeights).toBeUndefined();
  });

  it('is a tf.data.Dataset that model.fitDataset trains on, with classWeight', async () => {
    const ds = await buildDataset(spec(rows(labels), { batchSize: 4, balance: 'classWeights' }));
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [2, 2, 3] }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const before = tf.memory().numTensors;
    const history = await model.fitDataset(ds.dataset, {
      epochs: 2,
      verbose: 0,
      classWeight: ds.classWeights!,
    });
    expect(history.history.loss).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before); // fitDataset disposed every batch
    model.dispose();
  });
});

it('buildDataset validates labels eagerly: throw names the first bad row, skip records them all', async () => {
  const bad = ['a', '', 'a', 'zzz', 'b'];
  const error = (await buildDataset(spec(rows(bad), { classes: ['a', 'b'] })).catch(
    (e: unknown) => e,
  )) as DatasetError;
  expect(error).toBeInstanceOf(DatasetError);
  expect(error.kind).toBe('empty-label');
  expect(error.line).toBe(3);
  expect(error.message).toBe(
    "test: mem.csv line 3: img-1: the 'label' cell is empty (empty-label). There are 1 more bad rows; onError: 'skip' skips them and lists them in summary.skipped.",
  );
  const ds = await buildDataset(spec(rows(bad), { classes: ['a', 'b'], onError: 'skip' }));
  expect(ds.rows.map((r) => r.line)).toEqual([2, 4, 6]);
  expect(ds.summary).toMatchObject({ rows: 5, used: 3 });
  expect(ds.summary.skipped).toEqual([
    { line: 3, file: 'img-1', kind: 'empty-label', reason: "the 'label' cell is empty" },
    { line: 5, file: 'img-3', kind: 'unknown-label', reason: "'zzz' is not one of the classes ('a', 'b')" },
  ]);
});

it('buildDataset splits by column (classes from all rows) and by a seeded stratified ratio', async () => {
  const val = await buildDataset(spec(rows(labels), {}, { split: { column: 'split', value: 'val' } }));
  expect(val.rows.map((r) => r.line)).toEqual([2, 6, 10]);
  expect(val.classes).toEqual(['a', 'b', 'c']); // 'c' is only in train
  const many = Array.from({ length: 40 }, (_, i) => (i < 30 ? 'a' : 'b'));
  const train = await buildDataset(spec(rows(many), {}, { split: { ratio: 0.2, subset: 'train', seed: 3 } }));
  const held = await buildDataset(spec(rows(many), {}, { split: { ratio: 0.2, subset: 'val', seed: 3 } }));
  expect(train.classCounts).toEqual([24, 8]);
  expect(held.classCounts).toEqual([6, 2]);
  const lines = [...train.rows, ...held.rows].map((r) => r.line);
  expect(new Set(lines).size).toBe(40);
  await expect(
    buildDataset(spec(rows(labels), {}, { split: { column: 'split', value: 'test' } })),
  ).rejects.toThrow(
    'test: mem.csv: nothing to stream: no valid row has split = test (values found: train, val).',
  );
});

it('buildDataset checks its arguments', async () => {
  const bad: [DatasetArgs, RegExp][] = [
    [{ batchSize: 0 }, /batchSize must be a positive integer/],
    [{ prefetch: 1.5 }, /prefetch must be a positive integer/],
    [{ onError: 'ignore' as never }, /onError must be 'throw', 'skip'/],
    [{ balance: 'smote' as never }, /balance must be/],
    [{ size: [0, 3] }, /size must be a positive integer or \[height, width\]/],
    [{ task: 'multilabel', balance: 'oversample' }, /resamples by class/],
    [{ task: 'grade', balance: 'classWeights' }, /ordinal targets do not encode/],
  ];
  for (const [args, message] of bad) {
    const grades = args.task === 'grade' ? rows(['0', '1']) : rows(labels);
    await expect(buildDataset(spec(grades, args)), JSON.stringify(args)).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(buildDataset(spec(grades, args))).rejects.toThrow(message);
  }
});
