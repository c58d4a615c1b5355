import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { EarlyStopping } from './early_stopping.js';
import { cosineDecay, exponentialDecay, linearWarmup, stepDecay } from './schedules.js';

const close = (a: number, b: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(1e-15);

describe('learning-rate schedules', () => {
  it('stepDecay: initial · factor^⌊step / every⌋', () => {
    const lr = stepDecay({ initial: 0.1, every: 3, factor: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map(lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
    expect(stepDecay({ initial: 1, every: 10 })(25)).toBeCloseTo(0.01, 15);
  });

  it('exponentialDecay: continuous and staircase', () => {
    const lr = exponentialDecay({ initial: 1e-3, decayRate: 0.96, decaySteps: 100 });
    close(lr(0), 1e-3);
    close(lr(50), 1e-3 * Math.sqrt(0.96));
    close(lr(200), 1e-3 * 0.96 * 0.96);
    const stairs = exponentialDecay({ initial: 1e-3, decayRate: 0.5, decaySteps: 10, staircase: true });
    expect([0, 9, 10, 19, 20].map(stairs)).toEqual([1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4]);
  });

  it('cosineDecay with warm-up: linear rise, half at the middle, floor after', () => {
    const lr = cosineDecay({ initial: 1e-3, decaySteps: 900, warmupSteps: 100, alpha: 0.1 });
    close(lr(0), 0);
    close(lr(50), 5e-4);
    close(lr(100), 1e-3);
    close(lr(550), 1e-3 * (0.1 + 0.9 * 0.5)); // cos(π/2) = 0
    close(lr(100 + 300), 1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 3))));
    close(lr(1000), 1e-4);
    close(lr(5000), 1e-4);
    const noWarmup = cosineDecay({ initial: 2, decaySteps: 4 });
    close(noWarmup(0), 2);
    close(noWarmup(2), 1);
    close(noWarmup(4), 0);
    close(cosineDecay({ initial: 1, decaySteps: 10, warmupSteps: 4, warmupFrom: 0.2 })(2), 0.6);
  });

  it('linearWarmup: from → target, then the follow-up schedule from its own step 0', () => {
    const lr = linearWarmup({ target: 1e-3, warmupSteps: 4, after: stepDecay({ initial: 1e-3, every: 2 }) });
    expect([0, 1, 2, 3].map(lr)).toEqual([0, 2.5e-4, 5e-4, 7.5e-4]);
    expect([4, 5, 6].map(lr)).toEqual([1e-3, 1e-3, 1e-3 * 0.1]);
    expect(linearWarmup({ target: 1, warmupSteps: 2, from: 0.5 })(1)).toBe(0.75);
    expect(linearWarmup({ target: 1, warmupSteps: 2 })(100)).toBe(1);
  });

  it('rejects bad arguments, naming them', () => {
    const cases: [() => unknown, string][] = [
      [() => stepDecay({ initial: 0, every: 1 }), 'initial'],
      [() => stepDecay({ initial: 1, every: 1.5 }), 'every'],
      [() => stepDecay({ initial: 1, every: 1, factor: 2 }), 'factor'],
      [() => exponentialDecay({ initial: 1, decayRate: 0, decaySteps: 1 }), 'decayRate'],
      [() => cosineDecay({ initial: 1, decaySteps: 10, alpha: 2 }), 'alpha'],
      [() => cosineDecay({ initial: 1, decaySteps: 10, warmupSteps: -1 }), 'warmupSteps'],
      [() => linearWarmup({ target: 1, warmupSteps: 0 }), 'warmupSteps'],
      [() => linearWarmup({ target: 1, warmupSteps: 2, after: 3 as never }), 'after'],
    ];
    for (const [make, argument] of cases) {
      try {
        make();
        expect.unreachable(argument);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).toBe(argument);
      }
    }
  });
});

describe('EarlyStopping', () => {
  function run(stopper: EarlyStopping, values: number[]) {
    const log: string[] = [];
    for (const [epoch, v] of values.entries()) {
      const { improved, stop } = stopper.update(v, epoch);
      log.push(`${improved ? 'I' : '-'}${stop ? 'S' : ''}`);
      if (stop) break;
    }
    return log;
  }

  it('max mode with patience 2 and minDelta: stops after two epochs without a clear gain', () => {
    const s = new EarlyStopping({ mode: 'max', patience: 2, minDelta: 0.01 });
    // 0.605 is not > 0.6 + 0.01; 0.62 resets the wait; then 0.62, 0.625 → stop.
    expect(run(s, [0.5, 0.6, 0.605, 0.62, 0.62, 0.625, 0.9])).toEqual(['I', 'I', '-', 'I', '-', '-S']);
    expect([s.best, s.bestEpoch]).toEqual([0.62, 3]);
  });

  it('min mode: a loss must fall; NaN never improves; patience 0 stops at the first miss', () => {
    const s = new EarlyStopping({ mode: 'min', patience: 3 });
    expect(run(s, [1, 0.8, Number.NaN, 0.8, 0.7, 0.75, 0.71, 0.72])).toEqual([
      'I',
      'I',
      '-',
      '-',
      'I',
      '-',
      '-',
      '-S',
    ]);
    expect([s.best, s.bestEpoch]).toEqual([0.7, 4]);
    const eager = new EarlyStopping({ mode: 'min', patience: 0 });
    expect(run(eager, [1, 2])).toEqual(['IS']);
    const never = new EarlyStopping({ mode: 'max' });
    expect(run(never, [1, 0, 0, 0, 0, 0])).toEqual(['I', '-', '-', '-', '-', '-']);
  });

  it('resetWait keeps the best but restarts the count', () => {
    const s = new EarlyStopping({ mode: 'max', patience: 2 });
    run(s, [1, 0]);
    s.resetWait();
    expect(s.update(0.5, 2)).toEqual({ improved: false, stop: false });
    expect(s.update(0.5, 3)).toEqual({ improved: false, stop: true });
  });

  it('rejects a bad mode, patience or minDelta', () => {
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow(/mode/);
    expect(() => new EarlyStopping({ mode: 'max', patience: -1 })).toThrow(/patience/);
    expect(() => new EarlyStopping({ mode: 'max', minDelta: -0.1 })).toThrow(/minDelta/);
  });
});
