import * as tf from '@tensorflow/tfjs-core';

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
