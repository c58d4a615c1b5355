import { invalid } from '../preprocess/check_args.js';
import { CORAL_KERNEL_INITIALIZERS, type CoralKernelInitializer, CoralLogits } from './coral_logits.js';
import { classCount, type Head, type HeadArgs, makeHead } from './head.js';
import { registerHeadLayers } from './register_head_layers.js';

/** Options of {@link ordinalHead}. */
export interface OrdinalHeadArgs extends HeadArgs {
  /** Number of ordered grades K, ≥ 2 (5 for the international DR scale 0-4). */
  classes: number;
  /** Initialiser of the shared weight vector. @defaultValue 'glorotUniform' */
  kernelInitializer?: CoralKernelInitializer;
}

/**
 * Ordinal grade head (CORAL): [pooling] → [hidden] → [dropout] → {@link CoralLogits}, K − 1 logits sharing one
 * weight vector (`<name>_logits`) → sigmoid (`<name>_activation`): the cumulative probabilities
 * P(grade > k), k = 0 … K − 2. Train with {@link coralLoss} on {@link ordinalLevels} targets; decode with {@link decodeOrdinal}
 * (or {@link ordinalProbabilities} for per-grade probabilities).
 *
 * @param args See {@link OrdinalHeadArgs}.
 * @returns A {@link Head} for {@link attachHead}. Registers the custom layer ({@link registerHeadLayers}).
 * @example
 * ```ts
 * const model = attachHead(backbone, ordinalHead({ classes: 5, name: 'dr_grade' }));
 * model.compile({ optimizer: 'adam', loss: coralLoss() });
 * await model.fit(images, ordinalLevels(grades, 5), { epochs: 10 }); // targets shaped like the output
 * const grades = decodeOrdinal(model.predict(images) as tf.Tensor2D); // int32 [N]
 * ```
 * @throws {@link InvalidArgumentError} when `classes` < 2 or an option is invalid.
 * @see W. Cao, V. Mirjalili, S. Raschka, "Rank consistent ordinal regression for neural networks with
 * application to age estimation", Pattern Recognition Letters 140, 2020.
 */
export function ordinalHead(args: OrdinalHeadArgs): Head {
  const fn = 'ordinalHead';
  const classes = classCount(fn, args?.classes, 2);
  registerHeadLayers();
  const kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
  if (!CORAL_KERNEL_INITIALIZERS.includes(kernelInitializer)) {
    throw invalid(fn, 'kernelInitializer', CORAL_KERNEL_INITIALIZERS.join(' | '), kernelInitializer);
  }
  return makeHead(fn, args, {
    kind: 'ordinal',
    classes,
    units: classes - 1,
    activation: 'sigmoid',
    logits: (name) => new CoralLogits({ units: classes - 1, kernelInitializer, name }),
  });
}
