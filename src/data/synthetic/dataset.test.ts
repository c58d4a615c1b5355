import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { InvalidArgumentError } from '../../errors.js';
import { type SyntheticTask, syntheticDataset } from './dataset.js';
import { syntheticFundus } from './fundus.js';

/** All label rows of a dataset, disposing each batch. */
async function labels(task: SyntheticTask, n: number, balanced = true): Promise<number[][]> {
  const rows: number[][] = [];
  const ds = syntheticDataset({ n, task, size: 64, seed: 1, batchSize: 8, balanced });
  for await (const { xs, ys } of ds) {
    expect(xs.shape.slice(1)).toEqual([64, 64, 3]);
    rows.push(...((await ys.array()) as number[][]));
    tf.dispose([xs, ys]);
  }
  return rows;
}

describeEachBackend('syntheticDataset', () => {
  it('streams batches of the right shapes, the last one partial, without leaking', async () => {
    await expectNoLeaks(async () => {
      const ds = syntheticDataset({ n: 5, task: 'grade', size: 64, batchSize: 2 });
      expect(ds.size).toBe(3);
      expect(ds.labelNames).toEqual(['0', '1', '2', '3', '4']);
      const shapes: number[][] = [];
      for await (const { xs, ys } of ds) {
        shapes.push([...xs.shape, ...ys.shape]);
        tf.dispose([xs, ys]);
      }
      expect(shapes).toEqual([
        [2, 64, 64, 3, 2, 5],
        [2, 64, 64, 3, 2, 5],
        [1, 64, 64, 3, 1, 5],
      ]);
    });
  });

  it('balances classes: every run of K samples holds each class once', async () => {
    const grades = (await labels('grade', 10)).map((row) => row.indexOf(1));
    expect([...grades.slice(0, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...grades.slice(5)].sort()).toEqual([0, 1, 2, 3, 4]);
    const quality = (await labels('quality', 8)).map((row) => row[0]);
    expect(quality.filter((q) => q === 1)).toHaveLength(4);
    const anomaly = (await labels('anomaly', 8)).map((row) => row[0]);
    expect(anomaly.filter((a) => a === 1)).toHaveLength(4);
  });

  it('labels lesions multi-hot from what was drawn, and replays each sample by its arguments', async () => {
    const ds = syntheticDataset({ n: 6, task: 'lesions', size: 64, seed: 3, batchSize: 6 });
    const rows = await labels('lesions', 6);
    expect(rows.every((r) => r.length === 4 && r.every((v) => v === 0 || v === 1))).toBe(true);
    const it0 = await ds.iterator();
    const first = (await it0.next()).value!;
    const ys = (await first.ys.array()) as number[][];
    for (let i = 0; i < 6; i++) {
      const f = syntheticFundus({ ...ds.sampleArgs(i), size: 64 });
      expect(ys[i]).toEqual(['MA', 'HE', 'EX', 'SE'].map((t) => (f.lesionCounts[t as 'MA'] > 0 ? 1 : 0)));
      if (i === 0) expect(await f.image.data()).toEqual((await first.xs.data()).slice(0, 64 * 64 * 3));
      f.dispose();
    }
    tf.dispose([first.xs, first.ys]);
  });

  it('follows screening-like priors when not balanced', async () => {
    const grades = (await labels('grade', 24, false)).map((row) => row.indexOf(1));
    expect(grades.filter((g) => g === 0).length).toBeGreaterThan(10);
  });

  it('rejects bad arguments, naming them', () => {
    const bad = (args: object, argument: string) => {
      try {
        syntheticDataset(args as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).toBe(argument);
      }
    };
    bad({ n: 0, task: 'grade' }, 'n');
    bad({ n: 4, task: 'segmentation' }, 'task');
    bad({ n: 4, task: 'grade', size: 63 }, 'size');
    bad({ n: 4, task: 'grade', batchSize: 0 }, 'batchSize');
    bad({ n: 4, task: 'grade', balanced: 'yes' }, 'balanced');
    bad({ n: 4, task: 'grade', seed: 1.5 }, 'seed');
    expect(() => syntheticDataset({ n: 4, task: 'grade' }).sampleArgs(4)).toThrow('sample index');
  });
});

// The Dataset contract is backend-independent; one backend keeps SwiftShader from compiling a training graph.
describeEachBackend('syntheticDataset with fitDataset', () => {
  it('trains a model with fitDataset (which disposes the batches)', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [64, 64, 3] }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const before = tf.memory().numTensors;
    const history = await model.fitDataset(
      syntheticDataset({ n: 4, task: 'anomaly', size: 64, batchSize: 2 }),
      {
        epochs: 1,
        verbose: 0,
      },
    );
    expect(history.history.loss).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
}, ['cpu']);
