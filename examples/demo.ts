/**
 * `npm run demo`: what fundus-kit can do today, end to end, on data it generates (no downloads).
 *
 * It sets up the fastest installed backend (wasm in Node unless tfjs-node is installed), then trains a
 * small conv net to tell apart two kinds of generated images — a bright blob in the upper-left or the
 * lower-right of a dark disc — and reports the loss curve, accuracy and time per step. On plain TF.js
 * the wasm backend cannot train a conv net at all (it has no Conv2DBackpropFilter kernel).
 *
 * The full demo (image-quality classification with backbone selection, joint fine-tuning and a report)
 * replaces this once the preprocessing, model zoo and explain modules land.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { setupBackend } from '../src/index.js';

const SIZE = 32;
const STEPS = 40;

/** Random number generator with a fixed seed, so every run shows the same data. */
function mulberry32(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** n images of a dark-red disc on black with a yellowish blob in one of two places; label = place. */
function makeImages(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const random = mulberry32(seed);
  const data = new Float32Array(n * SIZE * SIZE * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    const [bx, by] = labels[i] === 0 ? [11, 11] : [21, 21];
    const jx = bx + (random() - 0.5) * 6;
    const jy = by + (random() - 0.5) * 6;
    for (let r = 0; r < SIZE; r++)
      for (let c = 0; c < SIZE; c++) {
        const o = ((i * SIZE + r) * SIZE + c) * 3;
        const inDisc = (r - 15.5) ** 2 + (c - 15.5) ** 2 < 15 ** 2;
        const blob = Math.exp(-((r - jy) ** 2 + (c - jx) ** 2) / 6);
        const noise = () => (random() - 0.5) * 0.1;
        data[o] = inDisc ? 0.55 + 0.4 * blob + noise() : 0;
        data[o + 1] = inDisc ? 0.2 + 0.5 * blob + noise() : 0;
        data[o + 2] = inDisc ? 0.1 + noise() : 0;
      }
  }
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2) as tf.Tensor2D);
  return { x: tf.tensor4d(data, [n, SIZE, SIZE, 3]), y };
}

function buildModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [SIZE, SIZE, 3],
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
}

async function main(): Promise<void> {
  const backend = await setupBackend();
  console.log(
    `backend: ${backend.name} (${backend.platform}${backend.gpu ? ', GPU' : ''}), can train: ${backend.canTrain}`,
  );
  if (backend.addedKernels.length > 0)
    console.log(`fundus-kit training kernels: ${backend.addedKernels.join(', ')}`);

  const train = makeImages(64, 1);
  const test = makeImages(32, 2);
  const model = buildModel();
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const start = performance.now();
  for (let step = 1; step <= STEPS; step++) {
    const [loss] = (await model.trainOnBatch(train.x, train.y)) as number[];
    if (step === 1 || step % 10 === 0)
      console.log(`step ${String(step).padStart(2)}  loss ${loss!.toFixed(4)}`);
  }
  const msPerStep = (performance.now() - start) / STEPS;
  const [, accuracy] = (model.evaluate(test.x, test.y) as tf.Scalar[]).map((t) => t.dataSync()[0]!);
  console.log(
    `held-out accuracy ${(accuracy! * 100).toFixed(1)} % on ${test.x.shape[0]} images; ${msPerStep.toFixed(1)} ms per step (batch 64)`,
  );
  tf.dispose([train.x, train.y, test.x, test.y]);
  model.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
