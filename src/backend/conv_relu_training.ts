import * as tf from '@tensorflow/tfjs-core';

/** How {@link conv2dReluTraining} convolves. */
export interface Conv2dReluTrainingArgs {
  strides: [number, number];
  pad: 'same' | 'valid';
  /** Whether x's gradient is wanted (false for a layer fed by the model input, where nothing uses it). */
  inputGradient: boolean;
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
  const forward = (input: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) =>
    tf
      .engine()
      .runKernel(
        'FusedConv2D',
        { x: input, filter: w, bias: b },
        { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], activation: 'relu' },
      ) as tf.Tensor4D;
  const backward = (dy: tf.Tensor4D, y: tf.Tensor4D, input: tf.Tensor4D, w: tf.Tensor4D) => {
    const masked = tf.mul(dy, tf.step(y)) as tf.Tensor4D;
    const dw = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x: input, dy: masked },
        { strides, pad, dataFormat: 'NHWC', filterShape: w.shape },
      ) as tf.Tensor4D;
    const db = tf.sum(masked, [0, 1, 2]) as tf.Tensor1D;
    return { masked, dw, db };
  };
  if (args.inputGradient) {
    const op = tf.customGrad((input, w, b, save) => {
      const y = forward(input as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D);
      (save as tf.GradSaveFunc)([input as tf.Tensor, w as tf.Tensor, y]);
      return {
        value: y,
        gradFunc: (dy, saved) =>
          tf.tidy(() => {
            const [inputSaved, wSaved, ySaved] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
            const { masked, dw, db } = backward(dy as tf.Tensor4D, ySaved, inputSaved, wSaved);
            const dx = tf.conv2dTranspose(masked, wSaved, inputSaved.shape, strides, pad);
            return [dx, dw, db];
          }),
      };
    });
    return op(x, filter, bias) as tf.Tensor4D;
  }
  // x is not an input of the taped op, so no gradient is asked for it; it is saved to outlive the forward pass.
  // (Both gradFuncs run in a tidy: TF.js calls them outside one, so their temporaries would live to the step's end.)
  const op = tf.customGrad((w, b, save) => {
    const y = forward(x, w as tf.Tensor4D, b as tf.Tensor1D);
    (save as tf.GradSaveFunc)([x, w as tf.Tensor, y]);
    return {
      value: y,
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [inputSaved, wSaved, ySaved] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
          const { dw, db } = backward(dy as tf.Tensor4D, ySaved, inputSaved, wSaved);
          return [dw, db];
        }),
    };
  });
  return op(filter, bias) as tf.Tensor4D;
}
