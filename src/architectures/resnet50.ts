import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneArgs } from './backbone_args.js';
import { buildResNet } from './resnet_stack.js';

/**
 * ResNet-50 v1 with keras.applications' topology and layer names (`conv1_pad`, `conv1_conv`, `conv1_bn`,
 * `conv1_relu`, `pool1_pad`, `pool1_pool`, `conv2_block1_0_conv` … `conv5_block3_out`, `avg_pool`,
 * `predictions`): stride on the first 1×1 convolution of a block, biases on every convolution, batch-norm
 * ε = 1.001e-5. 25 636 712 parameters with the top (53 120 of them batch-norm moving statistics), 23 587 712
 * without, so Keras's ImageNet `.h5` files load by name.
 *
 * @param args See {@link BackboneArgs}. Input at least 32 × 32 (Keras's minimum).
 * @returns The model: `[batch, classes]` with the top, else `[batch, ⌈h/32⌉, ⌈w/32⌉, 2048]` or pooled `[batch, 2048]`.
 * @throws {@link InvalidArgumentError} for an invalid argument, an input smaller than 32 × 32 or a non-RGB input with `weights`.
 * @throws {@link WeightsMismatchError} / {@link WeightsFormatError} when `weights` do not fit or cannot be read.
 * @see K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition", CVPR 2016 (table 1, 50-layer).
 * @example
 * ```ts
 * const backbone = await resnet50({ includeTop: false, pooling: 'avg', weights: 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5' });
 * ```
 */
export function resnet50(args?: BackboneArgs): Promise<tfl.LayersModel> {
  return buildResNet('resnet50', args);
}
