import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';
import { topScope, walkBackwards } from './model_graph.js';

/**
 * The layer {@link gradCam} explains when none is named: walking back from the explained output (into nested
 * models), the first layer whose output is a rank-4 feature map — the last convolutional feature map before global
 * pooling or flattening. On a classifier that wraps a backbone this is the backbone's last block
 * (`'resnet50/conv5_block3_out'`). When several branches meet in the head (two backbones whose pooled features are
 * concatenated), the branch of the head's first input wins; name the layers to explain the others.
 *
 * @param model A functional or Sequential `tf.LayersModel`.
 * @param output Which output: index in `model.outputs` or the name of the layer producing it.
 * @returns the layer's path (`'backbone/conv5_block3_out'`, usable as `gradCam`'s `layer`), or `undefined` when the
 * output depends on no rank-4 feature map.
 * @example
 * ```ts
 * defaultLayer(resnet50Classifier); // 'conv5_block3_out'
 * ```
 * @throws {@link InvalidArgumentError} for an unknown `output`.
 */
export function defaultLayer(model: tfl.LayersModel, output: number | string = 0): string | undefined {
  const names = model.outputs.map((t) => t.sourceLayer.name);
  const tensor = typeof output === 'string' ? model.outputs[names.indexOf(output)] : model.outputs[output];
  if (tensor === undefined) {
    throw new InvalidArgumentError(
      'output',
      `defaultLayer: output must be an index below ${model.outputs.length} or one of the output names ${names.map((m) => `'${m}'`).join(', ')}, but got ${JSON.stringify(output)}.`,
      output,
    );
  }
  return walkBackwards(topScope(model), [tensor]).find((t) => t.tensor.shape.length === 4)?.name;
}
