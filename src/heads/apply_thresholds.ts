import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/**
 * Turns per-class probabilities into 0/1 decisions with one threshold per class:
 * `decision[n, c] = probs[n, c] ≥ thresholds[c]`.
 *
 * @param probs `[N, C]` probabilities (or `[N]` with one threshold).
 * @param thresholds One per class, e.g. from {@link chooseThresholds}, or one number for every class.
 * @returns float32 0/1, the shape of `probs`.
 * @example
 * ```ts
 * const { thresholds } = await chooseThresholds(valProbs, valLabels);
 * const decisions = applyThresholds(testProbs, thresholds);
 * ```
 * @throws {@link ShapeError} when `probs` is not rank 1 or 2.
 * @throws {@link InvalidArgumentError} when the number of thresholds is not the number of classes or one is
 * not finite.
 */
function applyThresholds_<T extends tf.Tensor1D | tf.Tensor2D>(
  probs: T,
  thresholds: number | readonly number[],
): T {
  const fn = 'applyThresholds';
  if (probs.rank !== 1 && probs.rank !== 2) {
    throw new ShapeError(`${fn}: probs must be [N] or [N, C], but got shape [${probs.shape}].`, probs.shape);
  }
  const classes = probs.rank === 2 ? probs.shape[1]! : 1;
  const list = typeof thresholds === 'number' ? [thresholds] : thresholds;
  if (
    !Array.isArray(list) ||
    (list.length !== classes && list.length !== 1) ||
    !list.every(Number.isFinite)
  ) {
    throw invalid(fn, 'thresholds', `${classes} finite number(s), one per class`, thresholds);
  }
  return tf.tidy(() => tf.cast(tf.greaterEqual(probs, tf.tensor1d([...list])), 'float32') as T);
}

export const applyThresholds = tf.op({ applyThresholds_ });
