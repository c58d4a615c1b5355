import * as tf from '@tensorflow/tfjs-core';
import {
  booleanOption,
  checkMinRank,
  checkSameShape,
  type LossFunction,
  numberIn,
  PROBABILITY_EPSILON,
} from './loss_utils.js';

/** Options of {@link categoricalCrossEntropy}. */
export interface CategoricalCrossEntropyArgs {
  /**
   * Label smoothing ε in [0, 1): targets become `y·(1 − ε) + ε/K` for K classes (as PyTorch's
   * `cross_entropy(label_smoothing=ε)` and Keras's `CategoricalCrossentropy(label_smoothing=ε)`).
   * @defaultValue 0
   */
  labelSmoothing?: number;
  /**
   * `true` when `yPred` holds logits (scores before softmax), `false` when it holds probabilities (a head's
   * softmax output). Logits are more stable: `log_softmax` is computed directly; probabilities are clipped to
   * [1e-7, 1 − 1e-7] before the log.
   * @defaultValue false
   */
  fromLogits?: boolean;
}

/**
 * Categorical cross-entropy with label smoothing:
 * `L = mean over samples of −Σ_k t_k · log p_k`, `t = y·(1 − ε) + ε/K`.
 *
 * `yTrue` is one-hot (or soft) targets `[..., K]`; `yPred` is probabilities (default) or logits
 * (`fromLogits: true`) of the same shape. Every leading axis is averaged over. For integer class labels
 * use `tf.oneHot(labels, K)` first.
 *
 * @param args See {@link CategoricalCrossEntropyArgs}.
 * @returns A {@link LossFunction} `(yTrue, yPred) => Scalar`.
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: categoricalCrossEntropy({ labelSmoothing: 0.1 }) });
 * const value = categoricalCrossEntropy({ fromLogits: true })(oneHot, logits); // a Scalar
 * ```
 * @throws {@link InvalidArgumentError} when `labelSmoothing` is outside [0, 1) or `fromLogits` is not boolean.
 * @throws {@link ShapeError} (when called) if `yTrue` and `yPred` differ in shape or have rank < 1.
 * @see C. Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", CVPR 2016, section 7
 * (label-smoothing regularisation).
 */
export function categoricalCrossEntropy(args: CategoricalCrossEntropyArgs = {}): LossFunction {
  const fn = 'categoricalCrossEntropy';
  const smoothing = numberIn(fn, 'labelSmoothing', args.labelSmoothing ?? 0, 0, 1);
  const fromLogits = booleanOption(fn, 'fromLogits', args.fromLogits, false);
  return (yTrue, yPred) => {
    checkSameShape(fn, yTrue, yPred);
    checkMinRank(fn, 'yPred', yPred, 1);
    return tf.tidy(() => {
      const k = yPred.shape[yPred.rank - 1]!;
      let target = tf.cast(yTrue, 'float32');
      if (smoothing > 0) target = tf.add(tf.mul(target, 1 - smoothing), smoothing / k);
      const logP = fromLogits
        ? tf.logSoftmax(yPred)
        : tf.log(tf.clipByValue(yPred, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON));
      const perSample = tf.neg(tf.sum(tf.mul(target, logP), -1));
      return tf.mean(perSample) as tf.Scalar;
    });
  };
}
