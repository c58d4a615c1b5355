import * as tf from '@tensorflow/tfjs-core';

/** The Grad-CAM family members {@link gradCam} computes; they differ only in how gradients weight activations. */
export type CamMethod = 'gradcam' | 'gradcam++' | 'hirescam' | 'layercam';

/** Valid {@link CamMethod} names. */
export const CAM_METHODS: readonly CamMethod[] = ['gradcam', 'gradcam++', 'hirescam', 'layercam'];

/**
 * Channel weights w[n, k] of Grad-CAM (the spatial mean of the gradients, Selvaraju et al. 2017 Eq. 1) or
 * Grad-CAM++ (Chattopadhyay et al. 2018 Eq. 19 and Eq. 10).
 *
 * Grad-CAM++ with the exponential score Y = exp(S): its derivatives are exp(S)·G, exp(S)·G², exp(S)·G³ when the
 * network is piecewise linear in A (ReLU), so Eq. 19 becomes α = G² / (2·G² + Σ_ab A_ab·G³) (exp(S) cancels),
 * with α = 0 where the denominator is 0, and w_k = Σ_ij α_ij·relu(G_ij) (Eq. 10 up to the positive per-image
 * factor exp(S), dropped because it overflows for large scores and changes no normalised map).
 *
 * @param activations A, [N, h, w, K].
 * @param gradients G = ∂S/∂A, [N, h, w, K].
 * @returns [N, K].
 */
export function camWeights(
  method: 'gradcam' | 'gradcam++',
  activations: tf.Tensor4D,
  gradients: tf.Tensor4D,
) {
  return tf.tidy(() => {
    if (method === 'gradcam') return tf.mean(gradients, [1, 2]) as tf.Tensor2D;
    const g2 = tf.square(gradients);
    const g3 = tf.mul(g2, gradients);
    const sumA = tf.sum(activations, [1, 2], true);
    const denominator = tf.add(tf.mul(2, g2), tf.mul(sumA, g3));
    const safe = tf.where(tf.equal(denominator, 0), tf.onesLike(denominator), denominator);
    const alpha = tf.where(tf.equal(denominator, 0), tf.zerosLike(g2), tf.div(g2, safe));
    return tf.sum(tf.mul(alpha, tf.relu(gradients)), [1, 2]) as tf.Tensor2D;
  });
}

/**
 * The class activation map of one method, before ReLU: Σ_k of the method's gradient weighting times A_k.
 * - `gradcam`, `gradcam++`: w[n, k]·A[n, :, :, k] with {@link camWeights}.
 * - `hirescam`: G ⊙ A (Draelos & Carin 2020: element-wise, no spatial averaging).
 * - `layercam`: relu(G) ⊙ A (Jiang et al. 2021, Eq. 5-6).
 *
 * @returns [N, h, w].
 */
export function camMap(method: CamMethod, activations: tf.Tensor4D, gradients: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    if (method === 'hirescam') return tf.sum(tf.mul(gradients, activations), 3) as tf.Tensor3D;
    if (method === 'layercam') return tf.sum(tf.mul(tf.relu(gradients), activations), 3) as tf.Tensor3D;
    const [n, , , k] = activations.shape;
    const w = tf.reshape(camWeights(method, activations, gradients), [n, 1, 1, k]);
    return tf.sum(tf.mul(w, activations), 3) as tf.Tensor3D;
  });
}
