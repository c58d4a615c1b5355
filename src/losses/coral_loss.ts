import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';
import { booleanOption, type LossFunction, logSigmoids, positiveOrList } from './loss_utils.js';

/** Options of {@link coralLoss}. */
export interface CoralLossArgs {
  /**
   * Importance λ_k ≥ 0 of each of the K − 1 binary tasks ("is the grade above k?"), one number for all or one
   * per task.
   * @defaultValue 1
   */
  importance?: number | readonly number[];
  /**
   * `true` when `yPred` holds the K − 1 logits (the `<name>_logits` layer of an ordinal head), `false` when it
   * holds their sigmoids, the cumulative probabilities P(grade > k) (the head's output).
   * @defaultValue false
   */
  fromLogits?: boolean;
}

/**
 * CORAL ordinal loss (Cao et al. 2020): K − 1 weighted binary cross-entropies on the cumulative tasks
 * "grade > k", summed over k and averaged over samples:
 * `L = mean over n of −Σ_k λ_k [y_k log σ(g_k) + (1 − y_k) log(1 − σ(g_k))]`, `y_k = 1[grade > k]`.
 *
 * `yPred` is `[N, K − 1]`. `yTrue` is either the integer grades 0 … K − 1 as `[N]` or `[N, 1]`, or the binary
 * levels `y_k` as `[N, K − 1]` (the two coincide when K = 2).
 *
 * @param args See {@link CoralLossArgs}.
 * @returns A {@link LossFunction}.
 * @example
 * ```ts
 * const model = attachHead(backbone, ordinalHead({ classes: 5 }));
 * model.compile({ optimizer: 'adam', loss: coralLoss() });
 * await model.fit(images, ordinalLevels(grades, 5)); // fit wants targets shaped like the output
 * const value = coralLoss()(grades, model.predict(images) as tf.Tensor); // standalone: grades [N] work too
 * ```
 * @throws {@link InvalidArgumentError} when `importance` is negative (or, when called, has the wrong length) or
 * `fromLogits` is not boolean.
 * @throws {@link ShapeError} (when called) if `yPred` is not rank 2 or `yTrue` is neither `[N]`, `[N, 1]` nor
 * the shape of `yPred`; the message names both shapes.
 * Note that tfjs-layers' `fit` requires targets with the output's shape: pass levels (`ordinalLevels`) there.
 * @see W. Cao, V. Mirjalili, S. Raschka, "Rank consistent ordinal regression for neural networks with
 * application to age estimation", Pattern Recognition Letters 140, 2020, eq. 4.
 */
export function coralLoss(args: CoralLossArgs = {}): LossFunction {
  const fn = 'coralLoss';
  const importance = positiveOrList(fn, 'importance', args.importance ?? 1, true);
  const fromLogits = booleanOption(fn, 'fromLogits', args.fromLogits, false);
  return (yTrue, yPred) => {
    if (!(yTrue instanceof tf.Tensor) || !(yPred instanceof tf.Tensor)) {
      const [name, value] = yTrue instanceof tf.Tensor ? ['yPred', yPred] : ['yTrue', yTrue];
      throw invalid(fn, name, 'a tf.Tensor', value);
    }
    const [n, tasks] = yPred.shape;
    const isLevels = tf.util.arraysEqual(yTrue.shape, yPred.shape);
    const isGrades = yTrue.shape[0] === n && (yTrue.rank === 1 || (yTrue.rank === 2 && yTrue.shape[1] === 1));
    if (yPred.rank !== 2 || !(isLevels || isGrades)) {
      throw new ShapeError(
        `${fn}: yPred must be [N, K - 1] and yTrue [N], [N, 1] or [N, K - 1], but got yTrue shape ` +
          `[${yTrue.shape}] and yPred shape [${yPred.shape}].`,
        yTrue.shape,
      );
    }
    return tf.tidy(() => {
      let levels: tf.Tensor;
      if (isLevels) {
        levels = tf.cast(yTrue, 'float32');
      } else {
        // grade > k, with a half-unit margin so float grades such as 2.0000001 count as 2.
        const thresholds = tf.add(tf.range(0, tasks!, 1, 'float32'), 0.5);
        levels = tf.cast(tf.greater(tf.reshape(tf.cast(yTrue, 'float32'), [n!, 1]), thresholds), 'float32');
      }
      const { logP, logQ } = logSigmoids(yPred, fromLogits);
      let terms = tf.add(tf.mul(levels, logP), tf.mul(tf.sub(1, levels), logQ));
      if (importance !== 1) {
        if (typeof importance !== 'number' && importance.length !== tasks) {
          throw invalid(
            fn,
            'importance',
            `one value per task (${tasks}, the last axis of yPred)`,
            importance,
          );
        }
        terms = tf.mul(terms, typeof importance === 'number' ? importance : tf.tensor1d([...importance]));
      }
      return tf.neg(tf.mean(tf.sum(terms, -1))) as tf.Scalar;
    });
  };
}
