import * as tfl from '@tensorflow/tfjs-layers';
import { type Head, type HeadArgs, makeHead } from './head.js';

/** Options of {@link binaryHead}. */
export type BinaryHeadArgs = HeadArgs;

/**
 * Binary head (e.g. good/poor quality, normal/abnormal): [pooling] → [hidden] → [dropout] → dense 1 logit
 * (`<name>_logits`) → sigmoid (`<name>_activation`), the probability of the positive class. Train with
 * {@link binaryCrossEntropy} or {@link binaryFocalLoss}; pick its threshold with {@link chooseThresholds}.
 *
 * @param args See {@link HeadArgs}.
 * @returns A {@link Head} for {@link attachHead}.
 * @example
 * ```ts
 * const model = attachHead(backbone, binaryHead({ name: 'quality' }));
 * ```
 * @throws {@link InvalidArgumentError} when an option of {@link HeadArgs} is invalid.
 */
export function binaryHead(args: BinaryHeadArgs = {}): Head {
  return makeHead('binaryHead', args, {
    kind: 'binary',
    classes: 1,
    units: 1,
    activation: 'sigmoid',
    logits: (name) => tfl.layers.dense({ units: 1, name }),
  });
}
