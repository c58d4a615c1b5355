import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneArgs } from './backbone_args.js';
import { buildVgg } from './vgg_stack.js';

/**
 * VGG-19 with keras.applications' topology and layer names (`block1_conv1` … `block5_conv4`, `block5_pool`,
 * `flatten`, `fc1`, `fc2`, `predictions`), so Keras's ImageNet `.h5` files load by name: 143 667 240
 * parameters with the top, 20 024 384 without. Expects the Keras "caffe" preprocessing (BGR, mean subtracted;
 * see {@link vggPreprocess}) when used with those weights.
 *
 * @param args See {@link BackboneArgs}. Input at least 32 × 32.
 * @returns The model: `[batch, classes]` with the top, else `[batch, h/32, w/32, 512]` or pooled `[batch, 512]`.
 * @throws {@link InvalidArgumentError} for an invalid argument, an input smaller than 32 × 32, a non-RGB input
 *   with `weights`, or a non-224 input with `weights` and `includeTop` (unless `skipMismatch`).
 * @throws {@link WeightsMismatchError} / {@link WeightsFormatError} when `weights` do not fit or cannot be read.
 * @see K. Simonyan, A. Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", ICLR 2015 (table 1, configuration E).
 * @example
 * ```ts
 * const model = await vgg19({ includeTop: false, pooling: 'avg', weights: 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5' });
 * const tiny = await vgg19({ inputShape: [32, 32, 3], widthMultiplier: 1 / 16, classes: 2 });
 * ```
 */
export function vgg19(args?: BackboneArgs): Promise<tfl.LayersModel> {
  return buildVgg('vgg19', args);
}
