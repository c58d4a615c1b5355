import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/** Options of {@link decodeOrdinal}. */
export interface DecodeOrdinalArgs {
  /** Probability above which "grade > k" counts as true, in (0, 1). @defaultValue 0.5 */
  threshold?: number;
  /** `true` when the input holds the K − 1 logits rather than their sigmoids. @defaultValue false */
  fromLogits?: boolean;
}

/**
 * Decodes an ordinal (CORAL) head's output to grades: `grade = #{k : P(grade > k) > threshold}`.
 *
 * @param cumulative `[N, K − 1]` cumulative probabilities P(grade > k) (the head's output), or logits with
 * `fromLogits`.
 * @param args See {@link DecodeOrdinalArgs}.
 * @returns int32 `[N]` grades in 0 … K − 1.
 * @example
 * ```ts
 * const grades = decodeOrdinal(model.predict(images) as tf.Tensor2D);
 * ```
 * @throws {@link ShapeError} when the input is not rank 2.
 * @throws {@link InvalidArgumentError} when `threshold` is not in (0, 1).
 * @see W. Cao et al., Pattern Recognition Letters 140, 2020, eq. 5.
 */
function decodeOrdinal_(cumulative: tf.Tensor2D, args: DecodeOrdinalArgs = {}): tf.Tensor1D {
  const fn = 'decodeOrdinal';
  const threshold = args.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
    throw invalid(fn, 'threshold', 'a number in (0, 1)', threshold);
  }
  if (cumulative.rank !== 2) {
    throw new ShapeError(
      `${fn}: input must be [N, K - 1], but got shape [${cumulative.shape}].`,
      cumulative.shape,
    );
  }
  const cut = args.fromLogits ? Math.log(threshold / (1 - threshold)) : threshold;
  return tf.tidy(() => tf.sum(tf.cast(tf.greater(cumulative, cut), 'int32'), 1) as tf.Tensor1D);
}

export const decodeOrdinal = tf.op({ decodeOrdinal_ });
