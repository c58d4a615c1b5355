import * as tf from '@tensorflow/tfjs-core';
import { invalid } from '../preprocess/check_args.js';
import {
  booleanOption,
  checkSameShape,
  focusing,
  type LossFunction,
  logSigmoids,
  nonNegative,
  PROBABILITY_EPSILON,
} from './loss_utils.js';

/** Options of {@link binaryFocalLoss}. */
export interface BinaryFocalLossArgs {
  /**
   * Weight α ∈ [0, 1] of the positive term (negatives get 1 − α), or `null` for no weighting. As torchvision's
   * `sigmoid_focal_loss(alpha=…)` (a negative alpha there means `null` here).
   * @defaultValue 0.25
   */
  alpha?: number | null;
  /** Focusing parameter γ ≥ 0; 0 gives (α-weighted) binary cross-entropy. @defaultValue 2 */
  gamma?: number;
  /**
   * `true` when `yPred` holds logits, `false` for sigmoid probabilities. From logits `log σ(x)` and `1 − σ(x)` are
   * computed without cancelling (`−softplus(−x)`, `σ(−x)`); probabilities are clipped to [1e-7, 1 − 1e-7].
   * @defaultValue false
   */
  fromLogits?: boolean;
}

/**
 * Binary (sigmoid) focal loss, for binary and multi-label outputs:
 * `FL = α_t · (1 − p_t)^γ · BCE(p, y)` with `p_t = p·y + (1 − p)·(1 − y)`, `α_t = α·y + (1 − α)·(1 − y)`,
 * averaged over every element (as torchvision's `sigmoid_focal_loss(..., reduction='mean')`).
 *
 * @param args See {@link BinaryFocalLossArgs}.
 * @returns A {@link LossFunction}.
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: binaryFocalLoss({ alpha: 0.25, gamma: 2 }) });
 * ```
 * @throws {@link InvalidArgumentError} when `alpha` is outside [0, 1] (and not null), `gamma` is negative or
 * `fromLogits` is not boolean.
 * @throws {@link ShapeError} (when called) if `yTrue` and `yPred` differ in shape.
 * @see T.-Y. Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017, eq. 5 (α-balanced focal loss).
 */
export function binaryFocalLoss(args: BinaryFocalLossArgs = {}): LossFunction {
  const fn = 'binaryFocalLoss';
  const alpha = args.alpha === undefined ? 0.25 : args.alpha;
  if (alpha !== null && !(typeof alpha === 'number' && alpha >= 0 && alpha <= 1)) {
    throw invalid(fn, 'alpha', 'a number in [0, 1] or null', alpha);
  }
  const gamma = nonNegative(fn, 'gamma', args.gamma ?? 2);
  const fromLogits = booleanOption(fn, 'fromLogits', args.fromLogits, false);
  return (yTrue, yPred) => {
    checkSameShape(fn, yTrue, yPred);
    return tf.tidy(() => {
      const y = tf.cast(yTrue, 'float32');
      const notY = tf.sub(1, y);
      const { logP, logQ } = logSigmoids(yPred, fromLogits);
      const ce = tf.neg(tf.add(tf.mul(y, logP), tf.mul(notY, logQ)));
      let p: tf.Tensor;
      let q: tf.Tensor; // 1 − p
      if (fromLogits) {
        p = tf.sigmoid(yPred);
        q = tf.sigmoid(tf.neg(yPred));
      } else {
        p = tf.clipByValue(yPred, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
        q = tf.sub(1, p);
      }
      const oneMinusPt = tf.add(tf.mul(y, q), tf.mul(notY, p));
      let loss = tf.mul(ce, focusing(oneMinusPt, gamma));
      if (alpha !== null) loss = tf.mul(loss, tf.add(tf.mul(y, alpha), tf.mul(notY, 1 - alpha)));
      return tf.mean(loss) as tf.Scalar;
    });
  };
}
