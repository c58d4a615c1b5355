import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackbone } from '../../src/architectures/registry.js';
import { setupBackend } from '../../src/backend/setup_backend.js';
import { fromCsv } from '../../src/data/node/from_csv.js';
import { mixSeed, mulberry32, STREAM, shuffleInPlace } from '../../src/data/random.js';
import { attachHead } from '../../src/heads/attach_head.js';
import { binaryHead } from '../../src/heads/binary_head.js';
import { binaryCrossEntropy } from '../../src/losses/binary_cross_entropy.js';
import { accuracy } from '../../src/metrics/accuracy.js';
import { rocAuc } from '../../src/metrics/roc_auc.js';
import { fundusPipeline } from '../../src/preprocess/fundus_pipeline.js';
import { setLearningRate } from '../../src/train/learning_rate.js';
import { cosineDecay } from '../../src/train/schedules.js';
import { seedInitialWeights } from '../../src/train/seed_initial_weights.js';
import { dataPath } from '../support/shared_data.js';

// Issue #4's end-to-end check: a ResNet-18 (random init, 1/4 width) with a fresh binary head learns to tell
// cataract from normal photos of eye-diseases, scored on held-out photos (split = val), on wasm.
// Seeded (initial weights and the order of every epoch), so a run repeats exactly: an unseeded version failed
// CI once at accuracy 0.69, its accuracy swinging 0.6-0.8 from epoch to epoch at a constant learning rate.
// With the rate on a cosine to 0, seeds 1-4 ended at accuracy 0.76-0.81, AUC 0.83-0.88 (100 held-out photos,
// chance 0.5); about two minutes on a 2-core machine.
const SIZE = 64;
const PER_CLASS_TRAIN = 120;
const PER_CLASS_VAL = 50;
const SEED = 1;
const EPOCHS = 20;

async function load(subset: 'train' | 'val', perClass: number): Promise<{ xs: tf.Tensor4D; ys: number[] }> {
  const prepare = fundusPipeline({ size: SIZE });
  const data = await fromCsv(dataPath('eye-diseases/labels.csv'), {
    labelColumn: 'class',
    task: 'binary',
    positive: 'cataract',
    negative: 'normal',
    onError: 'skip', // the other two classes are neither: skipped rows, not errors
    split: { column: 'split', value: subset },
    shuffle: false,
    transform: prepare,
  });
  const wanted = [perClass, perClass];
  const images: tf.Tensor3D[] = [];
  const ys: number[] = [];
  const it = await data.elements.iterator();
  for (let r = await it.next(); !r.done && (wanted[0]! > 0 || wanted[1]! > 0); r = await it.next()) {
    const y = (await r.value.ys.data())[0]!;
    r.value.ys.dispose();
    if (wanted[y]! > 0) {
      wanted[y]!--;
      images.push(tf.tidy(() => tf.div(r.value.xs, 255) as tf.Tensor3D));
      ys.push(y);
    }
    r.value.xs.dispose();
  }
  const xs = tf.stack(images) as tf.Tensor4D;
  tf.dispose(images);
  return { xs, ys };
}

describe('ResNet-18 learns two classes of real photos on wasm', () => {
  let train: { xs: tf.Tensor4D; ys: number[] };
  let val: { xs: tf.Tensor4D; ys: number[] };
  beforeAll(async () => {
    await setupBackend({ prefer: 'wasm' });
    train = await load('train', PER_CLASS_TRAIN);
    val = await load('val', PER_CLASS_VAL);
  }, 120_000);
  afterAll(() => tf.dispose([train.xs, val.xs]));

  it(`held-out accuracy well above chance (≥ 0.7) and AUC ≥ 0.8 after ${EPOCHS} epochs`, async () => {
    expect(train.ys.filter((y) => y === 1)).toHaveLength(PER_CLASS_TRAIN);
    expect(val.ys).toHaveLength(2 * PER_CLASS_VAL);
    const backbone = await createBackbone('resnet18', {
      inputShape: [SIZE, SIZE, 3],
      includeTop: false,
      pooling: 'avg',
      widthMultiplier: 0.25,
    });
    const model = attachHead(backbone, binaryHead({ name: 'head' }));
    seedInitialWeights(model, { seed: SEED });
    const optimizer = tf.train.adam(2e-3);
    model.compile({ optimizer, loss: binaryCrossEntropy() });
    const learningRate = cosineDecay({ initial: 2e-3, decaySteps: EPOCHS });
    const random = mulberry32(mixSeed(SEED, STREAM.shuffle));
    const n = train.ys.length;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      setLearningRate(optimizer, learningRate(epoch));
      const order = shuffleInPlace(
        Array.from({ length: n }, (_, i) => i),
        random,
      );
      const [xs, ys] = tf.tidy(() => [
        tf.gather(train.xs, tf.tensor1d(order, 'int32')),
        tf.tensor2d(
          order.map((i) => train.ys[i]!),
          [n, 1],
        ),
      ]);
      await model.fit(xs!, ys!, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
      tf.dispose([xs!, ys!]);
    }
    const p = tf.tidy(() => model.predict(val.xs) as tf.Tensor2D);
    const scores = Array.from(await p.data());
    p.dispose();
    const acc = accuracy(
      val.ys,
      scores.map((s) => (s > 0.5 ? 1 : 0)),
    );
    const auc = rocAuc(val.ys, scores);
    optimizer.dispose();
    model.dispose();
    expect(acc, `held-out accuracy ${acc}`).toBeGreaterThanOrEqual(0.7);
    expect(auc, `held-out AUC ${auc}`).toBeGreaterThanOrEqual(0.8);
  }, 420_000);
});
