/**
 * `npm run demo`: the first seed method end to end (Sun et al., OMIA 2017) on data fundus-kit generates, so it
 * runs anywhere with no download: image-quality classification (good vs poor) by
 *   1. exploring several backbones under the same small budget (`selectBackbones`),
 *   2. fine-tuning the best two jointly, total loss = sum of the branch losses (`jointFineTune`),
 *   3. evaluating the fused model against each branch alone on held-out images,
 *   4. writing demo-output/report.html: metrics, confusion matrix, ROC curves, training curve and a grid of
 *      photos with Grad-CAM overlays of each branch.
 * Backbones are the real architectures at 1/8 width and 64 px (small variants, so it takes minutes on 2 cores
 * with the wasm backend); the same calls at full width take pretrained weights (`backboneArgs.weights`).
 *
 *   npm run demo                 # defaults
 *   npm run demo -- --quick      # smaller, for a smoke check
 *   npm run demo -- --data labels.csv [train options]
 *                                # the same recipe on real photos, through the CLI: `fundus-kit train` with
 *                                # --explore over the four backbones of Sun et al. and the top two fine-tuned
 *                                # jointly, then `fundus-kit eval --held-out --report` (see docs/guides/cli.md)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  confusionMatrix,
  gradCam,
  jointFineTune,
  overlay,
  predictDataset,
  type ReportData,
  type ReportPhoto,
  renderReport,
  rocCurve,
  runCli,
  type SyntheticBatch,
  scoreTask,
  selectBackbones,
  setupBackend,
  syntheticDataset,
  TASK_PRESETS,
} from '../src/index.node.js';

const quick = process.argv.includes('--quick');
const SIZE = 64;
const INPUT: [number, number, number] = [SIZE, SIZE, 3];
const CANDIDATES = ['vgg16', 'resnet18', 'resnet50', 'googlenet'];
const BACKBONE_ARGS = { widthMultiplier: 1 / 8 };
const TASK = TASK_PRESETS.quality;
const OUT = path.resolve('demo-output');

/** Scales a synthetic dataset's 0-255 photos to [0, 1] (the models' input range here). */
function scaled(ds: ReturnType<typeof syntheticDataset>) {
  return {
    size: ds.size,
    iterator: async () => {
      const it = await ds.iterator();
      return {
        next: async (): Promise<IteratorResult<SyntheticBatch>> => {
          const r = await it.next();
          if (r.done) return r;
          const xs = tf.tidy(() => tf.div(r.value.xs, 255) as tf.Tensor4D);
          r.value.xs.dispose();
          return { done: false, value: { xs, ys: r.value.ys } };
        },
      };
    },
  };
}

async function pngDataUri(image: tf.Tensor3D): Promise<string> {
  const sharp = (await import('sharp')).default;
  const [h, w] = image.shape;
  const clipped = tf.tidy(() => tf.round(tf.clipByValue(image, 0, 255)));
  const bytes = Uint8Array.from(await clipped.data());
  clipped.dispose();
  const png = await sharp(Buffer.from(bytes), { raw: { width: w, height: h, channels: 3 } })
    .resize(128, 128, { kernel: 'nearest' })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const backend = await setupBackend();
  console.log(
    `backend: ${backend.name}${backend.addedKernels.length ? ` (+ fundus-kit training kernels)` : ''}`,
  );
  const train = syntheticDataset({
    n: quick ? 64 : 320,
    task: 'quality',
    size: SIZE,
    seed: 1,
    batchSize: 16,
  });
  const val = syntheticDataset({ n: quick ? 32 : 128, task: 'quality', size: SIZE, seed: 2, batchSize: 16 });
  console.log(
    `data: ${train.n} training and ${val.n} validation synthetic photos (${SIZE} px), good vs poor`,
  );

  console.log(`\n1. backbone selection (${quick ? 1 : 2} epochs each, 1/8 width):`);
  const ranking = await selectBackbones(
    quick ? CANDIDATES.slice(0, 2) : CANDIDATES,
    scaled(train),
    scaled(val),
    {
      task: TASK,
      inputShape: INPUT,
      backboneArgs: BACKBONE_ARGS,
      epochs: quick ? 1 : 2,
      learningRate: 1e-3,
      onCandidate: (r, i, of) =>
        console.log(
          `   [${i + 1}/${of}] ${r.name.padEnd(9)} AUC ${r.scores.auc?.toFixed(3)}  accuracy ${r.scores.accuracy.toFixed(3)}  ` +
            `${(r.params / 1e3).toFixed(0)}k params  ${r.seconds.toFixed(1)} s`,
        ),
    },
  );
  console.log(`   top two: ${ranking.top.map((t) => t.name).join(' + ')}`);

  console.log(`\n2. joint fine-tuning (total loss = sum of the branch losses):`);
  const joint = await jointFineTune({
    branches: ranking,
    task: TASK,
    inputShape: INPUT,
    backboneArgs: BACKBONE_ARGS,
    learningRate: 1e-3,
  });
  const epochs = quick ? 1 : 8;
  const history = await joint.fitDataset(scaled(train), {
    epochs,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) =>
        console.log(`   epoch ${epoch + 1}/${epochs}: loss ${logs?.loss?.toFixed(4)}`),
    },
  });

  console.log('\n3. held-out evaluation:');
  const outputs = ['fused', ...joint.branchNames];
  const predictions = await Promise.all(outputs.map((_, i) => predictDataset(joint.model, scaled(val), i)));
  const rows = predictions.map((p, i) => {
    const s = scoreTask(TASK, p);
    console.log(`   ${outputs[i]!.padEnd(9)} accuracy ${s.accuracy.toFixed(3)}  AUC ${s.auc?.toFixed(3)}`);
    return { label: outputs[i]!, values: [s.accuracy, s.auc ?? null] };
  });
  const fused = predictions[0]!;
  const truth = fused.labels.map((r) => r[0]!);
  const cm = confusionMatrix(
    truth,
    fused.probabilities.map((r) => (r[0]! > 0.5 ? 1 : 0)),
    { labels: [0, 1] },
  );

  console.log('\n4. Grad-CAM of each branch on 8 validation photos');
  const it = await val.iterator();
  const first = (await it.next()).value as SyntheticBatch;
  const photos = tf.tidy(() => tf.slice(first.xs, 0, 8) as tf.Tensor4D);
  const labels = (await first.ys.data()).slice(0, 8);
  tf.dispose([first.xs, first.ys]);
  const input = tf.tidy(() => tf.div(photos, 255) as tf.Tensor4D);
  const probability = (await joint.predict(input).data()) as Float32Array;
  const gallery: ReportPhoto[] = [];
  // Explain the logit of P(poor) (unit 0 of the binary head) in each branch.
  const maps = joint.branchNames.map((_, b) => gradCam(joint.model, input, { output: b + 1, target: 0 }));
  for (let i = 0; i < 8; i++) {
    const photo = tf.tidy(() => tf.squeeze(tf.slice(photos, i, 1), [0]) as tf.Tensor3D);
    for (const [b, cam] of maps.entries()) {
      const heat = tf.tidy(() => tf.squeeze(tf.slice(cam.heatmaps, i, 1), [0]));
      const blended = overlay(photo, heat, { colormap: 'turbo', alpha: 0.45 }) as tf.Tensor3D;
      gallery.push({
        image: await pngDataUri(photo),
        overlay: await pngDataUri(blended),
        title: `#${i + 1} · ${joint.branchNames[b]}`,
        trueLabel: TASK.classes[labels[i]!]!,
        predicted: TASK.classes[probability[i]! > 0.5 ? 1 : 0]!,
        score: probability[i]!,
      });
      tf.dispose([heat, blended]);
    }
    photo.dispose();
  }
  for (const cam of maps) tf.dispose([cam.heatmaps, ...cam.raw, cam.scores]);
  tf.dispose([photos, input]);

  const report: ReportData = {
    title: 'fundus-kit demo: image-quality classification by joint fine-tuning',
    subtitle: `Synthetic photos (${SIZE} px); ${ranking.top.map((t) => t.name).join(' + ')} at 1/8 width, backend ${backend.name}`,
    createdAt: new Date().toISOString(),
    summary: {
      'fused accuracy': rows[0]!.values[0]!,
      'fused AUC': rows[0]!.values[1] ?? 'n/a',
      branches: joint.branchNames.join(' + '),
      seconds: Math.round((performance.now() - started) / 1000),
    },
    details: {
      task: 'quality (good vs poor)',
      'training photos': train.n,
      'validation photos': val.n,
      candidates: ranking.ranked.map((r) => `${r.name} ${r.score.toFixed(3)}`).join(', '),
      'selection metric': ranking.metric,
    },
    tables: [
      { title: 'Held-out validation', columns: ['accuracy', 'AUC'], rows },
      {
        title: 'Backbone selection',
        columns: ['AUC', 'accuracy', 'params', 'seconds'],
        rows: ranking.ranked.map((r) => ({
          label: r.name,
          values: [r.scores.auc ?? null, r.scores.accuracy, r.params, Math.round(r.seconds)],
        })),
      },
    ],
    confusionMatrix: { classes: [...TASK.classes], counts: cm.matrix },
    roc: {
      curves: predictions.map((p, i) => {
        const c = rocCurve(
          p.labels.map((r) => r[0]!),
          p.probabilities.map((r) => r[0]!),
        );
        return { label: outputs[i]!, fpr: c.fpr, tpr: c.tpr };
      }),
    },
    training: { history: { loss: history.history.loss as number[] } },
    gallery: { photos: gallery },
  };
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'report.html');
  writeFileSync(file, renderReport(report));
  joint.dispose();
  console.log(`\nwrote ${file} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** `--data <labels.csv> …`: the recipe on real photos through the CLI; the options after the CSV go to `train`. */
async function onRealData(csv: string, trainOptions: string[]): Promise<number> {
  const model = path.join(OUT, 'model');
  const train = [
    'train',
    csv,
    model,
    '--overwrite',
    '--backbones',
    'alexnet,googlenet,vgg16,resnet50',
    '--explore',
    '--top',
    '2',
    '--explore-epochs',
    '2',
    '--width',
    '0.25',
    '--size',
    '128',
    '--augment',
    '--epochs',
    '10',
    ...trainOptions, // later options win, so these override the defaults above
  ];
  console.log(`fundus-kit ${train.join(' ')}`);
  const trained = await runCli(train);
  if (trained !== 0 && trained !== 1) return trained;
  const report = path.join(OUT, 'report.html');
  const evaluate = ['eval', model, csv, '--held-out', '--report', report];
  console.log(`\nfundus-kit ${evaluate.join(' ')}`);
  return runCli(evaluate);
}

const dataAt = process.argv.indexOf('--data');
if (dataAt === -1) {
  await main();
} else if (process.argv[dataAt + 1] === undefined) {
  console.error('npm run demo -- --data <labels.csv> [train options]: the CSV is missing.');
  process.exitCode = 2;
} else {
  process.exitCode = await onRealData(process.argv[dataAt + 1]!, process.argv.slice(dataAt + 2));
}
