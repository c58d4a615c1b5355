import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createBackbone } from '../../src/index.js';
import type { BenchContext, CaseSpec } from '../context.js';
import { modelGflopPerImage } from '../flops.js';
import type { Step } from '../harness.js';

/** Train-step / forward time every backbone should stay under on wasm at batch 8. */
export const TRAIN_FORWARD_TARGET = 3.5;

/**
 * The model zoo, in the order timed: the largest training steps last, since a step that runs the wasm heap
 * (4 GiB) out of memory leaves the backend untrusted and the cases after it are skipped.
 */
export const BACKBONES = [
  'alexnet',
  'googlenet',
  'resnet18',
  'resnet34',
  'vgg16',
  'vgg19',
  'resnet50',
] as const;
export type BenchBackbone = (typeof BACKBONES)[number];

/** The batch every backbone is timed at. */
const BATCH = 8;
/** ResNet-50 also at batch 1 and 2 on wasm (the anchor script's batches). */
const WASM_BATCHES: Partial<Record<BenchBackbone, readonly number[]>> = {
  resnet50: [1, 2, 8],
};
/** Timed runs on wasm (VGG: ~10 s a forward and ~1 min a training step at batch 8, so fewer). */
const wasmRuns = (net: BenchBackbone) => (net.startsWith('vgg') ? 3 : 5);
/** Timed runs on cpu (with `--full-cpu` only): a training step takes minutes to an hour there. */
const CPU_RUNS = 1;
const INPUT = [224, 224, 3] as [number, number, number];
const CLASSES = 1000;

export const predictName = (net: string, b: number) => `backbone ${net} predict bs${b}`;
export const trainName = (net: string, b: number) => `backbone ${net} train step bs${b}`;

function batches(ctx: BenchContext, net: BenchBackbone): readonly number[] {
  return ctx.backend === 'wasm' ? (WASM_BATCHES[net] ?? [BATCH]) : [BATCH];
}

/** Whether any case of the backbone is selected by `--only` on this backend. */
function isSelected(ctx: BenchContext, net: BenchBackbone): boolean {
  return batches(ctx, net).some((b) => ctx.selected(predictName(net, b)) || ctx.selected(trainName(net, b)));
}

/**
 * Backbones with a case that will actually run on this backend (selected, and on cpu only with `--full-cpu`
 * and without `--quick`): the run asks PyTorch for figures of these only.
 */
export function backbonesToRun(ctx: BenchContext): BenchBackbone[] {
  if (ctx.backend === 'cpu' && (!ctx.options.fullCpu || ctx.options.quick)) return [];
  return BACKBONES.filter((net) => isSelected(ctx, net));
}

/**
 * Every backbone of the model zoo (`createBackbone(name, {inputShape: [224, 224, 3], classes: 1000})`):
 * `model.predict` and one `trainOnBatch` step (SGD lr 0.01, categorical cross-entropy, random images and
 * one-hot labels) at batch 8, the ratio train/forward against {@link TRAIN_FORWARD_TARGET}, and PyTorch's
 * figures for the same model and batch. On cpu these take hours: only with `--full-cpu` (1 run, warmed up
 * at batch 1).
 */
export async function benchBackbones(ctx: BenchContext): Promise<void> {
  const selected = BACKBONES.filter((net) => isSelected(ctx, net));
  if (selected.length === 0) return;
  if (ctx.backend === 'cpu' && !ctx.options.fullCpu) {
    for (const net of selected) {
      for (const b of batches(ctx, net)) {
        for (const [id, workload] of [
          [`${net}.predict.bs${b}`, predictName(net, b)],
          [`${net}.train.bs${b}`, trainName(net, b)],
        ] as const) {
          ctx.skip({ id, workload }, 'cpu: minutes to hours per case; run with --full-cpu');
        }
      }
    }
    return;
  }
  const maxBatch = Math.max(...selected.flatMap((net) => batches(ctx, net)));
  const x = tf.randomUniform([maxBatch, ...INPUT]);
  const y = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.randomUniform([maxBatch], 0, CLASSES, 'int32') as tf.Tensor1D, CLASSES), 'float32'),
  );
  const xs = new Map<number, tf.Tensor>([[maxBatch, x]]);
  const ys = new Map<number, tf.Tensor>([[maxBatch, y]]);
  for (const b of [1, 2, BATCH]) {
    if (b < maxBatch) {
      xs.set(b, tf.slice(x, 0, b));
      ys.set(b, tf.slice(y, 0, b));
    }
  }
  try {
    // First the smaller batches' cases; then, backbone by backbone, the batch-8 forward pass and training
    // step on one model, one right after the other, so that a machine whose speed drifts over the run (shared
    // cores) moves both alike and the ratio holds. A batch-8 training step may run the wasm heap out of
    // memory; wasm is unusable after that (later allocations fail or crash the process), so the cases after a
    // failure are skipped.
    let failed: string | undefined;
    for (const phase of ['main', 'batch8'] as const) {
      for (const net of selected) {
        failed = await benchOne(ctx, net, xs, ys, phase, failed);
      }
    }
  } finally {
    tf.dispose([...xs.values(), ...ys.values()]);
  }
}

/** Times one backbone's cases of the phase; returns the first failed case so far (undefined: none). */
async function benchOne(
  ctx: BenchContext,
  net: BenchBackbone,
  xs: Map<number, tf.Tensor>,
  ys: Map<number, tf.Tensor>,
  phase: 'main' | 'batch8',
  failedBefore: string | undefined,
): Promise<string | undefined> {
  const failed = failedBefore;
  const inPhase = batches(ctx, net).filter((b) => (phase === 'main') === (b !== BATCH));
  const cases = [
    ...inPhase.map((b) => ({ b, training: false })),
    ...inPhase.map((b) => ({ b, training: true })),
  ].filter(({ b, training }) => ctx.selected(training ? trainName(net, b) : predictName(net, b)));
  if (cases.length === 0) return failed;
  if (failed !== undefined) {
    for (const { b, training } of cases) {
      ctx.skip(
        training
          ? { id: `${net}.train.bs${b}`, workload: trainName(net, b) }
          : { id: `${net}.predict.bs${b}`, workload: predictName(net, b) },
        `not run: ${failed} failed before, and ${ctx.backend} is not usable after that`,
      );
    }
    return failed;
  }
  const cpu = ctx.backend === 'cpu';
  const model: tfl.LayersModel = await createBackbone(net, { inputShape: INPUT, classes: CLASSES });
  const optimizer = tf.train.sgd(0.01);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const perImage = modelGflopPerImage(model);
  const gmac = `${(perImage.forward / 2).toFixed(2)} GMAC/image (conv + dense)`;
  const cpuNote = `cpu: warm-up at batch 1, ${CPU_RUNS} timed run`;
  const predict =
    (b: number): Step =>
    () =>
      model.predict(xs.get(b)!) as tf.Tensor;
  const train =
    (b: number): Step =>
    async () => {
      await model.trainOnBatch(xs.get(b)!, ys.get(b)!); // resolves once the loss is read back
      return undefined;
    };
  // On cpu: warmed up at batch 1 (by the callers), timed once, skipped by --quick.
  const runsFor = (b: number, training: boolean): Pick<CaseSpec, 'runs' | 'warmups' | 'heavy'> =>
    cpu
      ? { runs: CPU_RUNS, warmups: 1, heavy: true }
      : { runs: b === BATCH ? wasmRuns(net) : training ? 5 : 7, warmups: 1 };
  try {
    for (const { b } of cases.filter((c) => !c.training)) {
      const row = await ctx.time(
        {
          id: `${net}.predict.bs${b}`,
          workload: predictName(net, b),
          gflop: b * perImage.forward,
          ...runsFor(b, false),
          ...(cpu && b > 1 ? { warmup: predict(1) } : {}),
          torch: `${net} fwd bs=${b}`,
          note: cpu ? `${gmac}; ${cpuNote}` : gmac,
        },
        predict(b),
      );
      if (row?.error !== undefined) return predictName(net, b);
    }
    for (const { b } of cases.filter((c) => c.training)) {
      const note = 'SGD, categorical cross-entropy; GFLOP/s counts 3x the forward FLOPs';
      const row = await ctx.time(
        {
          id: `${net}.train.bs${b}`,
          workload: trainName(net, b),
          gflop: b * perImage.train,
          ...runsFor(b, true),
          ...(cpu && b > 1 ? { warmup: train(1) } : {}),
          ratio: {
            to: `${net}.predict.bs${b}`,
            label: 'train/fwd',
            speedup: false,
            // The target is set at batch 8 (issue #4); ResNet-50's batch 1 and 2 are there for PyTorch's figures.
            ...(b === BATCH ? { target: TRAIN_FORWARD_TARGET } : {}),
          },
          torch: `${net} train step bs=${b}`,
          note: cpu ? `${note}; ${cpuNote}` : note,
        },
        train(b),
      );
      if (row?.error !== undefined) return trainName(net, b);
    }
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return failed;
}
