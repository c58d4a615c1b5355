import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';

/** How {@link conv2dReluTraining} convolves. */
export interface Conv2dReluTrainingArgs {
  strides: [number, number];
  pad: 'same' | 'valid';
}

/**
 * relu(conv2d(x, filter) + bias) for training, as one taped op that keeps only its output. While gradients are
 * recorded TF.js computes a fused convolution with ReLU as three taped ops (convolution, bias add, ReLU) and keeps
 * all three outputs until the step ends; for VGG-16 at batch 8 that is 3 × 103 MB for each of the first two layers
 * and 1.35 GB of activations in all, which with the gradients did not fit the 4 GiB wasm heap. Here the forward
 * pass is the backend's fused kernel and the backward pass the same gradient as TF.js's own (the output's ReLU mask,
 * then the input, filter and bias gradients), from y instead of the pre-activation (y > 0 exactly where it is).
 */
export function conv2dReluTraining(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  args: Conv2dReluTrainingArgs,
): tf.Tensor4D {
  const { strides, pad } = args;
  // The input's gradient is always computed: a customGrad's gradients are computed together, and whether x's is
  // needed is not known here (a saliency map or Grad-CAM differentiates with respect to a layer's input).
  const op = tf.customGrad((input, w, b, save) => {
    const y = tf
      .engine()
      .runKernel(
        'FusedConv2D',
        { x: input as tf.Tensor, filter: w as tf.Tensor, bias: b as tf.Tensor },
        { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], activation: 'relu' },
      ) as tf.Tensor4D;
    (save as tf.GradSaveFunc)([input as tf.Tensor, w as tf.Tensor, y]);
    return {
      value: y,
      // In a tidy: TF.js calls a customGrad's gradFunc outside one, so its temporaries would live to the step's end.
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [inputSaved, wSaved, ySaved] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
          const masked = tf.mul(dy, tf.step(ySaved)) as tf.Tensor4D;
          const dx = tf.conv2dTranspose(masked, wSaved, inputSaved.shape, strides, pad);
          const dw = tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: inputSaved, dy: masked },
              { strides, pad, dataFormat: 'NHWC', filterShape: wSaved.shape },
            ) as tf.Tensor4D;
          const db = tf.sum(masked, [0, 1, 2]) as tf.Tensor1D;
          return [dx, dw, db];
        }),
    };
  });
  return op(x, filter, bias) as tf.Tensor4D;
}

/** The backend's FusedConv2D under another name, so that its gradient can be registered without touching TF.js's. */
const PER_INPUT_KERNEL = 'FundusKitConv2DReluPerInput';

/**
 * {@link conv2dReluTraining} with each input's gradient computed on its own, so TF.js skips the ones no variable
 * depends on: a network's first convolution (VGG's block1_conv1, AlexNet's 11×11/4 conv1), whose input gradient
 * only a saliency map uses. That gradient has as many channels as the image (3) and cost 0.2 s of an AlexNet step at
 * batch 8 on wasm, 9 % of it. The price is the ReLU mask, computed again for each gradient (a customGrad computes
 * all of them at once from one mask): one extra elementwise pass over the output, so this suits a layer whose input
 * gradient is rarely needed.
 */
export function conv2dReluTrainingPerInput(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  args: Conv2dReluTrainingArgs,
): tf.Tensor4D {
  registerPerInputKernel(tf.getBackend());
  const { strides, pad } = args;
  return tf
    .engine()
    .runKernel(
      PER_INPUT_KERNEL,
      { x, filter, bias },
      { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], activation: 'relu' },
    ) as tf.Tensor4D;
}

let gradientRegistered = false;

/** Registers the alias kernel for `backendName` (once each) and its gradient (once). */
function registerPerInputKernel(backendName: string): void {
  if (tf.getKernel(PER_INPUT_KERNEL, backendName) === undefined) {
    const fused = tf.getKernel('FusedConv2D', backendName);
    if (fused === undefined) {
      throw new BackendError(
        backendName,
        `conv2dReluTrainingPerInput: backend '${backendName}' has no FusedConv2D kernel to train a Conv2D with ReLU.`,
        [],
      );
    }
    tf.registerKernel({ ...fused, kernelName: PER_INPUT_KERNEL });
  }
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: PER_INPUT_KERNEL,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, w, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const { strides, pad } = attrs as unknown as Conv2dReluTrainingArgs;
      // Each thunk runs in its own tidy, so the mask is freed after each gradient rather than kept to the pass end.
      const masked = () => tf.mul(dy as tf.Tensor4D, tf.step(y)) as tf.Tensor4D;
      return {
        x: () => tf.conv2dTranspose(masked(), w, x.shape, strides, pad),
        filter: () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x, dy: masked() },
              { strides, pad, dataFormat: 'NHWC', filterShape: w.shape },
            ) as tf.Tensor4D,
        bias: () => tf.sum(masked(), [0, 1, 2]),
      };
    },
  });
}
