/**
 * The pointing game on real photographs (issue 5's IDRiD figure; not a test, run by hand, ~70 s on wasm):
 *   npx tsx test/support/explain_idrid_pointing.ts
 * A small hard-exudate (EX) patch detector ({@link lesionNet}) is trained on IDRiD photos 01-12: non-overlapping
 * 64×64 patches of the photos scaled to 1024 px wide, positive with ≥ 32 EX pixels, negative with none, balanced.
 * Grad-CAM's peak is then checked against the EX mask on the positive patches of photos 13-16. Prints each
 * method's hit rate, the chance rate (mean EX area fraction of those patches) and the held-out patch accuracy.
 * Measured (2 cores): Grad-CAM 0.22, Grad-CAM++ 0.46, HiResCAM 0.22, LayerCAM 0.47, chance 0.10, on 118 patches;
 * patch accuracy 0.57 (the small net is a weak EX detector; the figure is for comparison, not a target).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { gradCam } from '../../src/explain/grad_cam.js';
import { readImage, setupBackend } from '../../src/index.node.js';
import { lesionNet } from './explain_lesions.js';
import { dataPath } from './shared_data.js';

const P = 64;
const STRIDE = 64;
const WIDTH = 1024;

async function patches(id: number) {
  const name = `IDRiD_${String(id).padStart(2, '0')}`;
  const photo = await readImage(join(dataPath('idrid'), 'images', `${name}.jpg`));
  const ex = await readImage(join(dataPath('idrid'), 'masks', 'EX', `${name}_EX.png`));
  const [h, w] = photo.shape;
  const height = Math.round((h * WIDTH) / w);
  const [img, mask] = tf.tidy(() => [
    tf.div(tf.image.resizeBilinear(photo, [height, WIDTH], false, true), 255),
    // Max-pool the mask by 4 first so that thin exudates survive the downscale.
    tf.cast(
      tf.greater(
        tf.image.resizeBilinear(
          tf.maxPool(tf.expandDims(tf.slice(ex, [0, 0, 0], [-1, -1, 1]), 0) as tf.Tensor4D, 4, 4, 'same'),
          [height, WIDTH],
          false,
          true,
        ),
        127,
      ),
      'float32',
    ),
  ]);
  tf.dispose([photo, ex]);
  const pixels = (await img!.array()) as number[][][];
  const m = (await (mask as tf.Tensor4D).array())[0] as number[][][];
  tf.dispose([img!, mask!]);
  const out: { x: number[][][]; mask: Uint8Array; ex: number }[] = [];
  for (let y = 0; y + P <= height; y += STRIDE) {
    for (let x = 0; x + P <= WIDTH; x += STRIDE) {
      const rows = pixels.slice(y, y + P).map((r) => r.slice(x, x + P));
      const brightness = rows.flat(2).reduce((a, b) => a + b, 0) / (P * P * 3);
      if (brightness < 0.08) continue; // outside the field of view
      const mk = new Uint8Array(P * P);
      let ex = 0;
      for (let i = 0; i < P; i++)
        for (let j = 0; j < P; j++) {
          const v = (m[y + i]?.[x + j]?.[0] ?? 0) > 0.5 ? 1 : 0;
          mk[i * P + j] = v;
          ex += v;
        }
      out.push({ x: rows, mask: mk, ex });
    }
  }
  return out;
}

await setupBackend({ prefer: 'wasm' });
const all = await Promise.all(Array.from({ length: 16 }, (_, i) => patches(i + 1)));
const train = all.slice(0, 12).flat();
const test = all.slice(12).flat();
const positives = train.filter((p) => p.ex >= 32);
const negatives = train.filter((p) => p.ex === 0);
// Balance: every positive, as many negatives (deterministic pick).
const picked = [
  ...positives,
  ...negatives
    .filter((_, i) => i % Math.max(1, Math.floor(negatives.length / positives.length)) === 0)
    .slice(0, positives.length),
];
const order = picked.map((_, i) => i).sort((a, b) => ((a * 7919) % 104729) - ((b * 7919) % 104729));
const xs = tf.tensor4d(order.map((i) => picked[i]!.x));
const ys = tf.tensor2d(order.map((i) => (picked[i]!.ex > 0 ? [0, 1] : [1, 0])));
console.log(`train patches: ${positives.length} with EX, ${picked.length - positives.length} without`);
const model = lesionNet(P);
model.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
const history = await model.fit(xs, ys, { batchSize: 32, epochs: 12, shuffle: false, verbose: 0 });
console.log(
  `trained in ${((performance.now() - t0) / 1000).toFixed(1)} s, final accuracy ${(history.history.acc as number[]).at(-1)}`,
);
tf.dispose([xs, ys]);

const heldPos = test.filter((p) => p.ex >= 32);
const heldNeg = test.filter((p) => p.ex === 0);
const evalSet = [...heldPos, ...heldNeg.slice(0, heldPos.length)];
const tx = tf.tensor4d(evalSet.map((p) => p.x));
const predicted = tf.tidy(() => tf.argMax(model.predict(tx) as tf.Tensor, 1));
const pred = await predicted.data();
const acc = evalSet.filter((p, i) => (p.ex > 0 ? 1 : 0) === pred[i]).length / evalSet.length;
predicted.dispose();
tx.dispose();
const px = tf.tensor4d(heldPos.map((p) => p.x));
const chance = heldPos.reduce((a, p) => a + p.ex / (P * P), 0) / heldPos.length;
const rates: Record<string, number> = {};
for (const method of ['gradcam', 'gradcam++', 'hirescam', 'layercam'] as const) {
  const { heatmaps, raw, scores } = gradCam(model, px, { method, target: 1 });
  const peaks = tf.tidy(() => tf.argMax(tf.reshape(heatmaps, [heldPos.length, -1]), 1));
  const index = await peaks.data();
  rates[method] = heldPos.filter((p, n) => p.mask[index[n] as number] === 1).length / heldPos.length;
  tf.dispose([heatmaps, ...raw, scores, peaks]);
}
console.log(
  `held-out (photos 13-16): ${heldPos.length} EX patches, patch accuracy ${acc.toFixed(3)} (balanced ${evalSet.length}); ` +
    `pointing game ${JSON.stringify(rates)}; chance (EX area fraction) ${chance.toFixed(3)}`,
);
px.dispose();
