import { InvalidArgumentError } from '../errors.js';

/**
 * A learning rate as a function of the optimisation step (0-based batch index within a fine-tuning phase).
 * {@link fineTune} evaluates it before every batch and sets the optimiser's rate to the result.
 */
export type LearningRateSchedule = (step: number) => number;

function positive(fn: string, name: string, value: unknown, allowZero = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, but got ${String(value)}.`,
      value,
    );
  }
  return value as number;
}

function positiveInteger(fn: string, name: string, value: unknown, allowZero = false): number {
  if (!Number.isInteger(value) || (value as number) < (allowZero ? 0 : 1)) {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, but got ${String(value)}.`,
      value,
    );
  }
  return value as number;
}

function fraction(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must be in (0, 1], but got ${String(value)}.`,
      value,
    );
  }
  return value;
}

/** Arguments of {@link stepDecay}. */
export interface StepDecayArgs {
  /** Rate of the first `every` steps. */
  initial: number;
  /** Steps between drops (a positive integer). */
  every: number;
  /**
   * Multiplier applied at each drop, in (0, 1].
   * @defaultValue `0.1`
   */
  factor?: number;
}

/**
 * Step decay: `initial · factor^⌊step / every⌋` (the rate drops by `factor` every `every` steps).
 *
 * @param args See {@link StepDecayArgs}.
 * @example
 * ```ts
 * const lr = stepDecay({ initial: 1e-3, every: 100, factor: 0.5 });
 * lr(0); lr(99); // 1e-3
 * lr(100);       // 5e-4
 * ```
 * @throws {@link InvalidArgumentError} for a non-positive `initial`, a non-integer `every` or `factor` outside (0, 1].
 * @see K. He et al., "Deep residual learning for image recognition", CVPR 2016, sec. 3.4 (÷10 steps).
 */
export function stepDecay(args: StepDecayArgs): LearningRateSchedule {
  const fn = 'stepDecay';
  const initial = positive(fn, 'initial', args.initial);
  const every = positiveInteger(fn, 'every', args.every);
  const factor = fraction(fn, 'factor', args.factor ?? 0.1);
  return (step) => initial * factor ** Math.floor(step / every);
}

/** Arguments of {@link exponentialDecay}. */
export interface ExponentialDecayArgs {
  /** Rate at step 0. */
  initial: number;
  /** Multiplier per `decaySteps` steps, in (0, 1]. */
  decayRate: number;
  /** Steps over which the rate is multiplied by `decayRate` (a positive integer). */
  decaySteps: number;
  /**
   * Decay in whole periods (`⌊step / decaySteps⌋`) rather than continuously.
   * @defaultValue `false`
   */
  staircase?: boolean;
}

/**
 * Exponential decay: `initial · decayRate^(step / decaySteps)` (Keras's `ExponentialDecay`).
 *
 * @param args See {@link ExponentialDecayArgs}.
 * @example
 * ```ts
 * const lr = exponentialDecay({ initial: 1e-3, decayRate: 0.96, decaySteps: 100 });
 * lr(50); // 1e-3 · 0.96^0.5
 * ```
 * @throws {@link InvalidArgumentError} for a non-positive `initial`, `decayRate` outside (0, 1] or a
 * non-integer `decaySteps`.
 */
export function exponentialDecay(args: ExponentialDecayArgs): LearningRateSchedule {
  const fn = 'exponentialDecay';
  const initial = positive(fn, 'initial', args.initial);
  const rate = fraction(fn, 'decayRate', args.decayRate);
  const steps = positiveInteger(fn, 'decaySteps', args.decaySteps);
  const staircase = args.staircase ?? false;
  return (step) => initial * rate ** (staircase ? Math.floor(step / steps) : step / steps);
}

/** Arguments of {@link cosineDecay}. */
export interface CosineDecayArgs {
  /** Peak rate: reached at the end of the warm-up (at step 0 without one). */
  initial: number;
  /** Steps of the cosine part, after the warm-up (a positive integer); the rate then stays at its floor. */
  decaySteps: number;
  /**
   * Floor as a fraction of `initial`, in [0, 1].
   * @defaultValue `0`
   */
  alpha?: number;
  /**
   * Steps of linear warm-up before the cosine (a non-negative integer).
   * @defaultValue `0`
   */
  warmupSteps?: number;
  /**
   * Rate at step 0 of the warm-up, which rises linearly to `initial`.
   * @defaultValue `0`
   */
  warmupFrom?: number;
}

/**
 * Cosine decay with optional linear warm-up. For step s < W (warm-up steps):
 * `warmupFrom + (initial − warmupFrom) · s / W`; then with t = min(s − W, decaySteps):
 * `initial · (alpha + (1 − alpha) · ½ (1 + cos(π t / decaySteps)))`.
 *
 * @param args See {@link CosineDecayArgs}.
 * @example
 * ```ts
 * const lr = cosineDecay({ initial: 1e-3, decaySteps: 900, warmupSteps: 100 });
 * lr(0);    // 0
 * lr(100);  // 1e-3
 * lr(550);  // 5e-4
 * lr(1000); // 0
 * ```
 * @throws {@link InvalidArgumentError} for a non-positive `initial`, non-integer step counts, `alpha` outside
 * [0, 1] or a negative `warmupFrom`.
 * @see I. Loshchilov, F. Hutter, "SGDR: Stochastic gradient descent with warm restarts", ICLR 2017, eq. 5;
 * P. Goyal et al., "Accurate, large minibatch SGD", 2017, sec. 2.2 (gradual warm-up).
 */
export function cosineDecay(args: CosineDecayArgs): LearningRateSchedule {
  const fn = 'cosineDecay';
  const initial = positive(fn, 'initial', args.initial);
  const decaySteps = positiveInteger(fn, 'decaySteps', args.decaySteps);
  const alpha = args.alpha ?? 0;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    throw new InvalidArgumentError(
      'alpha',
      `${fn}: alpha must be in [0, 1], but got ${String(alpha)}.`,
      alpha,
    );
  }
  const warmup = positiveInteger(fn, 'warmupSteps', args.warmupSteps ?? 0, true);
  const from = positive(fn, 'warmupFrom', args.warmupFrom ?? 0, true);
  return (step) => {
    if (step < warmup) return from + ((initial - from) * step) / warmup;
    const t = Math.min(step - warmup, decaySteps);
    return initial * (alpha + (1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * t) / decaySteps)));
  };
}

/** Arguments of {@link linearWarmup}. */
export interface LinearWarmupArgs {
  /** Rate at the end of the warm-up. */
  target: number;
  /** Steps of warm-up (a positive integer). */
  warmupSteps: number;
  /**
   * Rate at step 0.
   * @defaultValue `0`
   */
  from?: number;
  /**
   * Schedule after the warm-up, called with the step counted from the warm-up's end.
   * @defaultValue the constant `target`
   */
  after?: LearningRateSchedule;
}

/**
 * Linear warm-up: `from + (target − from) · step / warmupSteps` for the first `warmupSteps` steps, then `after`
 * (shifted to start at 0) or the constant `target`. Keeps the first updates of a freshly attached head from
 * wrecking pretrained features.
 *
 * @param args See {@link LinearWarmupArgs}.
 * @example
 * ```ts
 * const lr = linearWarmup({ target: 1e-4, warmupSteps: 50, after: stepDecay({ initial: 1e-4, every: 500 }) });
 * lr(25); // 5e-5
 * ```
 * @throws {@link InvalidArgumentError} for a non-positive `target`, a non-integer `warmupSteps`, a negative
 * `from` or an `after` that is not a function.
 * @see P. Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour", 2017, sec. 2.2.
 */
export function linearWarmup(args: LinearWarmupArgs): LearningRateSchedule {
  const fn = 'linearWarmup';
  const target = positive(fn, 'target', args.target);
  const warmup = positiveInteger(fn, 'warmupSteps', args.warmupSteps);
  const from = positive(fn, 'from', args.from ?? 0, true);
  const after = args.after;
  if (after !== undefined && typeof after !== 'function') {
    throw new InvalidArgumentError(
      'after',
      `${fn}: after must be a schedule function, but got ${typeof after}.`,
      after,
    );
  }
  return (step) =>
    step < warmup ? from + ((target - from) * step) / warmup : after ? after(step - warmup) : target;
}
