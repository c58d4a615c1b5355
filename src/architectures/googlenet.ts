import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';
import { type BackboneArgs, type ResolvedBackboneArgs, resolveBackboneArgs } from './backbone_args.js';
import {
  apply,
  backboneInput,
  ceilModeMaxPool,
  ceilPoolOut,
  classifierOrPooling,
  finishBackbone,
  floorOut,
  type Sym,
  scaled,
  smallestFitting,
} from './build_helpers.js';

/** Arguments of {@link googlenet}: {@link BackboneArgs} plus the auxiliary classifiers. */
export interface GoogLeNetArgs extends BackboneArgs {
  /**
   * Add the two auxiliary classifiers (after `inception4a` and `inception4d`) as extra outputs, for training:
   * the model then returns `[predictions, aux1_predictions, aux2_predictions]`. Needs `includeTop`.
   * @defaultValue `false`
   */
  auxLogits?: boolean;
}

/** Filters of each inception module: 1×1, 3×3 reduce, 3×3, "5×5" reduce, "5×5", pool projection. */
const INCEPTION: Record<string, readonly [number, number, number, number, number, number]> = {
  '3a': [64, 96, 128, 16, 32, 32],
  '3b': [128, 128, 192, 32, 96, 64],
  '4a': [192, 96, 208, 16, 48, 64],
  '4b': [160, 112, 224, 24, 64, 64],
  '4c': [128, 128, 256, 24, 64, 64],
  '4d': [112, 144, 288, 32, 64, 64],
  '4e': [256, 160, 320, 32, 128, 128],
  '5a': [256, 160, 320, 32, 128, 128],
  '5b': [384, 192, 384, 48, 128, 128],
};

/** Spatial size entering `inception4a` (after pool3), or 0 when a pool would have no full window. */
function googlenetPool3(n: number): number {
  let s = floorOut(n, 7, 2, 3); // conv1
  for (let pool = 0; pool < 3; pool++) {
    if (s < 3) return 0;
    s = ceilPoolOut(s, 3, 2); // pool1, pool2, pool3
  }
  return s;
}

/** Smallest input without the auxiliary heads (pool4 is 2×2). */
export const GOOGLENET_MIN_SIZE = smallestFitting((n) => googlenetPool3(n) >= 2);
/** Smallest input with them (their 5×5 average pool runs on inception4a's and 4d's output). */
export const GOOGLENET_AUX_MIN_SIZE = smallestFitting((n) => googlenetPool3(n) >= 5);

class GoogLeNetParts {
  constructor(private readonly r: ResolvedBackboneArgs) {}

  ch(n: number): number {
    return scaled(n, this.r.widthMultiplier);
  }

  /** torchvision's BasicConv2d: convolution without bias, batch norm (ε = 0.001), ReLU. */
  basicConv(x: Sym, filters: number, kernelSize: number, name: string, strides = 1): Sym {
    let y = apply(
      tfl.layers.conv2d({
        filters: this.ch(filters),
        kernelSize,
        strides,
        padding: strides === 1 ? 'same' : 'valid',
        useBias: false,
        name: `${name}_conv`,
      }),
      x,
    );
    // torchvision's BatchNorm2d(eps=0.001) with PyTorch's default momentum 0.1 (0.9 in Keras's convention).
    y = apply(
      tfl.layers.batchNormalization({ axis: 3, epsilon: 0.001, momentum: 0.9, name: `${name}_bn` }),
      y,
    );
    return apply(tfl.layers.activation({ activation: 'relu', name: `${name}_relu` }), y);
  }

  inception(x: Sym, id: string): Sym {
    const [c1, c3r, c3, c5r, c5, cp] = INCEPTION[id]!;
    const n = `inception${id}`;
    const b1 = this.basicConv(x, c1, 1, `${n}_branch1`);
    const b2 = this.basicConv(this.basicConv(x, c3r, 1, `${n}_branch2_reduce`), c3, 3, `${n}_branch2`);
    // torchvision's "5×5" branch uses a 3×3 kernel (kept there for its pretrained weights); so do we.
    const b3 = this.basicConv(this.basicConv(x, c5r, 1, `${n}_branch3_reduce`), c5, 3, `${n}_branch3`);
    const pooled = apply(
      tfl.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: `${n}_branch4_pool` }),
      x,
    );
    const b4 = this.basicConv(pooled, cp, 1, `${n}_branch4`);
    return apply(tfl.layers.concatenate({ axis: 3, name: `${n}_out` }), [b1, b2, b3, b4]);
  }

  aux(x: Sym, name: string): Sym {
    let y = apply(
      tfl.layers.averagePooling2d({ poolSize: 5, strides: 3, padding: 'valid', name: `${name}_pool` }),
      x,
    );
    y = this.basicConv(y, 128, 1, name);
    y = apply(tfl.layers.flatten({ name: `${name}_flatten` }), y);
    y = apply(tfl.layers.dense({ units: this.ch(1024), activation: 'relu', name: `${name}_fc1` }), y);
    y = apply(tfl.layers.dropout({ rate: 0.7, name: `${name}_dropout` }), y);
    return apply(
      tfl.layers.dense({ units: this.r.classes, activation: this.r.activation, name: `${name}_predictions` }),
      y,
    );
  }
}

/**
 * GoogLeNet (Inception v1) following torchvision's `googlenet`: the batch-normalised variant (every convolution
 * is `_conv` without bias, `_bn` with ε = 0.001, `_relu`), no LRN, ceil-mode max pools, and the same "5×5" branch
 * with a 3×3 kernel. Layers: `conv1_pad`, `conv1_*` (7×7, stride 2), `pool1`, `conv2_*` (1×1), `conv3_*` (3×3),
 * `pool2`, `inception3a` … `inception5b` (each `inception4a_branch1_conv`, `_branch2_reduce_*`, `_branch2_*`,
 * `_branch3_reduce_*`, `_branch3_*`, `_branch4_pool`, `_branch4_*`, concatenated as `inception4a_out`), `pool3`,
 * `pool4`, `avg_pool`, `dropout` (0.2), `predictions`. 6 624 904 trainable parameters with a 1000-class top, as
 * torchvision (plus 14 560 batch-norm moving statistics); with `auxLogits`, 13 004 888.
 *
 * The auxiliary heads pool with the paper's 5×5 stride-3 average pool (4×4 at 224 input, where torchvision
 * uses an adaptive pool of the same output size but slightly different windows), then `auxN_conv` (128),
 * `auxN_fc1` (1024, ReLU), dropout 0.7 and `auxN_predictions`. torchvision's `transform_input` is not applied.
 *
 * @param args See {@link GoogLeNetArgs}. Input at least 31 × 31 (79 × 79 with `auxLogits`).
 * @returns The model: `[batch, classes]` with the top (three such outputs with `auxLogits`), else
 *   `[batch, h/32, w/32, 1024]` or pooled `[batch, 1024]`.
 * @throws {@link InvalidArgumentError} for an invalid argument, an input below the minimum, a non-RGB input with
 *   `weights`, or `auxLogits` without `includeTop`.
 * @throws {@link WeightsMismatchError} / {@link WeightsFormatError} when `weights` do not fit or cannot be read.
 * @see C. Szegedy et al., "Going Deeper with Convolutions", CVPR 2015 (table 1); S. Ioffe, C. Szegedy, "Batch
 *   Normalization", ICML 2015 (the batch-normalised Inception).
 * @example
 * ```ts
 * const model = await googlenet({ classes: 5, auxLogits: true });
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' }); // the sum of the three losses
 * await model.trainOnBatch(x, [y, y, y]);
 * ```
 */
export async function googlenet(args: GoogLeNetArgs = {}): Promise<tfl.LayersModel> {
  const auxLogits = args.auxLogits ?? false;
  if (typeof auxLogits !== 'boolean') {
    throw new InvalidArgumentError(
      'auxLogits',
      `googlenet: auxLogits must be a boolean, but got ${String(auxLogits)}.`,
      auxLogits,
    );
  }
  const minSize = auxLogits ? GOOGLENET_AUX_MIN_SIZE : GOOGLENET_MIN_SIZE;
  const r = resolveBackboneArgs({ fn: 'googlenet', minSize, flattenTop: false }, args);
  if (auxLogits && !r.includeTop) {
    throw new InvalidArgumentError(
      'auxLogits',
      'googlenet: auxLogits needs includeTop: true (the auxiliary heads are classifiers).',
      auxLogits,
    );
  }
  const p = new GoogLeNetParts(r);
  const input = backboneInput(r);
  let x = apply(tfl.layers.zeroPadding2d({ padding: 3, name: 'conv1_pad' }), input);
  x = ceilModeMaxPool(p.basicConv(x, 64, 7, 'conv1', 2), 3, 2, 'pool1');
  x = p.basicConv(p.basicConv(x, 64, 1, 'conv2'), 192, 3, 'conv3');
  x = ceilModeMaxPool(x, 3, 2, 'pool2');
  x = p.inception(p.inception(x, '3a'), '3b');
  x = ceilModeMaxPool(x, 3, 2, 'pool3');
  const auxOutputs: Sym[] = [];
  for (const id of ['4a', '4b', '4c', '4d', '4e']) {
    x = p.inception(x, id);
    if (auxLogits && id === '4a') auxOutputs.push(p.aux(x, 'aux1'));
    if (auxLogits && id === '4d') auxOutputs.push(p.aux(x, 'aux2'));
  }
  x = ceilModeMaxPool(x, 2, 2, 'pool4');
  x = p.inception(p.inception(x, '5a'), '5b');
  const output = classifierOrPooling(x, r, (y) => {
    const pooled = apply(tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }), y);
    return apply(tfl.layers.dropout({ rate: 0.2, name: 'dropout' }), pooled);
  });
  return finishBackbone(input, auxLogits ? [output, ...auxOutputs] : output, r);
}
