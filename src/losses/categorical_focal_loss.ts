import * as tf from '@tensorflow/tfjs-core';
import {
  booleanOption,
  checkMinRank,
  checkSameShape,
  focusing,
  type LossFunction,
  nonNegative,
  PROBABILITY_EPSILON,
  perClass,
  positiveOrList,
} from './loss_utils.js';

/** Options of {@link categoricalFocalLoss}. */
export interface CategoricalFocalLossArgs {
  /**
   * Class weight α_k ≥ 0: one number for every class, or one per class (the last axis of `yPred`). Keras's
   * `CategoricalFocalCrossentropy` uses 0.25 for every class, which only scales the loss.
   * @defaultValue 1
   */
  alpha?: number | readonly number[];
  /** Focusing parameter γ ≥ 0; 0 gives (α-weighted) categorical cross-entropy. @defaultValue 2 */
  gamma?: number;
  /**
   * `true` when `yPred` holds logits (`log_softmax` computed directly), `false` for softmax probabilities
   * (clipped to [1e-7, 1 − 1e-7]).
   * @defaultValue false
   */
  fromLogits?: boolean;
}

/**
 * Categorical (softmax) focal loss for one-hot targets:
 * `FL = mean over samples of −Σ_k α_k · y_k · (1 − p_k)^γ · log p_k`.
 *
 * `yTrue` is one-hot `[..., K]`; `yPred` probabilities (default) or logits of the same shape.
 *
 * @param args See {@link CategoricalFocalLossArgs}.
 * @returns A {@link LossFunction}.
 * @example
 * ```ts
 * const loss = categoricalFocalLoss({ gamma: 2, alpha: [0.25, 1, 1, 1, 1] });
 * model.compile({ optimizer: 'adam', loss });
 * ```
 * @throws {@link InvalidArgumentError} when `alpha` is negative (or, when called, has the wrong length),
 * `gamma` is negative or `fromLogits` is not boolean.
 * @throws {@link ShapeError} (when called) if `yTrue` and `yPred` differ in shape.
 * @see T.-Y. Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017, eq. 5, with the softmax
 * probability of the true class as p_t.
 */
export function categoricalFocalLoss(args: CategoricalFocalLossArgs = {}): LossFunction {
  const fn = 'categoricalFocalLoss';
  const alpha = positiveOrList(fn, 'alpha', args.alpha ?? 1, true);
  const gamma = nonNegative(fn, 'gamma', args.gamma ?? 2);
  const fromLogits = booleanOption(fn, 'fromLogits', args.fromLogits, false);
  return (yTrue, yPred) => {
    checkSameShape(fn, yTrue, yPred);
    checkMinRank(fn, 'yPred', yPred, 1);
    return tf.tidy(() => {
      const y = tf.cast(yTrue, 'float32');
      let logP: tf.Tensor;
      let p: tf.Tensor;
      if (fromLogits) {
        logP = tf.logSoftmax(yPred);
        p = tf.exp(logP);
      } else {
        p = tf.clipByValue(yPred, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
        logP = tf.log(p);
      }
      let terms = tf.mul(tf.mul(y, focusing(tf.sub(1, p), gamma)), logP);
      if (alpha !== 1) terms = tf.mul(terms, perClass(fn, 'alpha', alpha, yPred));
      return tf.neg(tf.mean(tf.sum(terms, -1))) as tf.Scalar;
    });
  };
}
