import type { LayersModel } from '@tensorflow/tfjs-layers';

/** GFLOP of a convolution's forward pass (and of each of its two gradients): 2 · B·OH·OW·KH·KW·Ci·Co. */
export function convGflop(
  batch: number,
  outH: number,
  outW: number,
  k: number,
  ci: number,
  co: number,
): number {
  return (2 * batch * outH * outW * k * k * ci * co) / 1e9;
}

/** GFLOP of an (m × k) · (k × n) product. */
export function matmulGflop(m: number, k: number, n: number): number {
  return (2 * m * k * n) / 1e9;
}

/**
 * GFLOP per image of a model's Conv2D and Dense layers, counted from their shapes (multiply-add = 2;
 * batch norm, activations, pooling and additions are left out). A training step counts 3× that:
 * forward, input gradient and filter gradient of every layer (TF.js computes the stem's input gradient
 * too: the gradient of its fused conv2d returns every input's gradient).
 */
export function modelGflopPerImage(model: LayersModel): { forward: number; train: number } {
  let forward = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const kernel = layer.weights[0]!.shape as number[];
    const out = layer.outputShape as number[];
    const positions = cls === 'Conv2D' ? out[1]! * out[2]! : 1;
    forward += 2 * positions * kernel.reduce((a, b) => a * b, 1);
  }
  return { forward: forward / 1e9, train: (3 * forward) / 1e9 };
}
