import * as tf from '@tensorflow/tfjs-core';
import { invalid } from '../preprocess/check_args.js';
import {
  booleanOption,
  checkSameShape,
  focusing,
  type LossFunction,
  logSigmoids,
  nonNegative,
  numberIn,
  PROBABILITY_EPSILON,
} from './loss_utils.js';

/** Options of {@link asymmetricLoss}. */
export interface AsymmetricLossArgs {
  /** Focusing parameter γ+ ≥ 0 of the positive term. @defaultValue 0 (the paper's choice) */
  gammaPos?: number;
  /** Focusing parameter γ− ≥ 0 of the negative term. @defaultValue 4 (the paper's choice) */
  gammaNeg?: number;
  /**
   * Probability margin m ∈ [0, 1) of the negative term: `p_m = max(p − m, 0)`, so easy negatives (p < m) are
   * discarded altogether. 0 turns shifting off.
   * @defaultValue 0.05
   */
  clip?: number;
  /**
   * How the per-element terms are reduced: `'mean'` over samples × classes, or `'sumOverClasses'`: summed over
   * classes and averaged over samples (the paper's per-image loss; its scale grows with the number of classes).
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sumOverClasses';
  /**
   * `true` when `yPred` holds logits, `false` for sigmoid probabilities (clipped to [1e-7, 1 − 1e-7]). From logits
   * `log p = −softplus(−x)` and `1 − p = σ(−x)` are computed without cancelling.
   * @defaultValue false
   */
  fromLogits?: boolean;
}

/**
 * Asymmetric loss (ASL) for multi-label classification, with different focusing on positives and negatives and
 * a probability margin on negatives:
 * `L+ = (1 − p)^γ+ · log p`, `L− = p_m^γ− · log(1 − p_m)`, `p_m = max(p − m, 0)`,
 * `ℓ = −(y · L+ + (1 − y) · L−)`, reduced as `reduction` says.
 *
 * @param args See {@link AsymmetricLossArgs}.
 * @returns A {@link LossFunction}; `yTrue` is 0/1 with the shape of `yPred`.
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: asymmetricLoss({ gammaNeg: 4, gammaPos: 0, clip: 0.05 }) });
 * ```
 * @throws {@link InvalidArgumentError} when a gamma is negative, `clip` is outside [0, 1), `reduction` is unknown
 * or `fromLogits` is not boolean.
 * @throws {@link ShapeError} (when called) if `yTrue` and `yPred` differ in shape.
 * @see T. Ridnik et al., "Asymmetric Loss For Multi-Label Classification", ICCV 2021, eq. 1-4 (eq. 4: the loss
 * with γ+, γ− and the shifted probability p_m).
 */
export function asymmetricLoss(args: AsymmetricLossArgs = {}): LossFunction {
  const fn = 'asymmetricLoss';
  const gammaPos = nonNegative(fn, 'gammaPos', args.gammaPos ?? 0);
  const gammaNeg = nonNegative(fn, 'gammaNeg', args.gammaNeg ?? 4);
  const clip = numberIn(fn, 'clip', args.clip ?? 0.05, 0, 1);
  const reduction = args.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sumOverClasses') {
    throw invalid(fn, 'reduction', "'mean' or 'sumOverClasses'", reduction);
  }
  const fromLogits = booleanOption(fn, 'fromLogits', args.fromLogits, false);
  return (yTrue, yPred) => {
    checkSameShape(fn, yTrue, yPred);
    return tf.tidy(() => {
      const y = tf.cast(yTrue, 'float32');
      const { logP, logQ } = logSigmoids(yPred, fromLogits);
      let p: tf.Tensor;
      let q: tf.Tensor; // 1 − p
      if (fromLogits) {
        p = tf.sigmoid(yPred);
        q = tf.sigmoid(tf.neg(yPred));
      } else {
        p = tf.clipByValue(yPred, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
        q = tf.sub(1, p);
      }
      const positive = tf.mul(focusing(q, gammaPos), logP);
      let negative: tf.Tensor;
      if (clip > 0) {
        const pm = tf.relu(tf.sub(p, clip));
        // 1 − p_m = min(1 − p + m, 1) ≥ m: its log is finite.
        negative = tf.mul(focusing(pm, gammaNeg), tf.log(tf.minimum(tf.add(q, clip), 1)));
      } else {
        negative = tf.mul(focusing(p, gammaNeg), logQ);
      }
      const terms = tf.neg(tf.add(tf.mul(y, positive), tf.mul(tf.sub(1, y), negative)));
      if (reduction === 'mean') return tf.mean(terms) as tf.Scalar;
      return tf.mean(terms.rank > 0 ? tf.sum(terms, -1) : terms) as tf.Scalar;
    });
  };
}
