import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import type { DatasetBatch } from '../data/stream_dataset.js';
import { InvalidArgumentError } from '../errors.js';
import { registerHeadLayers } from '../heads/register_head_layers.js';
import { jointFineTune } from './joint_fine_tune.js';
import { selectBackbones } from './select_backbones.js';
import { TASK_PRESETS, taskLoss } from './task.js';

// Small branches (1/16 width, 32 px) so every check runs in seconds on cpu and wasm.
const SMALL = { widthMultiplier: 1 / 16 };
const SHAPE: [number, number, number] = [32, 32, 3];

function batch(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomUniform([n, ...SHAPE], 0, 1, 'float32', seed) as tf.Tensor4D;
    // Label: is the image's mean above 0.5 (learnable, and both classes present).
    const y = tf.cast(tf.reshape(tf.greater(tf.mean(x, [1, 2, 3]), 0.5), [n, 1]), 'float32') as tf.Tensor2D;
    return { x, y };
  });
}

function firstKernel(model: tfl.LayersModel): Float32Array {
  const w = model.getWeights()[0]!;
  return w.dataSync() as Float32Array;
}

describeEachBackend('jointFineTune', () => {
  it('trains on exactly the weighted sum of the branch losses (and the fused head’s)', async () => {
    const joint = await jointFineTune({
      branches: ['vgg16', 'resnet18'],
      task: TASK_PRESETS.quality,
      inputShape: SHAPE,
      backboneArgs: SMALL,
      fusion: 'concat',
      branchLossWeights: [1, 0.5],
      fusedLossWeight: 2,
      optimizer: tf.train.sgd(0), // the step's loss is computed before an update that changes nothing
    });
    const { x, y } = batch(4, 1);
    const reported = (await joint.trainingModel.trainOnBatch(x, joint.trainingTargets(y))) as number[];
    // The same outputs in training mode (batch-norm on batch statistics, as in the step), losses by hand.
    const outputs = joint.trainingModel.apply(x, { training: true }) as tf.Tensor[];
    const loss = taskLoss(TASK_PRESETS.quality);
    const parts = await Promise.all(
      outputs.map(async (o) => {
        const l = loss(y, o);
        const value = (await l.data())[0]!;
        l.dispose();
        return value;
      }),
    );
    const expected = parts[0]! * 1 + parts[1]! * 0.5 + parts[2]! * 2;
    expect(Math.abs(reported[0]! - expected) / expected).toBeLessThan(1e-5);
    expect(joint.trainingOutputNames).toHaveLength(3);
    tf.dispose([x, y, ...outputs]);
    joint.dispose();
  });

  it('gives every branch gradients, predicts the fused mean, and saves and reloads', async () => {
    const joint = await jointFineTune({
      branches: ['vgg16', 'resnet18'],
      task: TASK_PRESETS.eyeqQuality,
      inputShape: SHAPE,
      backboneArgs: SMALL,
      learningRate: 1e-2,
    });
    const branches = joint.branchNames.map((n) => joint.model.getLayer(n) as tfl.LayersModel);
    const before = branches.map(firstKernel);
    const { x, y: unused } = batch(4, 2);
    unused.dispose();
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3), 'float32'));
    await joint.trainingModel.trainOnBatch(x, joint.trainingTargets(y));
    for (const [i, b] of branches.entries()) expect(firstKernel(b)).not.toEqual(before[i]);

    const [fused, a, b] = joint.model.predict(x) as tf.Tensor[];
    const mean = tf.tidy(() => tf.div(tf.add(a!, b!), 2));
    expect(await fused!.array()).toEqual(await mean.array());
    const predicted = joint.predict(x);
    expect(await predicted.array()).toEqual(await fused!.array());
    predicted.dispose();

    let saved: tf.io.ModelArtifacts | undefined;
    await joint.model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    registerHeadLayers();
    const reloaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    const again = reloaded.predict(x) as tf.Tensor[];
    expect(await again[0]!.data()).toEqual(await fused!.data());
    tf.dispose([x, y, fused!, a!, b!, mean, ...again]);
    reloaded.dispose();
    joint.dispose();
  });

  it('rejects fewer than two branches, a bad fusion and mismatched loss weights', async () => {
    const task = TASK_PRESETS.quality;
    await expect(jointFineTune({ branches: ['vgg16'], task })).rejects.toThrow(InvalidArgumentError);
    await expect(
      jointFineTune({ branches: ['vgg16', 'resnet18'], task, fusion: 'max' as 'mean' }),
    ).rejects.toThrow(/fusion/);
    await expect(
      jointFineTune({ branches: ['vgg16', 'resnet18'], task, branchLossWeights: [1] }),
    ).rejects.toThrow(/branchLossWeights/);
    await expect(jointFineTune({ branches: ['vgg16', 'nope'], task, inputShape: SHAPE })).rejects.toThrow(
      /nope/,
    );
  });

  it('selectBackbones ranks candidates on validation data and feeds jointFineTune', async () => {
    const make = (seed: number) => {
      const { x, y } = batch(16, seed);
      const batches: DatasetBatch[] = [0, 8].map((s) => ({
        xs: tf.slice(x, s, 8) as tf.Tensor4D,
        ys: tf.slice(y, s, 8) as tf.Tensor2D,
      }));
      tf.dispose([x, y]);
      return batches;
    };
    const trainBatches = make(3);
    const valBatches = make(4);
    // Datasets that hand out clones, so the same batches serve every epoch and candidate.
    const ds = (bs: DatasetBatch[]) =>
      tfd.generator(function* () {
        for (const b of bs) yield { xs: tf.clone(b.xs), ys: tf.clone(b.ys) };
      }) as unknown as tfd.Dataset<DatasetBatch>;
    // AlexNet needs more than 32 px: the error names the input shape, before any training.
    await expect(
      selectBackbones(['alexnet'], ds(trainBatches), ds(valBatches), {
        task: TASK_PRESETS.quality,
        inputShape: SHAPE,
        topK: 1,
      }),
    ).rejects.toThrow(/inputShape/);
    const ok = await selectBackbones(['vgg16', 'resnet18'], ds(trainBatches), ds(valBatches), {
      task: TASK_PRESETS.quality,
      inputShape: SHAPE,
      backboneArgs: SMALL,
      topK: 2,
    });
    expect(ok.metric).toBe('auc');
    expect(ok.ranked.map((r) => r.name).sort()).toEqual(['resnet18', 'vgg16']);
    expect(ok.top).toHaveLength(2);
    for (const r of ok.ranked) {
      expect(r.scores.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.scores.accuracy).toBeLessThanOrEqual(1);
      expect(r.params).toBeGreaterThan(0);
    }
    const joint = await jointFineTune({ branches: ok, task: TASK_PRESETS.quality, inputShape: SHAPE });
    expect(joint.branchNames).toEqual(ok.top.map((t) => t.name));
    joint.dispose();
    tf.dispose([...trainBatches, ...valBatches]);
  });
});
