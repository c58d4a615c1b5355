import * as tfl from '@tensorflow/tfjs-layers';
import { invalid } from '../preprocess/check_args.js';
import type { Head } from './head.js';

/** Options of {@link attachHead}. */
export interface AttachHeadArgs {
  /**
   * Layer of the backbone whose output feeds the head (e.g. `'avg_pool'` of a backbone built with its top).
   * @defaultValue the backbone's single output
   */
  featureLayer?: string;
  /** Name of the new model. @defaultValue `<backbone name>_<head name>` */
  name?: string;
}

/**
 * Appends `head` to `backbone` and returns a new `LayersModel` with the backbone's inputs and the head's output.
 * The backbone's layers are shared, not copied: weights loaded into the backbone are the model's, and
 * {@link freeze} on either applies to both. A 4-D feature map is pooled by global average first; a 2-D feature
 * vector (a backbone built with `pooling: 'avg'`) goes straight to the head.
 *
 * @param backbone A `LayersModel` with one output, `[N, H, W, C]` or `[N, D]` (or see `featureLayer`).
 * @param head A {@link Head} from {@link softmaxHead}, {@link binaryHead}, {@link multiLabelHead},
 * {@link ordinalHead} or {@link regressionHead}.
 * @param args See {@link AttachHeadArgs}.
 * @returns The new model; its output layer is `head.outputLayerName`, its logits `head.logitsLayerName`.
 * @example
 * ```ts
 * const backbone = createBackbone('resnet18', { inputShape: [224, 224, 3], includeTop: false });
 * const model = attachHead(backbone, binaryHead({ name: 'quality', dropout: 0.3 }));
 * freeze(model, { until: 'quality_pool' }); // train the head only
 * ```
 * @throws {@link InvalidArgumentError} when `backbone` is not a LayersModel, has several outputs and no
 * `featureLayer`, `featureLayer` is not one of its layers, or `head` is not a head.
 * @throws {@link ShapeError} when the features are neither rank 2 nor rank 4.
 */
export function attachHead(
  backbone: tfl.LayersModel,
  head: Head,
  args: AttachHeadArgs = {},
): tfl.LayersModel {
  const fn = 'attachHead';
  if (!(backbone instanceof tfl.LayersModel)) throw invalid(fn, 'backbone', 'a tf.LayersModel', backbone);
  if (typeof head?.apply !== 'function' || typeof head.name !== 'string') {
    throw invalid(fn, 'head', 'a Head (softmaxHead(), binaryHead(), …)', head);
  }
  let features: tfl.SymbolicTensor;
  if (args.featureLayer !== undefined) {
    const layer = backbone.layers.find((l) => l.name === args.featureLayer);
    if (!layer) {
      throw invalid(fn, 'featureLayer', `a layer of '${backbone.name}'`, args.featureLayer);
    }
    features = layer.output as tfl.SymbolicTensor;
  } else {
    if (backbone.outputs.length !== 1) {
      throw invalid(
        fn,
        'backbone',
        `a model with one output (or pass featureLayer); it has ${backbone.outputs.length}`,
        backbone.outputNames,
      );
    }
    features = backbone.outputs[0]!;
  }
  const output = head.apply(features);
  return tfl.model({
    inputs: backbone.inputs,
    outputs: output,
    name: args.name ?? `${backbone.name}_${head.name}`,
  });
}
