import * as tfl from '@tensorflow/tfjs-layers';
import { classCount, type Head, type HeadArgs, makeHead } from './head.js';

/** Options of {@link softmaxHead}. */
export interface SoftmaxHeadArgs extends HeadArgs {
  /** Number of mutually exclusive classes, ≥ 2. */
  classes: number;
}

/**
 * Multi-class head: [global average pooling] → [hidden dense] → [dropout] → dense K logits (`<name>_logits`) →
 * softmax (`<name>_activation`). Train with {@link categoricalCrossEntropy} or {@link categoricalFocalLoss}.
 *
 * @param args See {@link SoftmaxHeadArgs}.
 * @returns A {@link Head} for {@link attachHead}.
 * @example
 * ```ts
 * const model = attachHead(backbone, softmaxHead({ classes: 4, dropout: 0.5, name: 'disease' }));
 * ```
 * @throws {@link InvalidArgumentError} when `classes` < 2 or an option of {@link HeadArgs} is invalid.
 */
export function softmaxHead(args: SoftmaxHeadArgs): Head {
  const fn = 'softmaxHead';
  const classes = classCount(fn, args?.classes, 2);
  return makeHead(fn, args, {
    kind: 'softmax',
    classes,
    units: classes,
    activation: 'softmax',
    logits: (name) => tfl.layers.dense({ units: classes, name }),
  });
}
