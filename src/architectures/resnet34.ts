import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneArgs } from './backbone_args.js';
import { buildResNet } from './resnet_stack.js';

/**
 * ResNet-34, a light backbone for CPU work. Topology of torchvision's `resnet34` (basic blocks of two 3×3
 * convolutions, stride on the first, symmetric padding 1, convolutions without bias, batch-norm ε = 1e-5,
 * 1×1 projection shortcut where the shape changes), named in the keras.applications scheme: `conv1_conv`,
 * `conv1_bn`, `conv1_relu`, `pool1_pool`, `conv2_block1_1_conv`, `conv2_block1_1_bn`, `conv2_block1_2_conv`,
 * `conv3_block1_0_conv` (projection), `conv3_block1_1_pad`, `conv2_block1_add`, `conv2_block1_out` …
 * `conv5_block3_out`, `avg_pool`, `predictions`. 21 797 672 trainable parameters with a 1000-class top,
 * as torchvision (plus 17 024 batch-norm moving statistics).
 *
 * @param args See {@link BackboneArgs}. Input at least 32 × 32.
 * @returns The model: `[batch, classes]` with the top, else `[batch, ⌈h/32⌉, ⌈w/32⌉, 512]` or pooled `[batch, 512]`.
 * @throws {@link InvalidArgumentError} for an invalid argument, an input smaller than 32 × 32 or a non-RGB input with `weights`.
 * @throws {@link WeightsMismatchError} / {@link WeightsFormatError} when `weights` do not fit or cannot be read.
 * @see K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition", CVPR 2016 (table 1, 34-layer).
 * @example
 * ```ts
 * const model = await resnet34({ inputShape: [128, 128, 3], classes: 2 });
 * ```
 */
export function resnet34(args?: BackboneArgs): Promise<tfl.LayersModel> {
  return buildResNet('resnet34', args);
}
