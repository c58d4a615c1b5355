import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { classWeightsFromCounts } from '../data/balance.js';
import { syntheticDataset } from '../data/synthetic/dataset.js';
import { InvalidArgumentError } from '../errors.js';
import { type BatchSource, type FineTuneProgress, fineTune } from './fine_tune.js';
import { getLearningRate, setLearningRate } from './learning_rate.js';
import { linearWarmup, stepDecay } from './schedules.js';

/** Batches kept in memory, yielded as fresh clones each epoch (fitDataset disposes what it is given). */
function memoryBatches(
  batches: { xs: number[]; ys: number[]; xShape: number[]; yShape: number[] }[],
): BatchSource {
  return {
    size: batches.length,
    iterator: async () => {
      let i = 0;
      return {
        next: async () =>
          i < batches.length
            ? {
                done: false,
                value: {
                  xs: tf.tensor(batches[i]!.xs, batches[i]!.xShape),
                  ys: tf.tensor(batches[i++]!.ys, batches[i - 1]!.yShape),
                },
              }
            : { done: true, value: undefined },
      };
    },
  };
}

/** 16 synthetic 64² fundus images (good / poor quality), rendered once. */
async function qualityBatches() {
  const out: { xs: number[]; ys: number[]; xShape: number[]; yShape: number[] }[] = [];
  for await (const { xs, ys } of syntheticDataset({
    n: 16,
    task: 'quality',
    size: 64,
    seed: 5,
    batchSize: 8,
  })) {
    out.push({
      xs: Array.from(await xs.data()),
      ys: Array.from(await ys.data()),
      xShape: xs.shape,
      yShape: ys.shape,
    });
    tf.dispose([xs, ys]);
  }
  return out;
}

/** A tiny conv net with Keras-style names and a BatchNormalization in the part phase 1 freezes. */
function tinyConvNet(): tfl.LayersModel {
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const input = tfl.input({ shape: [64, 64, 3] });
  let x = tfl.layers.rescaling({ scale: 1 / 255, offset: -0.5 }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 2, name: 'block1_conv1', kernelInitializer: init(1) })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'block1_bn' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      activation: 'relu',
      name: 'block2_conv1',
      kernelInitializer: init(2),
    })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 1, activation: 'sigmoid', name: 'predictions', kernelInitializer: init(3) })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: 'tiny' });
}

/** Every weight by its variable name, copied out. */
function weightsByName(model: tfl.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync())]));
}

function changed(a: Map<string, Float32Array>, b: Map<string, Float32Array>, prefix: string): boolean[] {
  return [...a.keys()]
    .filter((k) => k.startsWith(prefix))
    .map((k) => a.get(k)!.some((v, i) => v !== b.get(k)![i]));
}

describeEachBackend('fineTune', () => {
  let batches: Awaited<ReturnType<typeof qualityBatches>>;
  beforeAll(async () => {
    batches = await qualityBatches();
  });

  it('phase 1 trains the head only (BatchNorm statistics kept), phase 2 from block2_conv1; loss falls; no leaks', async () => {
    await expectNoLeaks(async () => {
      const model = tinyConvNet();
      const initial = weightsByName(model);
      const atPhaseEnd: Map<string, Float32Array>[] = [];
      const events: FineTuneProgress[] = [];
      const result = await fineTune(model, memoryBatches(batches), {
        phases: [
          { trainableFrom: null, epochs: 3, learningRate: 0.05, name: 'head' },
          { trainableFrom: 'block2_conv1', epochs: 3, learningRate: 0.01, optimizer: 'momentum' },
        ],
        onProgress: (p) => {
          events.push(p);
          if (p.event === 'epoch' && p.epoch === p.epochs - 1) atPhaseEnd.push(weightsByName(model));
        },
      });
      const [phase1, phase2] = atPhaseEnd as [Map<string, Float32Array>, Map<string, Float32Array>];
      expect(changed(initial, phase1, 'predictions')).toEqual([true, true]);
      expect(changed(initial, phase1, 'block2_conv1')).toEqual([false, false]);
      // gamma, beta, moving mean and variance: frozen BatchNorm runs in inference mode.
      expect(changed(initial, phase1, 'block1_')).toEqual([false, false, false, false, false, false]);
      expect(changed(phase1, phase2, 'block2_conv1')).toEqual([true, true]);
      expect(changed(phase1, phase2, 'predictions')).toEqual([true, true]);
      expect(changed(initial, phase2, 'block1_')).toEqual([false, false, false, false, false, false]);

      expect(result.history.map((h) => [h.phase, h.epoch, h.globalEpoch])).toEqual([
        [0, 0, 0],
        [0, 1, 1],
        [0, 2, 2],
        [1, 0, 3],
        [1, 1, 4],
        [1, 2, 5],
      ]);
      expect(result.history.map((h) => h.learningRate)).toEqual([0.05, 0.05, 0.05, 0.01, 0.01, 0.01]);
      const losses = result.history.map((h) => h.loss);
      expect(losses[5]!).toBeLessThan(losses[0]!);
      expect(losses[2]!).toBeLessThan(losses[0]!);
      // No validation data: the training loss is monitored; restored weights are those of the best epoch.
      expect(result.monitor).toBe('loss');
      expect(result.best!.value).toBe(Math.min(...losses));
      expect(result.stoppedEarly).toEqual([false, false]);

      const batchEvents = events.filter((e) => e.event === 'batch');
      expect(batchEvents).toHaveLength(12);
      expect(batchEvents.map((e) => e.batch)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
      expect(batchEvents.every((e) => e.batches === 2 && e.phases === 2)).toBe(true);
      expect(batchEvents[0]!.etaSeconds).toBeGreaterThan(0);
      expect(batchEvents.at(-1)!.etaSeconds).toBe(0);
      expect(events.filter((e) => e.event === 'epoch').map((e) => e.phaseName)).toEqual([
        'head',
        'head',
        'head',
        'phase 2',
        'phase 2',
        'phase 2',
      ]);
      model.dispose();
    });
  });

  it('early stopping on a scripted metric ends the phase; the best epoch is restored at the end', async () => {
    await expectNoLeaks(async () => {
      const model = tinyConvNet();
      const script = [0.2, 0.7, 0.4, 0.3, /* phase 2 */ 0.6, 0.65];
      let calls = 0;
      const snapshots: Map<string, Float32Array>[] = [];
      const data = memoryBatches(batches);
      const result = await fineTune(model, data, {
        validationData: data,
        phases: [
          { trainableFrom: 'block2_conv1', epochs: 6, learningRate: 0.02 },
          { trainableFrom: 'predictions', epochs: 2, learningRate: 0.02 },
        ],
        metrics: { scripted: () => script[calls++]! },
        monitor: 'scripted',
        patience: 2,
        onProgress: (p) => {
          if (p.event === 'epoch') snapshots.push(weightsByName(model));
        },
      });
      // Phase 1: 0.2 ↑, 0.7 ↑, 0.4, 0.3 → two without improvement: stop after 4 of 6 epochs.
      expect(result.history.map((h) => h.metrics.scripted)).toEqual(script);
      expect(result.history.map((h) => h.improved)).toEqual([true, true, false, false, false, false]);
      expect(result.stoppedEarly).toEqual([true, false]);
      expect(result.best).toEqual({ value: 0.7, phase: 0, epoch: 1, globalEpoch: 1 });
      expect(result.restoredBest).toBe(true);
      expect(result.history.every((h) => Number.isFinite(h.metrics.valLoss))).toBe(true);
      const now = weightsByName(model);
      expect(changed(snapshots[1]!, now, '').every((c) => !c)).toBe(true);
      expect(changed(snapshots[5]!, now, '').some((c) => c)).toBe(true);
      model.dispose();
    });
  });

  it('applies the schedule per batch: the optimiser moves w by exactly the scheduled rate (Adam, SGD)', async () => {
    // loss = mean(w · 1): gradient 1, so SGD moves w by −lr and Adam by −lr · 1/(1 + ε).
    const ones = { xs: [1, 1], ys: [0, 0], xShape: [2, 1], yShape: [2, 1] };
    const data = memoryBatches([ones, ones, ones]);
    const schedule = linearWarmup({
      target: 0.04,
      warmupSteps: 2,
      from: 0.01,
      after: stepDecay({ initial: 0.04, every: 2, factor: 0.5 }),
    });
    for (const optimizer of ['adam', 'sgd'] as const) {
      await expectNoLeaks(async () => {
        const model = tfl.sequential({
          layers: [
            tfl.layers.dense({ inputShape: [1], units: 1, useBias: false, kernelInitializer: 'zeros' }),
          ],
        });
        const w: number[] = [0];
        const rates: number[] = [];
        await fineTune(model, data, {
          phases: [{ trainableFrom: 0, epochs: 2, learningRate: schedule, optimizer }],
          loss: (_yTrue, yPred) => yPred,
          restoreBest: false,
          onProgress: (p) => {
            if (p.event !== 'batch') return;
            w.push(model.getWeights()[0]!.dataSync()[0]!);
            rates.push(p.learningRate);
          },
        });
        const expected = [0, 1, 2, 3, 4, 5].map(schedule);
        expect(rates).toEqual(expected); // 0.01, 0.025, 0.04, 0.04, 0.02, 0.02
        const steps = w.slice(1).map((v, i) => w[i]! - v);
        steps.forEach((s, i) => {
          expect(Math.abs(s - expected[i]!), `${optimizer} step ${i}`).toBeLessThan(2e-6);
        });
        model.dispose();
      });
    }
  });

  it('setLearningRate / getLearningRate on every tfjs-core optimiser', async () => {
    await expectNoLeaks(() => {
      const optimizers = [
        tf.train.sgd(0.1),
        tf.train.momentum(0.1, 0.9),
        tf.train.adam(0.1),
        tf.train.adamax(0.1),
        tf.train.adagrad(0.1),
        tf.train.adadelta(0.1),
        tf.train.rmsprop(0.1),
      ];
      for (const opt of optimizers) {
        setLearningRate(opt, 0.003);
        expect(getLearningRate(opt), opt.getClassName()).toBe(0.003);
        expect(opt.getConfig().learningRate, opt.getClassName()).toBe(0.003);
      }
      expect(() => setLearningRate(optimizers[0]!, -1)).toThrow(InvalidArgumentError);
      for (const opt of optimizers) opt.dispose();
      (optimizers[1] as unknown as { c: tf.Tensor }).c.dispose(); // tfjs 4.22: Momentum.dispose leaves it
    });
  });

  it('passes class weights to the loss (first-batch loss = mean of w_c · BCE before any update)', async () => {
    const data = memoryBatches([{ xs: [1, 1, 1, 1], ys: [1, 1, 0, 0], xShape: [4, 1], yShape: [4, 1] }]);
    const weights = classWeightsFromCounts([3, 1]); // {0: 2/3, 1: 2}
    let firstLoss = Number.NaN;
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [1], units: 1, activation: 'sigmoid', kernelInitializer: 'zeros' }),
      ],
    });
    await fineTune(model, data, {
      phases: [{ trainableFrom: 0, epochs: 1, learningRate: 0.1 }],
      classWeight: weights,
      onProgress: (p) => {
        if (p.event === 'batch' && p.batch === 0) firstLoss = p.metrics.loss!;
      },
    });
    // Output 0.5 everywhere at the start: BCE = ln 2 per sample; weights (2 + 2 + 2/3 + 2/3) / 4 = 4/3.
    expect(firstLoss).toBeCloseTo((4 / 3) * Math.LN2, 5);
    model.dispose();
  });

  it('freezes by layer name inside a nested backbone; null = the outer head', async () => {
    await expectNoLeaks(async () => {
      const backbone = tinyConvNet();
      const input = tfl.input({ shape: [64, 64, 3] });
      const features = backbone.apply(input) as tfl.SymbolicTensor;
      const head = tfl.layers.dense({ units: 1, activation: 'sigmoid', name: 'outer_head' }).apply(features);
      const model = tfl.model({ inputs: input, outputs: head as tfl.SymbolicTensor });
      const trainable: string[][] = [];
      await fineTune(model, memoryBatches(batches.slice(0, 1)), {
        phases: [
          { trainableFrom: null, epochs: 1, learningRate: 1e-3 },
          { trainableFrom: 'block2_conv1', epochs: 1, learningRate: 1e-3 },
        ],
        onProgress: (p) => {
          if (p.event === 'epoch') trainable.push(model.trainableWeights.map((w) => w.originalName).sort());
        },
      });
      expect(trainable).toEqual([
        ['outer_head/bias', 'outer_head/kernel'],
        [
          'block2_conv1/bias',
          'block2_conv1/kernel',
          'outer_head/bias',
          'outer_head/kernel',
          'predictions/bias',
          'predictions/kernel',
        ],
      ]);
      model.dispose();
    });
  });

  it('rejects bad arguments before training, naming them', async () => {
    const model = tinyConvNet();
    const data = memoryBatches(batches);
    const phase = { trainableFrom: null, epochs: 1, learningRate: 1e-3 };
    const cases: [Parameters<typeof fineTune>[2], string, RegExp][] = [
      [{ phases: [] }, 'phases', /non-empty/],
      [
        { phases: [{ ...phase, trainableFrom: 'block9_conv1' }] },
        'phases[0].trainableFrom',
        /block9_conv1.*block1_conv1/,
      ],
      [{ phases: [{ ...phase, epochs: 0 }] }, 'phases[0].epochs', /positive integer/],
      [{ phases: [{ ...phase, learningRate: -1 }] }, 'phases[0].learningRate', /positive/],
      [{ phases: [phase], monitor: 'kappa' }, 'monitor', /one of loss, but got 'kappa'/],
      [{ phases: [phase], metrics: { auc: () => 1 } }, 'metrics', /validationData/],
      [{ phases: [phase], patience: 1.5 }, 'patience', /patience/],
      [{ phases: [phase], headFrom: 'nope' }, 'headFrom', /nope/],
    ];
    for (const [args, argument, message] of cases) {
      const error = await fineTune(model, data, args).catch((e: unknown) => e);
      expect(error, argument).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect((error as Error).message).toMatch(message);
    }
    const bad = await fineTune(model, data, {
      phases: [phase, { ...phase, optimizer: 'lion' as never }],
    }).catch((e) => e);
    expect((bad as InvalidArgumentError).argument).toBe('phases[1].optimizer');
    expect(model.optimizer).toBeUndefined(); // nothing was compiled or trained
    model.dispose();
  });
});
