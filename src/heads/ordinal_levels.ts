import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/**
 * Encodes integer grades as the K − 1 binary levels an ordinal (CORAL) head predicts, `level_k = 1[grade > k]`:
 * grade 2 of 5 → `[1, 1, 0, 0]`. tfjs-layers' `fit` wants targets with the output's shape, so train an
 * {@link ordinalHead} on `ordinalLevels(grades, K)` (standalone, {@link coralLoss} also takes the grades).
 *
 * @param grades `[N]` or `[N, 1]` grades 0 … K − 1 (any numeric dtype; rounded to the nearest integer).
 * @param classes Number of grades K ≥ 2.
 * @returns float32 `[N, K − 1]`.
 * @example
 * ```ts
 * await model.fit(images, ordinalLevels(grades, 5), { epochs: 10 });
 * ```
 * @throws {@link ShapeError} when `grades` is not `[N]` or `[N, 1]`.
 * @throws {@link InvalidArgumentError} when `classes` is not an integer ≥ 2.
 */
function ordinalLevels_(grades: tf.Tensor1D | tf.Tensor2D, classes: number): tf.Tensor2D {
  const fn = 'ordinalLevels';
  if (!Number.isInteger(classes) || classes < 2) throw invalid(fn, 'classes', 'an integer ≥ 2', classes);
  if (!(grades.rank === 1 || (grades.rank === 2 && grades.shape[1] === 1))) {
    throw new ShapeError(
      `${fn}: grades must be [N] or [N, 1], but got shape [${grades.shape}].`,
      grades.shape,
    );
  }
  return tf.tidy(() => {
    const column = tf.reshape(tf.cast(grades, 'float32'), [-1, 1]);
    const thresholds = tf.add(tf.range(0, classes - 1, 1, 'float32'), 0.5);
    return tf.cast(tf.greater(column, thresholds), 'float32') as tf.Tensor2D;
  });
}

export const ordinalLevels = tf.op({ ordinalLevels_ });
