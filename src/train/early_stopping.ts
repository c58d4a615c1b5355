import { InvalidArgumentError } from '../errors.js';

/** Arguments of {@link EarlyStopping}. */
export interface EarlyStoppingArgs {
  /** `max` for scores (accuracy, kappa, AUC), `min` for losses. */
  mode: 'min' | 'max';
  /**
   * Epochs without improvement after which {@link EarlyStopping.update} says stop; `Infinity` never stops
   * (the tracker then only finds the best epoch).
   * @defaultValue `Infinity`
   */
  patience?: number;
  /**
   * An improvement must beat the best value by more than this (absolute, ≥ 0).
   * @defaultValue `0`
   */
  minDelta?: number;
}

/** What one epoch's value meant. */
export interface EarlyStoppingUpdate {
  /** The value beat the best by more than `minDelta` (it is the new best). */
  improved: boolean;
  /** `patience` epochs in a row without improvement: stop training. */
  stop: boolean;
}

/**
 * Tracks a monitored value epoch by epoch: the best so far and its epoch, and how long since it improved
 * (Keras's `EarlyStopping` rule: improvement = better than the best by more than `minDelta`; stop after
 * `patience` epochs without one). A NaN value never improves. {@link fineTune} uses it for early stopping and
 * the best checkpoint; it is exported for custom loops.
 *
 * @example
 * ```ts
 * const stopper = new EarlyStopping({ mode: 'max', patience: 2, minDelta: 0.01 });
 * for (const [epoch, kappa] of [0.50, 0.60, 0.605, 0.59].entries()) {
 *   const { improved, stop } = stopper.update(kappa, epoch);
 *   if (stop) break; // after 0.605 (not > 0.61) and 0.59
 * }
 * stopper.best; stopper.bestEpoch; // 0.6, 1
 * ```
 * @throws {@link InvalidArgumentError} for an unknown mode, a patience that is not a non-negative integer or
 * Infinity, or a negative minDelta.
 */
export class EarlyStopping {
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  /** Best value so far (±Infinity before the first finite value). */
  best: number;
  /** Epoch of the best value; −1 before any improvement. */
  bestEpoch = -1;
  /** Epochs since the last improvement. */
  wait = 0;

  constructor(args: EarlyStoppingArgs) {
    const fn = 'EarlyStopping';
    if (args?.mode !== 'min' && args?.mode !== 'max') {
      throw new InvalidArgumentError(
        'mode',
        `${fn}: mode must be 'min' or 'max', but got ${String(args?.mode)}.`,
        args?.mode,
      );
    }
    const patience = args.patience ?? Number.POSITIVE_INFINITY;
    if (!(patience === Number.POSITIVE_INFINITY || (Number.isInteger(patience) && patience >= 0))) {
      throw new InvalidArgumentError(
        'patience',
        `${fn}: patience must be a non-negative integer or Infinity, but got ${String(patience)}.`,
        patience,
      );
    }
    const minDelta = args.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !(minDelta >= 0) || !Number.isFinite(minDelta)) {
      throw new InvalidArgumentError(
        'minDelta',
        `${fn}: minDelta must be a non-negative finite number, but got ${String(minDelta)}.`,
        minDelta,
      );
    }
    this.mode = args.mode;
    this.patience = patience;
    this.minDelta = minDelta;
    this.best = args.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Records the value of `epoch` (any counter the caller keeps) and says whether it improved and whether to stop. */
  update(value: number, epoch: number): EarlyStoppingUpdate {
    const improved =
      this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
    } else {
      this.wait++;
    }
    return { improved, stop: this.wait >= this.patience };
  }

  /** Restarts the patience count (e.g. at a new fine-tuning phase), keeping the best value. */
  resetWait(): void {
    this.wait = 0;
  }
}
