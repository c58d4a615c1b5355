import * as tfl from '@tensorflow/tfjs-layers';
import { classCount, type Head, type HeadArgs, makeHead } from './head.js';

/** Options of {@link regressionHead}. */
export interface RegressionHeadArgs extends HeadArgs {
  /** Number of grades K the regressed value stands for (≥ 2); recorded on the head for the cut-points. @defaultValue 5 */
  classes?: number;
}

/**
 * Regression grade head: [pooling] → [hidden] → [dropout] → dense 1 (`<name>_logits`) → linear
 * (`<name>_activation`), a continuous grade. Train with mean squared error (`'meanSquaredError'`); turn outputs
 * into grades with cut-points chosen on validation data by {@link optimiseCutPoints} and {@link applyCutPoints}.
 *
 * @param args See {@link RegressionHeadArgs}.
 * @returns A {@link Head} for {@link attachHead}.
 * @example
 * ```ts
 * const model = attachHead(backbone, regressionHead({ classes: 5, name: 'dr_score' }));
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * ```
 * @throws {@link InvalidArgumentError} when `classes` < 2 or an option of {@link HeadArgs} is invalid.
 */
export function regressionHead(args: RegressionHeadArgs = {}): Head {
  const fn = 'regressionHead';
  const classes = classCount(fn, args.classes ?? 5, 2);
  return makeHead(fn, args, {
    kind: 'regression',
    classes,
    units: 1,
    activation: 'linear',
    logits: (name) => tfl.layers.dense({ units: 1, name }),
  });
}
