import * as tfl from '@tensorflow/tfjs-layers';
import { loadWeights } from '../weights/index.js';
import type { ResolvedBackboneArgs } from './backbone_args.js';

/** Internal building blocks shared by the backbone builders. */

export type Sym = tfl.SymbolicTensor;

/** `channels` scaled by the width multiplier, rounded, at least 1. */
export function scaled(channels: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(channels * widthMultiplier));
}

export function apply(layer: tfl.layers.Layer, x: Sym | Sym[]): Sym {
  return layer.apply(x) as Sym;
}

/** The model input, named as in Keras 2. */
export function backboneInput(r: ResolvedBackboneArgs): Sym {
  return tfl.input({ shape: r.inputShape, name: 'input_1' });
}

/**
 * The end of every builder: `predictions` when `includeTop` (after `top`, the architecture's own layers before
 * it), otherwise the optional global pooling named `avg_pool` / `max_pool`.
 */
export function classifierOrPooling(x: Sym, r: ResolvedBackboneArgs, top: (x: Sym) => Sym): Sym {
  if (r.includeTop) {
    return apply(
      tfl.layers.dense({ units: r.classes, activation: r.activation, name: 'predictions' }),
      top(x),
    );
  }
  if (r.pooling === 'avg') return apply(tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  if (r.pooling === 'max') return apply(tfl.layers.globalMaxPooling2d({ name: 'max_pool' }), x);
  return x;
}

/** Wraps the graph in a model and loads `weights` when given. */
export async function finishBackbone(
  input: Sym,
  outputs: Sym | Sym[],
  r: ResolvedBackboneArgs,
): Promise<tfl.LayersModel> {
  const model = tfl.model({ inputs: input, outputs, name: r.name });
  if (r.weights !== null) {
    try {
      await loadWeights(model, r.weights, { skipMismatch: r.skipMismatch });
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  return model;
}

/**
 * Max pooling with PyTorch's `ceil_mode=True` and no padding: the last window may run past the bottom/right
 * edge. Implemented as a zero pad on those edges then a `valid` pool, exact when the input is ≥ 0 (it always
 * follows a ReLU here). Pad sizes come from the input's static height and width.
 */
export function ceilModeMaxPool(x: Sym, poolSize: number, strides: number, name: string): Sym {
  const [, h, w] = x.shape as [null, number, number, number];
  const pad = (n: number) => (ceilPoolOut(n, poolSize, strides) - 1) * strides + poolSize - n;
  const [ph, pw] = [pad(h), pad(w)];
  let y = x;
  if (ph > 0 || pw > 0) {
    y = apply(
      tfl.layers.zeroPadding2d({
        padding: [
          [0, ph],
          [0, pw],
        ],
        name: `${name}_pad`,
      }),
      y,
    );
  }
  return apply(tfl.layers.maxPooling2d({ poolSize, strides, padding: 'valid', name }), y);
}

/** Output size of a `valid` (floor-mode) window: ⌊(n + 2p − k) / s⌋ + 1. */
export function floorOut(n: number, kernel: number, stride: number, pad = 0): number {
  return Math.floor((n + 2 * pad - kernel) / stride) + 1;
}

/** Output size of PyTorch's ceil-mode pooling without padding: ⌈(n − k) / s⌉ + 1. */
export function ceilPoolOut(n: number, kernel: number, stride: number): number {
  return Math.ceil((n - kernel) / stride) + 1;
}

/** Smallest input size `n` for which `fits(n)` holds (sizes are monotonic). */
export function smallestFitting(fits: (n: number) => boolean): number {
  for (let n = 1; n <= 4096; n++) if (fits(n)) return n;
  throw new Error('smallestFitting: no size up to 4096 fits');
}
