import * as tf from '@tensorflow/tfjs-core';
import {
  booleanOption,
  checkSameShape,
  type LossFunction,
  logSigmoids,
  numberIn,
  perClass,
  positiveOrList,
} from './loss_utils.js';

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyArgs {
  /**
   * Weight of the positive term, one number or one per class (the last axis of `yPred`), > 0: as PyTorch's
   * `binary_cross_entropy_with_logits(pos_weight=…)`. Use `#negatives / #positives` of a class to balance it
   * (see `positiveWeightsFromCounts`).
   * @defaultValue 1
   */
  posWeight?: number | readonly number[];
  /**
   * Label smoothing ε in [0, 1): targets become `y·(1 − ε) + ε/2` (Keras's `BinaryCrossentropy`).
   * @defaultValue 0
   */
  labelSmoothing?: number;
  /**
   * `true` when `yPred` holds logits, `false` when it holds sigmoid probabilities (a head's output). From logits
   * the logs are `−softplus(∓x)`, finite for any logit; probabilities are clipped to [1e-7, 1 − 1e-7].
   * @defaultValue false
   */
  fromLogits?: boolean;
}

/**
 * Binary cross-entropy with per-class positive weights, for binary and multi-label outputs:
 * `ℓ = −[w_c · y · log p + (1 − y) · log(1 − p)]`, averaged over every element (samples × classes).
 *
 * `yTrue` holds 0/1 (or soft) targets with the shape of `yPred`.
 *
 * @param args See {@link BinaryCrossEntropyArgs}.
 * @returns A {@link LossFunction}.
 * @example
 * ```ts
 * const loss = binaryCrossEntropy({ posWeight: [1, 4, 12], fromLogits: true });
 * const value = loss(labels, logits); // [N, 3] each → Scalar
 * ```
 * @throws {@link InvalidArgumentError} when `posWeight` is not positive (or, when called, has the wrong length),
 * `labelSmoothing` is outside [0, 1) or `fromLogits` is not boolean.
 * @throws {@link ShapeError} (when called) if `yTrue` and `yPred` differ in shape.
 * @see PyTorch `torch.nn.BCEWithLogitsLoss` (`pos_weight`) for the weighting convention.
 */
export function binaryCrossEntropy(args: BinaryCrossEntropyArgs = {}): LossFunction {
  const fn = 'binaryCrossEntropy';
  const posWeight = positiveOrList(fn, 'posWeight', args.posWeight ?? 1);
  const smoothing = numberIn(fn, 'labelSmoothing', args.labelSmoothing ?? 0, 0, 1);
  const fromLogits = booleanOption(fn, 'fromLogits', args.fromLogits, false);
  return (yTrue, yPred) => {
    checkSameShape(fn, yTrue, yPred);
    return tf.tidy(() => {
      const weight = posWeight === 1 ? null : perClass(fn, 'posWeight', posWeight, yPred);
      let y = tf.cast(yTrue, 'float32');
      if (smoothing > 0) y = tf.add(tf.mul(y, 1 - smoothing), smoothing / 2);
      const { logP, logQ } = logSigmoids(yPred, fromLogits);
      let positive = tf.mul(y, logP);
      if (weight) positive = tf.mul(positive, weight);
      const negative = tf.mul(tf.sub(1, y), logQ);
      return tf.neg(tf.mean(tf.add(positive, negative))) as tf.Scalar;
    });
  };
}
