import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';

/**
 * Converts an ordinal head's cumulative probabilities `c_k = P(grade > k)` into per-grade probabilities
 * `[1 − c_0, c_0 − c_1, …, c_{K−3} − c_{K−2}, c_{K−2}]` (each clipped at 0, for metrics such as one-vs-rest
 * AUC). They sum to 1 when the c_k are non-increasing, which CORAL's shared weights give once the biases are
 * ordered.
 *
 * @param cumulative `[N, K − 1]` probabilities.
 * @returns `[N, K]`.
 * @example
 * ```ts
 * const perGrade = ordinalProbabilities(model.predict(images) as tf.Tensor2D); // [N, 5]
 * ```
 * @throws {@link ShapeError} when the input is not rank 2.
 */
function ordinalProbabilities_(cumulative: tf.Tensor2D): tf.Tensor2D {
  if (cumulative.rank !== 2) {
    throw new ShapeError(
      `ordinalProbabilities: input must be [N, K - 1], but got shape [${cumulative.shape}].`,
      cumulative.shape,
    );
  }
  return tf.tidy(() => {
    const [n] = cumulative.shape;
    const padded = tf.concat([tf.ones([n, 1]), cumulative, tf.zeros([n, 1])], 1);
    const k = cumulative.shape[1] + 1;
    const upper = tf.slice(padded, [0, 0], [n, k]);
    const lower = tf.slice(padded, [0, 1], [n, k]);
    return tf.relu(tf.sub(upper, lower)) as tf.Tensor2D;
  });
}

export const ordinalProbabilities = tf.op({ ordinalProbabilities_ });
