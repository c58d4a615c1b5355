import * as tfl from '@tensorflow/tfjs-layers';
import { type BackboneArgs, resolveBackboneArgs } from './backbone_args.js';
import {
  apply,
  backboneInput,
  classifierOrPooling,
  finishBackbone,
  floorOut,
  type Sym,
  scaled,
  smallestFitting,
} from './build_helpers.js';

/** Spatial size after `pool5` for an input of `n` pixels, or 0 when a pool would have no window. */
function alexnetPool5(n: number): number {
  let s = floorOut(n, 11, 4, 2); // conv1 (the other convolutions keep the size)
  for (let pool = 0; pool < 3; pool++) {
    if (s < 3) return 0;
    s = floorOut(s, 3, 2); // pool1, pool2, pool5
  }
  return s;
}

/** Smallest input: 63 px (each 3×3 stride-2 pool needs 3 pixels). */
export const ALEXNET_MIN_SIZE = smallestFitting((n) => alexnetPool5(n) >= 1);

/**
 * AlexNet following torchvision's `alexnet` (the one-GPU variant of Krizhevsky's "one weird trick" paper: no
 * LRN, 64-192-384-256-256 filters): `conv1_pad` + `conv1` (11×11, stride 4, padding 2), `pool1`, `conv2` (5×5),
 * `pool2`, `conv3`, `conv4`, `conv5` (3×3), `pool5` (3×3 stride-2 max pools), then `flatten`, `fc6_dropout`,
 * `fc6`, `fc7_dropout`, `fc7` (4096, ReLU, dropout 0.5 before each) and `predictions`: 61 100 840 parameters
 * with a 1000-class top, as torchvision. torchvision's adaptive average pool to 6×6 is left out: at 224 × 224
 * `pool5` is already 6×6 (it is then an identity); other sizes change `fc6`'s input width, as VGG's flatten does.
 * Porting torchvision weights needs `fc6`'s rows reordered (PyTorch flattens channels-first).
 *
 * @param args See {@link BackboneArgs}. Input at least 63 × 63.
 * @returns The model: `[batch, classes]` with the top, else `[batch, 6, 6, 256]` at 224 or pooled `[batch, 256]`.
 * @throws {@link InvalidArgumentError} for an invalid argument, an input smaller than 63 × 63, a non-RGB input
 *   with `weights`, or a non-224 input with `weights` and `includeTop` (unless `skipMismatch`).
 * @throws {@link WeightsMismatchError} / {@link WeightsFormatError} when `weights` do not fit or cannot be read.
 * @see A. Krizhevsky, "One weird trick for parallelizing convolutional neural networks", arXiv 1404.5997, 2014;
 *   A. Krizhevsky, I. Sutskever, G. Hinton, "ImageNet Classification with Deep Convolutional Neural Networks", NeurIPS 2012.
 * @example
 * ```ts
 * const model = await alexnet({ classes: 2, classifierActivation: 'softmax' });
 * ```
 */
export async function alexnet(args?: BackboneArgs): Promise<tfl.LayersModel> {
  const r = resolveBackboneArgs({ fn: 'alexnet', minSize: ALEXNET_MIN_SIZE, flattenTop: true }, args);
  const ch = (n: number) => scaled(n, r.widthMultiplier);
  const conv = (x: Sym, filters: number, kernelSize: number, name: string, strides = 1) =>
    apply(
      tfl.layers.conv2d({
        filters: ch(filters),
        kernelSize,
        strides,
        padding: strides === 1 ? 'same' : 'valid',
        activation: 'relu',
        name,
      }),
      x,
    );
  const pool = (x: Sym, name: string) => apply(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name }), x);
  const input = backboneInput(r);
  let x = apply(tfl.layers.zeroPadding2d({ padding: 2, name: 'conv1_pad' }), input);
  x = pool(conv(x, 64, 11, 'conv1', 4), 'pool1');
  x = pool(conv(x, 192, 5, 'conv2'), 'pool2');
  x = conv(conv(conv(x, 384, 3, 'conv3'), 256, 3, 'conv4'), 256, 3, 'conv5');
  x = pool(x, 'pool5');
  const output = classifierOrPooling(x, r, (y) => {
    let z = apply(tfl.layers.flatten({ name: 'flatten' }), y);
    for (const name of ['fc6', 'fc7']) {
      z = apply(tfl.layers.dropout({ rate: 0.5, name: `${name}_dropout` }), z);
      z = apply(tfl.layers.dense({ units: ch(4096), activation: 'relu', name }), z);
    }
    return z;
  });
  return finishBackbone(input, output, r);
}
