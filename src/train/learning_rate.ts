import type { Optimizer } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.js';

/** The parts of tfjs-core's optimisers that hold the rate (all keep it in `learningRate`; SGD also caches it). */
type WithRate = Optimizer & { learningRate?: number; setLearningRate?: (lr: number) => void };

/**
 * Sets a tfjs-core optimiser's learning rate for its next updates. SGD and momentum (which cache −lr as a
 * tensor) go through their `setLearningRate`; Adam, Adamax, Adagrad, Adadelta and RMSProp read their
 * `learningRate` field at every `applyGradients`, which this sets.
 *
 * @param optimizer A tfjs-core optimiser (`tf.train.adam(…)`, `tf.train.sgd(…)`, …).
 * @param learningRate The new rate, a non-negative finite number.
 * @example
 * ```ts
 * const opt = tf.train.adam(1e-3);
 * setLearningRate(opt, 1e-4);
 * getLearningRate(opt); // 1e-4
 * ```
 * @throws {@link InvalidArgumentError} for a negative or non-finite rate, or an optimiser without a learning rate.
 */
export function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  const fn = 'setLearningRate';
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate < 0) {
    throw new InvalidArgumentError(
      'learningRate',
      `${fn}: learningRate must be a non-negative finite number, but got ${String(learningRate)}.`,
      learningRate,
    );
  }
  const opt = optimizer as WithRate;
  if (typeof opt.setLearningRate === 'function') opt.setLearningRate(learningRate);
  else if (typeof opt.learningRate === 'number') opt.learningRate = learningRate;
  else {
    throw new InvalidArgumentError(
      'optimizer',
      `${fn}: optimizer ${optimizer?.getClassName?.() ?? String(optimizer)} has no learning rate to set.`,
      optimizer,
    );
  }
}

/**
 * The learning rate a tfjs-core optimiser will use for its next update.
 *
 * @param optimizer A tfjs-core optimiser.
 * @example
 * ```ts
 * getLearningRate(tf.train.sgd(0.01)); // 0.01
 * ```
 * @throws {@link InvalidArgumentError} for an optimiser without a learning rate.
 */
export function getLearningRate(optimizer: Optimizer): number {
  const rate = (optimizer as WithRate).learningRate;
  if (typeof rate !== 'number') {
    throw new InvalidArgumentError(
      'optimizer',
      `getLearningRate: optimizer ${optimizer?.getClassName?.() ?? String(optimizer)} has no learning rate.`,
      optimizer,
    );
  }
  return rate;
}
