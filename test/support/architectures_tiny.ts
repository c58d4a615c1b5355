import * as tf from '@tensorflow/tfjs-core';
import type { BackboneArgs, BackboneName } from '../../src/architectures/index.js';

/**
 * The smallest sensible variant of each backbone for per-backend tests: its minimum input size (rounded up to
 * what the tests need) and few channels, so a forward and a training step stay cheap on SwiftShader (whose
 * WebGL/WebGPU compile a program per tensor shape: fewer distinct channel counts, fewer programs).
 */
export const TINY_SIZES: Record<BackboneName, number> = {
  alexnet: 63,
  googlenet: 32,
  vgg16: 32,
  vgg19: 32,
  resnet18: 32,
  resnet34: 32,
  resnet50: 32,
};

/**
 * Width multipliers: 1/256 leaves 1-8 channels per layer (GoogLeNet); the ResNets keep 1/32 (2-64 channels):
 * at 1/256 their one-channel stages let the gradient to the first convolution vanish on some random
 * initialisations (seen once in CI on wasm); the nets without batch norm (VGG, AlexNet) keep 1/16 so that no
 * layer ends up with only dead ReLUs.
 */
export const TINY_WIDTHS: Record<BackboneName, number> = {
  alexnet: 1 / 16,
  googlenet: 1 / 256,
  vgg16: 1 / 16,
  vgg19: 1 / 16,
  resnet18: 1 / 32,
  resnet34: 1 / 32,
  resnet50: 1 / 32,
};

export function tinyArgs(name: BackboneName, args: BackboneArgs = {}): BackboneArgs {
  const size = TINY_SIZES[name];
  return { inputShape: [size, size, 3], widthMultiplier: TINY_WIDTHS[name], ...args };
}

/** A deterministic batch in [-1, 1): `[n, size, size, channels]`. */
export function tinyBatch(n: number, size: number, channels = 3, seed = 1): tf.Tensor4D {
  return tf.randomUniform([n, size, size, channels], -1, 1, 'float32', seed) as tf.Tensor4D;
}

/** Largest |a − b| over two tensors (read outside tidy). */
export async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0]!;
  d.dispose();
  return v;
}

/** Number of values in a model's trainable weights (what PyTorch calls its parameters). */
export function trainableCount(model: { trainableWeights: { shape: (number | null)[] }[] }): number {
  return model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1),
    0,
  );
}
