import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/**
 * A loss: `(yTrue, yPred) => Scalar`, the mean over the batch (see each loss for how it reduces). Usable
 * standalone and as `model.compile({loss})` in tfjs-layers (which takes the mean of what it returns, a no-op
 * on a scalar, and sums the per-output losses of a multi-output model).
 */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Smallest probability a loss takes the log of when it is given probabilities (Keras's `epsilon()`). */
export const PROBABILITY_EPSILON = 1e-7;

/** Throws a ShapeError naming both shapes unless `yTrue` and `yPred` have the same shape. */
export function checkSameShape(fn: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  if (!(yTrue instanceof tf.Tensor) || !(yPred instanceof tf.Tensor)) {
    const [name, value] = yTrue instanceof tf.Tensor ? ['yPred', yPred] : ['yTrue', yTrue];
    throw invalid(fn, name, 'a tf.Tensor', value);
  }
  if (!tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
    throw new ShapeError(
      `${fn}: yTrue shape [${yTrue.shape}] does not match yPred shape [${yPred.shape}].`,
      yTrue.shape,
    );
  }
}

/** Throws a ShapeError unless `x` has at least `rank` dimensions. */
export function checkMinRank(fn: string, name: string, x: tf.Tensor, rank: number): void {
  if (x.rank < rank) {
    throw new ShapeError(
      `${fn}: ${name} must have rank ≥ ${rank}, but got rank ${x.rank} (shape [${x.shape}]).`,
      x.shape,
    );
  }
}

/** `log(1 + exp(x))` without overflow: `max(x, 0) + log1p(exp(−|x|))`. Finite value and gradient for any finite x. */
export function softplus(x: tf.Tensor): tf.Tensor {
  return tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}

/**
 * `log σ(x)` and `log(1 − σ(x))` of logits, or of probabilities `p` (clipped to [ε, 1 − ε] first).
 * From logits: `log σ(x) = −softplus(−x)`, `log(1 − σ(x)) = −softplus(x)`.
 */
export function logSigmoids(yPred: tf.Tensor, fromLogits: boolean): { logP: tf.Tensor; logQ: tf.Tensor } {
  if (fromLogits) return { logP: tf.neg(softplus(tf.neg(yPred))), logQ: tf.neg(softplus(yPred)) };
  const p = tf.clipByValue(yPred, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
  return { logP: tf.log(p), logQ: tf.log(tf.sub(1, p)) };
}

/** Probability `σ(x)` of logits, or the probability itself (clipped to [ε, 1 − ε]). */
export function probabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return fromLogits ? tf.sigmoid(yPred) : tf.clipByValue(yPred, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
}

/**
 * `base^gamma` for `base ∈ [0, 1]` with a finite gradient everywhere: 1 when gamma is 0, and the base kept
 * ≥ 1e-12 so that `gamma < 1` has no infinite slope at 0.
 */
export function focusing(base: tf.Tensor, gamma: number): tf.Tensor {
  if (gamma === 0) return tf.onesLike(base);
  if (gamma === 1) return base;
  return tf.pow(tf.maximum(base, 1e-12), gamma);
}

/** Reads a boolean option, rejecting truthy strings. */
export function booleanOption(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw invalid(fn, name, 'true or false', value);
  return v;
}

/** A number in [min, max) (or [min, max] with `closed`). */
export function numberIn(
  fn: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
  closed = false,
): number {
  const ok = typeof value === 'number' && value >= min && (closed ? value <= max : value < max);
  if (!ok) throw invalid(fn, name, `a number in [${min}, ${max}${closed ? ']' : ')'}`, value);
  return value as number;
}

/** A finite number ≥ 0. */
export function nonNegative(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(fn, name, 'a non-negative number', value);
  }
  return value;
}

/**
 * A positive number or a non-empty array of positive numbers (per class), as a tensor broadcasting over the
 * last axis of `like`. Per-class arrays must have one entry per column of `like`.
 */
export function perClass(
  fn: string,
  name: string,
  value: number | readonly number[],
  like: tf.Tensor,
): tf.Tensor {
  if (typeof value === 'number') return tf.scalar(value);
  const columns = like.shape[like.rank - 1];
  if (value.length !== columns) {
    throw invalid(
      fn,
      name,
      `one value per class (${columns}, the last axis of yPred [${like.shape}])`,
      value,
    );
  }
  return tf.tensor1d(value as number[]);
}

/** Validates a positive scalar or a non-empty array of them; returns a frozen copy. */
export function positiveOrList(
  fn: string,
  name: string,
  value: unknown,
  allowZero = false,
): number | readonly number[] {
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && (allowZero ? v >= 0 : v > 0);
  if (ok(value)) return value as number;
  if (Array.isArray(value) && value.length > 0 && value.every(ok)) return Object.freeze([...value]);
  const what = allowZero ? 'non-negative' : 'positive';
  throw invalid(fn, name, `a ${what} number or a non-empty array of ${what} numbers`, value);
}
