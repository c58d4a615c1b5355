import * as tf from '@tensorflow/tfjs-core';
import { createBackbone, gradCam } from '../../src/index.js';
import type { BenchContext } from '../context.js';

/** Grad-CAM should cost at most this many forward + backward passes of the same model. */
export const GRAD_CAM_TARGET = 1.3;

const NAME = 'grad-cam resnet50 224 bs1';
const BASELINE = 'grad-cam baseline: resnet50 forward+backward bs1';

/**
 * Grad-CAM on ResNet-50 (`createBackbone('resnet50')`, 224², batch 1) against one forward + backward pass of
 * the same model (`tf.variableGrads` of the summed top score of each image, the class Grad-CAM explains:
 * every weight's gradient), on the same backend.
 * wasm only: on cpu a backward pass takes minutes.
 */
export async function benchGradCam(ctx: BenchContext): Promise<void> {
  if (ctx.backend !== 'wasm' || (!ctx.selected(NAME) && !ctx.selected(BASELINE))) return;
  const model = await createBackbone('resnet50', { inputShape: [224, 224, 3], classes: 1000 });
  const x = tf.randomUniform([1, 224, 224, 3]) as tf.Tensor4D;
  try {
    await ctx.time({ id: 'gradcam.fwdbwd', workload: BASELINE, runs: 5, warmups: 1 }, () => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.max(model.apply(x, { training: false }) as tf.Tensor, -1)) as tf.Scalar,
      );
      return [value, ...Object.values(grads)];
    });
    await ctx.time(
      {
        id: 'gradcam.resnet50',
        workload: NAME,
        runs: 5,
        warmups: 1,
        ratio: { to: 'gradcam.fwdbwd', label: 'vs fwd+bwd', speedup: false, target: GRAD_CAM_TARGET },
        note: "default layer (conv5_block3_out), target 'argmax'",
      },
      () => {
        const r = gradCam(model, x);
        return [r.heatmaps, ...r.raw, r.scores];
      },
    );
  } finally {
    x.dispose();
    model.dispose();
  }
}
