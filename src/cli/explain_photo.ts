import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CamTarget } from '../explain/cam_gradients.js';
import type { CamMethod } from '../explain/cam_map.js';
import type { ColormapName } from '../explain/colormaps.js';
import { defaultLayer } from '../explain/default_layer.js';
import { gradCam } from '../explain/grad_cam.js';
import { overlay } from '../explain/overlay.js';
import { fundusPipeline } from '../preprocess/fundus_pipeline.js';
import type { ModelCard } from './model_card.js';
import { inputDivisor } from './model_input.js';
import { pipelineArgs } from './preprocess_settings.js';

/** What a model says about one photo, in its card's terms. */
export interface PhotoPrediction {
  /** Output 0's values (probabilities; grade: P(grade > k) for each level k). */
  probabilities: number[];
  /** The answer: a class name, `;`-joined names (multi-label, `'none'` when no label passes), or a grade. */
  label: string;
  /** P(positive) (binary), the top probability (multi-class, multi-label), the expected grade (grade). */
  score: number;
}

/**
 * Decodes output 0 of a `train`-made model for one photo: the binary head's P(positive) against the card's
 * threshold, the softmax argmax, multi-label probabilities against the threshold, or the ordinal head's levels
 * counted into a grade.
 */
export function describePrediction(card: ModelCard, probabilities: number[]): PhotoPrediction {
  const threshold = card.threshold ?? 0.5;
  const { classes } = card;
  switch (card.task) {
    case 'binary': {
      const p = probabilities[0]!;
      return { probabilities, label: classes[p > threshold ? 1 : 0]!, score: p };
    }
    case 'multiclass': {
      let best = 0;
      for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
      return { probabilities, label: classes[best]!, score: probabilities[best]! };
    }
    case 'multilabel': {
      const on = classes.filter((_, i) => probabilities[i]! > threshold);
      return {
        probabilities,
        label: on.length === 0 ? 'none' : on.join(';'),
        score: Math.max(...probabilities),
      };
    }
    default: {
      const grade = probabilities.filter((p) => p > 0.5).length;
      return { probabilities, label: classes[grade]!, score: probabilities.reduce((a, b) => a + b, 0) };
    }
  }
}

/** Options of {@link explainPhoto}. */
export interface ExplainPhotoArgs {
  method?: CamMethod;
  /** Layer path(s); default: each branch's last feature map (joint models), else the backbone's. */
  layer?: string | readonly string[];
  /** Output index to explain. @defaultValue 0 (the model's answer) */
  output?: number;
  /** Output unit to explain. @defaultValue the answer: the top unit ('argmax'); binary: the predicted class */
  target?: number;
  colormap?: ColormapName;
  alpha?: number;
}

/** One photo explained: the prediction, the framed photo as the model saw it (original colours) and the overlay. */
export interface ExplainedPhoto extends PhotoPrediction {
  /** The cropped, resized photo in its original colours, RGB 0-255 [size, size, 3]. Caller disposes. */
  photo: tf.Tensor3D;
  /** The heatmap blended on `photo`, RGB 0-255. Caller disposes. */
  overlay: tf.Tensor3D;
}

/**
 * Prepares `photo` as the card says, predicts, and explains output `output` with Grad-CAM. A joint model's
 * fused output is explained through every branch's last feature map (their maps averaged), since the
 * answer depends on all of them.
 */
export async function explainPhoto(
  model: tfl.LayersModel,
  card: ModelCard,
  photo: tf.Tensor3D,
  args: ExplainPhotoArgs = {},
): Promise<ExplainedPhoto> {
  const output = args.output ?? 0;
  const settings = card.preprocessing;
  const prepared = await fundusPipeline(pipelineArgs(settings))(photo);
  // Shown in the original colours (benGraham or VGG inputs are hard to read), with the same framing: an
  // 'original', unmasked model input is that already, so the photo is prepared once.
  const shown =
    settings.colour === 'original' && !settings.mask
      ? prepared
      : await fundusPipeline({ ...pipelineArgs(settings), colour: 'original', mask: false })(photo);
  const input = tf.tidy(
    () => tf.expandDims(tf.div(prepared.image, inputDivisor(settings)), 0) as tf.Tensor4D,
  );
  if (shown !== prepared) tf.dispose(prepared.image);
  try {
    const probabilities = tf.tidy(() => {
      const p = model.predict(input);
      return (Array.isArray(p) ? p[0]! : p) as tf.Tensor2D;
    });
    const values = Array.from(await probabilities.data());
    probabilities.dispose();
    const layer = args.layer ?? branchLayers(model, card, output);
    const answer = describePrediction(card, values);
    const target = args.target ?? binaryTarget(card, answer);
    const cam = gradCam(model, input, {
      ...(args.method === undefined ? {} : { method: args.method }),
      ...(layer === undefined ? {} : { layer }),
      ...(target === undefined ? {} : { target }),
      output,
    });
    const blended = tf.tidy(
      () =>
        overlay(shown.image, tf.squeeze(cam.heatmaps, [0]), {
          colormap: args.colormap ?? 'jet',
          alpha: args.alpha ?? 0.4,
        }) as tf.Tensor3D,
    );
    tf.dispose([cam.heatmaps, ...cam.raw, cam.scores]);
    return { ...answer, photo: shown.image, overlay: blended };
  } catch (e) {
    tf.dispose(shown.image);
    throw e;
  } finally {
    input.dispose();
  }
}

/**
 * A binary head has one unit, P(positive): when the answer is the negative class, explain the evidence for it
 * (the negated score) rather than for the positive class, which a negative photo mostly lacks.
 */
function binaryTarget(card: ModelCard, answer: PhotoPrediction): CamTarget | undefined {
  if (card.task !== 'binary' || answer.label === card.classes[1]) return undefined;
  return (scores) => tf.neg(tf.reshape(tf.slice(scores, [0, 0], [-1, 1]), [-1]));
}

/** Every branch's default layer for a joint model's fused output; undefined (gradCam's default) otherwise. */
function branchLayers(model: tfl.LayersModel, card: ModelCard, output: number): string[] | undefined {
  if (output !== 0 || card.backbones.length < 2) return undefined;
  const layers = card.backbones.map((_, b) => defaultLayer(model, b + 1));
  return layers.every((l) => l !== undefined) ? (layers as string[]) : undefined;
}
