import * as tf from '@tensorflow/tfjs-core';
import { resnetShaped } from '../../test/support/reference_nets.js';
import type { BenchContext } from '../context.js';
import { modelGflopPerImage } from '../flops.js';

/** Train-step / forward time the wasm backend should stay under. */
export const TRAIN_FORWARD_TARGET = 3.5;
/** Batch sizes timed on each backend. wasm also trains at 1 and 2: batch 8 needs more than its 4 GiB heap. */
const PREDICT_BATCHES = { wasm: [1, 2, 8], cpu: [8] } as const;
const TRAIN_BATCHES = { wasm: [1, 2, 8], cpu: [8] } as const;
/** Timed runs on cpu, where predict takes ~1.5 min and a training step ~8 min at batch 8. */
const CPU_RUNS = 1;

const predictName = (b: number) => `resnet50 predict bs${b}`;
const trainName = (b: number) => `resnet50 train step bs${b}`;

/**
 * The ResNet-50-shaped network of test/support (keras.applications layout, 224², 1000 classes):
 * predict, and one `trainOnBatch` step (SGD, categorical cross-entropy, random data). On cpu these
 * take minutes: fewer runs, warmed up at batch 1.
 */
export async function benchResnet50(ctx: BenchContext): Promise<void> {
  const cpu = ctx.backend === 'cpu';
  const predictBatches = cpu ? PREDICT_BATCHES.cpu : PREDICT_BATCHES.wasm;
  const trainBatches = cpu ? TRAIN_BATCHES.cpu : TRAIN_BATCHES.wasm;
  const names = [...predictBatches.map(predictName), ...trainBatches.map(trainName)];
  if (!names.some((n) => ctx.selected(n))) return;

  const model = resnetShaped({ inputSize: 224, classes: 1000 });
  const optimizer = tf.train.sgd(0.01);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const perImage = modelGflopPerImage(model);
  const x8 = tf.randomUniform([8, 224, 224, 3]);
  const y8 = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.randomUniform([8], 0, 1000, 'int32') as tf.Tensor1D, 1000), 'float32'),
  );
  const xs = new Map([[8, x8]]);
  const ys = new Map([[8, y8]]);
  for (const b of [1, 2]) {
    xs.set(b, tf.slice(x8, 0, b));
    ys.set(b, tf.slice(y8, 0, b));
  }
  const predict = (b: number) => () => model.predict(xs.get(b)!) as tf.Tensor;
  const note = `${(perImage.forward / 2).toFixed(2)} GMAC/image (conv + dense)`;
  try {
    for (const b of predictBatches) {
      const slowCpu = cpu && b > 1; // warm up at batch 1
      await ctx.time(
        {
          id: `resnet50.predict.bs${b}`,
          workload: predictName(b),
          gflop: b * perImage.forward,
          runs: cpu ? CPU_RUNS : b === 8 ? 5 : 7,
          warmups: 1,
          ...(slowCpu ? { warmup: predict(1), heavy: true } : {}),
          torch: `resnet50 fwd bs=${b}`,
          note: slowCpu ? `${note}; cpu: warm-up at batch 1` : note,
        },
        predict(b),
      );
    }
    for (const b of trainBatches) {
      const spec = {
        id: `resnet50.train.bs${b}`,
        workload: trainName(b),
        gflop: b * perImage.train,
        ratio: {
          to: `resnet50.predict.bs${b}`,
          label: 'train/fwd',
          speedup: false,
          target: TRAIN_FORWARD_TARGET,
        },
        torch: `resnet50 train step bs=${b}`,
        note: 'SGD, categorical cross-entropy; GFLOP/s counts 3x the forward FLOPs',
      };
      const step = (batch: number) => async (): Promise<undefined> => {
        await model.trainOnBatch(xs.get(batch)!, ys.get(batch)!); // resolves once the loss is read back
        return undefined;
      };
      if (!cpu) {
        await ctx.time({ ...spec, runs: 5, warmups: 1 }, step(b));
      } else {
        const cpuNote = `${spec.note}; cpu: warm-up at batch 1, ${CPU_RUNS} timed run`;
        await ctx.time(
          { ...spec, runs: CPU_RUNS, warmups: 1, warmup: step(1), heavy: true, note: cpuNote },
          step(b),
        );
      }
    }
  } finally {
    tf.dispose([...xs.values(), ...ys.values()]);
    optimizer.dispose();
    model.dispose();
  }
}
