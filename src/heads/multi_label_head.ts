import * as tfl from '@tensorflow/tfjs-layers';
import { classCount, type Head, type HeadArgs, makeHead } from './head.js';

/** Options of {@link multiLabelHead}. */
export interface MultiLabelHeadArgs extends HeadArgs {
  /** Number of labels, each present or absent independently (e.g. RFMiD's diseases), ≥ 1. */
  classes: number;
}

/**
 * Multi-label head: [pooling] → [hidden] → [dropout] → dense K logits (`<name>_logits`) → sigmoid per label
 * (`<name>_activation`). Train with {@link binaryCrossEntropy} (`posWeight` per label), {@link binaryFocalLoss}
 * or {@link asymmetricLoss}; choose one decision threshold per label on validation data with
 * {@link chooseThresholds}.
 *
 * @param args See {@link MultiLabelHeadArgs}.
 * @returns A {@link Head} for {@link attachHead}.
 * @example
 * ```ts
 * const model = attachHead(backbone, multiLabelHead({ classes: 28, name: 'rfmid' }));
 * const { thresholds } = await chooseThresholds(model.predict(valImages) as tf.Tensor, valLabels);
 * ```
 * @throws {@link InvalidArgumentError} when `classes` < 1 or an option of {@link HeadArgs} is invalid.
 */
export function multiLabelHead(args: MultiLabelHeadArgs): Head {
  const fn = 'multiLabelHead';
  const classes = classCount(fn, args?.classes, 1);
  return makeHead(fn, args, {
    kind: 'multiLabel',
    classes,
    units: classes,
    activation: 'sigmoid',
    logits: (name) => tfl.layers.dense({ units: classes, name }),
  });
}
