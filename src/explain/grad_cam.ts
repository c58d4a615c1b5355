import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { type CamGradientsArgs, camGradients, checkBoolean } from './cam_gradients.js';
import { CAM_METHODS, type CamMethod, camMap } from './cam_map.js';

/** Arguments of {@link gradCam}. */
export interface GradCamArgs extends CamGradientsArgs {
  /**
   * How gradients weight the activations (see {@link camMap}).
   * @defaultValue `'gradcam'`
   */
  method?: CamMethod;
  /**
   * Keep only positive evidence (ReLU on each map), as in the papers. `false` keeps the signed map.
   * @defaultValue true
   */
  relu?: boolean;
  /**
   * Min-max scale each image's heatmap to [0, 1] (a constant map becomes 0); with several layers, each layer's
   * map is scaled before they are averaged, and the average again. `false` returns the upsampled maps (averaged)
   * in the units of the score.
   * @defaultValue true
   */
  normalize?: boolean;
}

/** What {@link gradCam} returns; the caller owns (and disposes) the tensors. */
export interface GradCamResult {
  /** [N, H, W] at the size of the (first rank-4) input, bilinear upsampling; in [0, 1] when `normalize`. */
  heatmaps: tf.Tensor3D;
  /** One map per explained layer, [N, h, w] at the layer's resolution, after `relu` if set, not normalised. */
  raw: tf.Tensor3D[];
  /** The explained layers' paths (`'backbone/conv5_block3_out'`), in the order of `raw`. */
  layers: string[];
  /** The explained score of each image, [N] (a logit unless `logits: false`). */
  scores: tf.Tensor1D;
}

const FN = 'gradCam';

/**
 * Gradient-weighted class activation maps (Grad-CAM, Grad-CAM++, HiResCAM, LayerCAM) for any tf.layers model:
 * branched graphs (ResNet, Inception), a backbone nested inside a classifier, several outputs. The methods share
 * {@link camGradients} (one forward pass up to the layer and a partial backward pass, no auxiliary model) and
 * differ only in {@link camMap}'s weighting. Inference mode (no dropout). Visualise with {@link overlay}.
 *
 * @param model A functional or Sequential `tf.LayersModel`.
 * @param input The model's input, [N, H, W, C] (or an array for a multi-input model; the heatmaps take the size of
 * the first rank-4 input).
 * @param args See {@link GradCamArgs}.
 * @returns heatmaps, raw maps, layer paths and scores — see {@link GradCamResult}.
 * @example
 * ```ts
 * const { heatmaps, raw, scores } = gradCam(model, images, { method: 'gradcam++' });
 * const rgb = overlay(images, heatmaps, { colormap: 'turbo', alpha: 0.4 });
 * tf.dispose([heatmaps, ...raw, scores, rgb]);
 * // A sigmoid multi-label head: label 3 (its logit), a layer inside a nested backbone:
 * gradCam(model, images, { target: 3, layer: 'resnet50/conv4_block6_out' });
 * // An ordinal head with 4 threshold logits: explain the expected grade.
 * gradCam(model, images, { target: (logits) => tf.sum(tf.sigmoid(logits), 1) });
 * ```
 * @throws {@link InvalidArgumentError} for a bad `method`, `relu` or `normalize`, and as {@link camGradients}
 * (model, layer, target, output).
 * @throws {@link ShapeError} when no input is a rank-4 image batch, and as {@link camGradients}.
 * @see R. R. Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", ICCV 2017, Eq. 1-2.
 * @see A. Chattopadhyay et al., "Grad-CAM++: Improved Visual Explanations for Deep Convolutional Networks",
 * WACV 2018, Eq. 19 and Eq. 10.
 * @see R. L. Draelos, L. Carin, "Use HiResCAM instead of Grad-CAM for faithful explanations of convolutional
 * neural networks", arXiv 2011.08891, 2020.
 * @see P.-T. Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization", IEEE TIP
 * 2021, Eq. 5-6.
 */
export function gradCam(
  model: tfl.LayersModel,
  input: tf.Tensor | readonly tf.Tensor[],
  args: GradCamArgs = {},
): GradCamResult {
  const method = args.method ?? 'gradcam';
  if (!CAM_METHODS.includes(method)) {
    throw new InvalidArgumentError(
      'method',
      `${FN}: method must be one of ${CAM_METHODS.map((m) => `'${m}'`).join(', ')}, but got ${JSON.stringify(method)}.`,
      method,
    );
  }
  const relu = checkBoolean(FN, 'relu', args.relu ?? true);
  const normalize = checkBoolean(FN, 'normalize', args.normalize ?? true);
  const feeds = Array.isArray(input) ? input : [input];
  const image = feeds.find((t) => t?.rank === 4);
  if (image === undefined) {
    throw new ShapeError(
      `${FN}: one input must be a rank-4 image batch [N, H, W, C], but got shapes ${feeds.map((t) => `[${t?.shape}]`).join(', ')}.`,
      feeds[0]?.shape ?? [],
    );
  }
  const [, height, width] = image.shape as [number, number, number, number];
  const { activations, gradients, scores, layers } = camGradients(model, input, args, FN);
  const result = tf.tidy(() => {
    const raw: tf.Tensor3D[] = [];
    const upsampled: tf.Tensor3D[] = [];
    activations.forEach((activation, i) => {
      let map = camMap(method, activation, gradients[i] as tf.Tensor4D);
      if (relu) map = tf.relu(map);
      raw.push(map);
      const resized = tf.image.resizeBilinear(
        tf.expandDims(map, 3) as tf.Tensor4D,
        [height, width],
        false,
        true,
      );
      const big = tf.squeeze(resized, [3]) as tf.Tensor3D;
      upsampled.push(normalize ? minMax(big) : big);
    });
    let heatmaps =
      upsampled.length === 1
        ? (upsampled[0] as tf.Tensor3D)
        : (tf.mean(tf.stack(upsampled), 0) as tf.Tensor3D);
    if (normalize && upsampled.length > 1) heatmaps = minMax(heatmaps);
    return { heatmaps, raw };
  });
  tf.dispose([...activations, ...gradients]);
  return { ...result, layers, scores };
}
/** Per image: (m − min) / (max − min), 0 where the map is constant. */
function minMax(maps: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const lo = tf.min(maps, [1, 2], true);
    const range = tf.sub(tf.max(maps, [1, 2], true), lo);
    const positive = tf.greater(range, 0);
    const scaled = tf.div(tf.sub(maps, lo), tf.where(positive, range, tf.onesLike(range)));
    return tf.where(tf.broadcastTo(positive, maps.shape), scaled, tf.zerosLike(maps)) as tf.Tensor3D;
  });
}
