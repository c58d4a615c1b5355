import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seedWeights } from './explain_models.js';

/**
 * Synthetic "one lesion type" images for the pointing game: a dark-red fundus-like background (smooth shading,
 * noise, sometimes a dark blot as a distractor) and, in positives, one bright yellow lesion (a soft disc of
 * radius 3-6 px) whose mask is the disc. 64×64, values 0-1.
 */
export interface LesionImages {
  images: tf.Tensor4D;
  labels: tf.Tensor2D;
  /** Per image, the lesion mask as a flat 0/1 array (all 0 for negatives). */
  masks: Uint8Array[];
  positive: boolean[];
}

export function lesionImages(count: number, seed: number, size = 64): LesionImages {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pixels = new Float32Array(count * size * size * 3);
  const labels = new Float32Array(count * 2);
  const masks: Uint8Array[] = [];
  const positive: boolean[] = [];
  for (let n = 0; n < count; n++) {
    const isPositive = n % 2 === 0;
    positive.push(isPositive);
    labels[n * 2 + (isPositive ? 1 : 0)] = 1;
    const mask = new Uint8Array(size * size);
    const gx = rand() - 0.5;
    const gy = rand() - 0.5;
    const blot = rand() < 0.5 ? { x: 8 + rand() * 48, y: 8 + rand() * 48, r: 2 + rand() * 3 } : null;
    const lesion = isPositive ? { x: 8 + rand() * 48, y: 8 + rand() * 48, r: 3 + rand() * 3 } : null;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const shade = 0.45 + 0.25 * (gx * (x / size - 0.5) + gy * (y / size - 0.5)) + 0.04 * (rand() - 0.5);
        let rgb = [shade, shade * 0.45, shade * 0.2];
        if (blot !== null && Math.hypot(x - blot.x, y - blot.y) < blot.r) rgb = rgb.map((v) => v * 0.45);
        if (lesion !== null) {
          const d = Math.hypot(x - lesion.x, y - lesion.y);
          const w = Math.min(1, Math.max(0, lesion.r + 0.5 - d));
          rgb = [
            rgb[0]! + w * (0.95 - rgb[0]!),
            rgb[1]! + w * (0.85 - rgb[1]!),
            rgb[2]! + w * (0.35 - rgb[2]!),
          ];
          if (d <= lesion.r) mask[y * size + x] = 1;
        }
        pixels.set(rgb, ((n * size + y) * size + x) * 3);
      }
    }
    masks.push(mask);
  }
  return {
    images: tf.tensor4d(pixels, [count, size, size, 3]),
    labels: tf.tensor2d(labels, [count, 2]),
    masks,
    positive,
  };
}

/** A small CNN ending in global average pooling: conv8 → pool → conv16 → pool → conv16 'lesion_features' → GAP → dense. */
export function lesionNet(size = 64): tfl.LayersModel {
  const input = tfl.input({ shape: [size, size, 3] });
  const conv = (x: tfl.SymbolicTensor, filters: number, name?: string) =>
    tfl.layers
      .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', ...(name ? { name } : {}) })
      .apply(x) as tfl.SymbolicTensor;
  const pool = (x: tfl.SymbolicTensor) =>
    tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  let x = pool(conv(input, 8));
  x = pool(conv(x, 16));
  x = conv(x, 16, 'lesion_features');
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out });
  seedWeights(model, 2023);
  return model;
}
