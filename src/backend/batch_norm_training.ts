import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The parts of tfjs-layers' BatchNormalization this patch reads (its fields are not in the public types). */
interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tfl.LayerVariable | null;
  beta: tfl.LayerVariable | null;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
}

type Call = (this: unknown, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor;

let original: Call | undefined;

/**
 * Batch normalisation in training mode with its gradient in closed form, for channels-last inputs:
 * y = γ·x̂ + β with x̂ = (x − μ)·rstd over every axis but the last, and
 * dx = γ·rstd/n · (n·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy.
 * The forward pass is tfjs-layers' own (`moments`, then the `FusedBatchNorm` kernel), so outputs are identical;
 * the backward pass is 7 elementwise passes and 2 reductions instead of the ~20 kernels TF.js runs through
 * `FusedBatchNorm`'s and `moments`' generic gradients, and it keeps fewer tensors alive.
 *
 * @returns y, and the batch mean and (biased) variance for the moving averages; the caller disposes those two.
 * @example
 * ```ts
 * const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-3); // x: [N, H, W, C]
 * const dx = tf.grad((input) => tf.sum(batchNormTraining(input, gamma, beta, 1e-3).y))(x);
 * ```
 * @throws Nothing of its own; TF.js's shape errors when γ or β do not have C values.
 * @see S. Ioffe, C. Szegedy, "Batch Normalization", ICML 2015, §3 (the backward pass).
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const n = x.size / x.shape[x.rank - 1]!;
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const normalise = tf.customGrad((input, g, b, save) => {
    const [xs, scale, offset] = [input, g, b] as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const { mean, variance } = tf.moments(xs, axes);
    stats = { mean: tf.keep(mean) as tf.Tensor1D, variance: tf.keep(variance) as tf.Tensor1D };
    (save as tf.GradSaveFunc)([xs, mean, variance, scale]);
    return {
      value: tf.batchNorm(xs, mean, variance, offset, scale, epsilon),
      // In a tidy: TF.js runs a customGrad's gradFunc inside the whole backward pass's scope, so without one its
      // intermediates (x − μ, x̂, dy·x̂, … : six tensors the size of x) would stay alive until the pass ends.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sMean, sVariance, sScale] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
          const rstd = tf.rsqrt(tf.add(sVariance, epsilon));
          const xhat = tf.mul(tf.sub(sx, sMean), rstd);
          const dBeta = tf.sum(dy, axes);
          const dGamma = tf.sum(tf.mul(dy, xhat), axes);
          const centred = tf.sub(tf.sub(dy, tf.div(dBeta, n)), tf.mul(xhat, tf.div(dGamma, n)));
          return [tf.mul(centred, tf.mul(sScale, rstd)), dGamma, dBeta];
        }),
    };
  });
  const y = normalise(x, gamma, beta);
  return { y, ...stats! };
}

/**
 * Makes every tfjs-layers `BatchNormalization` in training mode (`fit`, `trainOnBatch`) use
 * {@link batchNormTraining} when its input is channels-last with both γ and β (every backbone here); other
 * configurations and inference run tfjs-layers' own code. Outputs and moving-average updates are the same as
 * before; only the gradient is computed differently (same values within float32 rounding). Idempotent;
 * `setupBackend` calls it.
 *
 * @returns whether this call installed it.
 * @throws Never.
 * @example
 * ```ts
 * registerBatchNormTraining(); // BatchNormalization layers now backpropagate in closed form
 * ```
 */
export function registerBatchNormTraining(): boolean {
  if (original !== undefined) return false;
  const prototype = batchNormPrototype();
  original = prototype.call;
  const fallback = original;
  prototype.call = function call(this: unknown, inputs, kwargs) {
    const layer = this as BatchNormLayer;
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const axis = layer.axis < 0 ? layer.axis + x.rank : layer.axis;
    const eligible =
      kwargs?.training === true &&
      x.dtype === 'float32' &&
      x.rank >= 2 &&
      axis === x.rank - 1 &&
      layer.gamma !== null &&
      layer.beta !== null &&
      layer.center &&
      layer.scale;
    if (!eligible) return fallback.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(
        x,
        layer.gamma!.read() as tf.Tensor1D,
        layer.beta!.read() as tf.Tensor1D,
        layer.epsilon,
      );
      // The moving averages exactly as tfjs-layers updates them: v ← v − (v − value)·(1 − momentum).
      for (const [variable, value] of [
        [layer.movingMean, mean],
        [layer.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - layer.momentum)));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    });
  };
  return true;
}

/** Puts tfjs-layers' own BatchNormalization back (for tests comparing the two). */
export function unregisterBatchNormTraining(): void {
  if (original === undefined) return;
  batchNormPrototype().call = original;
  original = undefined;
}

/**
 * tfjs-layers' BatchNormalization prototype, from the class registry (making a layer to find it would use up an
 * automatic layer name, shifting the names of the user's own unnamed layers).
 */
function batchNormPrototype(): { call: Call } {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization;
  const cls = entry?.[0] ?? Object.getPrototypeOf(tfl.layers.batchNormalization({})).constructor;
  return (cls as { prototype: { call: Call } }).prototype;
}
