import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/** Checks cut-points are finite and non-decreasing. */
export function checkCutPoints(fn: string, cutPoints: unknown): number[] {
  const ok =
    Array.isArray(cutPoints) &&
    cutPoints.length > 0 &&
    cutPoints.every((c, i) => Number.isFinite(c) && (i === 0 || c >= cutPoints[i - 1]));
  if (!ok) throw invalid(fn, 'cutPoints', 'a non-empty array of non-decreasing finite numbers', cutPoints);
  return [...(cutPoints as number[])];
}

/**
 * Turns a regression head's continuous outputs into grades with cut-points:
 * `grade = #{k : prediction ≥ cutPoints[k]}` (as NumPy's `digitize`), so K − 1 cut-points give grades 0 … K − 1.
 *
 * @param predictions `[N]` or `[N, 1]` continuous grades.
 * @param cutPoints Non-decreasing, e.g. from {@link optimiseCutPoints}; `[0.5, 1.5, 2.5, 3.5]` is rounding.
 * @returns int32 `[N]` grades.
 * @example
 * ```ts
 * const { cutPoints } = await optimiseCutPoints(valPredictions, valGrades);
 * const grades = applyCutPoints(model.predict(images) as tf.Tensor2D, cutPoints);
 * ```
 * @throws {@link ShapeError} when `predictions` is not `[N]` or `[N, 1]`.
 * @throws {@link InvalidArgumentError} when `cutPoints` is empty, not finite or decreasing.
 */
function applyCutPoints_(predictions: tf.Tensor1D | tf.Tensor2D, cutPoints: readonly number[]): tf.Tensor1D {
  const fn = 'applyCutPoints';
  const cuts = checkCutPoints(fn, cutPoints);
  if (!(predictions.rank === 1 || (predictions.rank === 2 && predictions.shape[1] === 1))) {
    throw new ShapeError(
      `${fn}: predictions must be [N] or [N, 1], but got shape [${predictions.shape}].`,
      predictions.shape,
    );
  }
  return tf.tidy(() => {
    const column = tf.reshape(predictions, [-1, 1]);
    return tf.sum(tf.cast(tf.greaterEqual(column, tf.tensor1d(cuts)), 'int32'), 1) as tf.Tensor1D;
  });
}

export const applyCutPoints = tf.op({ applyCutPoints_ });
