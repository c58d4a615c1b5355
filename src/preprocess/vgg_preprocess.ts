import { cast, op, reverse, sub, type Tensor3D, type Tensor4D, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { imageBatch } from './image_batch.js';

/** ImageNet channel means in BGR order, as keras.applications' `caffe` mode subtracts them. */
export const IMAGENET_BGR_MEAN = [103.939, 116.779, 123.68] as const;

/**
 * VGG-16/19 and ResNet-50 input preprocessing, exactly Keras's `preprocess_input` in `caffe` mode:
 * RGB → BGR, then subtract the ImageNet mean per channel; no scaling.
 *
 * @param image RGB, values 0-255, [H, W, 3] or [N, H, W, 3].
 * @returns BGR, mean-subtracted (roughly −124…152), same shape and rank, float32.
 * @example
 * ```ts
 * const x = vggPreprocess(await readImage('eye.jpg')); // ready for a Keras-weights VGG16
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4 with 3 channels.
 * @see keras.applications.imagenet_utils.preprocess_input (mode 'caffe')
 */
function vggPreprocess_<T extends Tensor3D | Tensor4D>(image: T): T {
  return tidy(() => {
    const { batch, restore } = imageBatch('vggPreprocess', image, [3]);
    const bgr = reverse(cast(batch, 'float32'), -1);
    return restore<T>(sub(bgr, tensor1d([...IMAGENET_BGR_MEAN])));
  });
}

export const vggPreprocess = op({ vggPreprocess_ });
