import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import fixtures from '../../test/fixtures/losses/torch_losses.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { applyCutPoints } from './apply_cut_points.js';
import { optimiseCutPoints } from './optimise_cut_points.js';

const kappaCase = fixtures.cases.kappa;

/** Quadratic weighted kappa by its textbook formula, written independently of the library's. */
function qwk(truth: number[], predicted: number[], k: number): number {
  const n = truth.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = (i - j) ** 2 / (k - 1) ** 2;
      const o = truth.filter((t, m) => t === i && predicted[m] === j).length;
      const e = (truth.filter((t) => t === i).length * predicted.filter((p) => p === j).length) / n;
      num += w * o;
      den += w * e;
    }
  }
  return 1 - num / den;
}

const digitize = (values: number[], cuts: number[]) => values.map((v) => cuts.filter((c) => v >= c).length);

describeEachBackend('optimiseCutPoints / applyCutPoints', () => {
  it('starts from rounding with the kappa sklearn gives, and never ends below it', async () => {
    const predictions = tf.tensor1d(kappaCase.predictions);
    const result = await expectNoLeaks(() => optimiseCutPoints(predictions, kappaCase.grades));
    expect(result.initialKappa).toBeCloseTo(kappaCase.kappa, 6); // float32 predictions
    expect(result.kappa).toBeGreaterThanOrEqual(result.initialKappa);
    expect(result.cutPoints).toHaveLength(4);
    const p32 = Array.from(await predictions.data());
    expect(qwk(kappaCase.grades, digitize(p32, result.cutPoints), 5)).toBeCloseTo(result.kappa, 10);
    predictions.dispose();
  });

  it('ends where no single cut-point can do better (checked by scanning each one)', async () => {
    const { grades, predictions } = kappaCase;
    const result = await optimiseCutPoints(predictions, grades);
    const cuts = result.cutPoints;
    for (let j = 0; j < cuts.length; j++) {
      const lo = j > 0 ? cuts[j - 1]! : Math.min(...predictions) - 1;
      const hi = j < cuts.length - 1 ? cuts[j + 1]! : Math.max(...predictions) + 1;
      for (let t = lo; t <= hi; t += 0.01) {
        const trial = cuts.map((c, i) => (i === j ? t : c));
        expect(qwk(grades, digitize(predictions, trial), 5)).toBeLessThanOrEqual(result.kappa + 1e-12);
      }
    }
  });

  it('finds perfect cut-points for shifted but separable predictions', async () => {
    const grades = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];
    const predictions = grades.map((g, i) => g * 0.5 + 1.2 + (i % 2) * 0.1); // rounding gets most wrong
    const result = await optimiseCutPoints(predictions, grades, { classes: 5 });
    expect(result.initialKappa).toBeLessThan(0.9);
    expect(result.kappa).toBeCloseTo(1, 12);
    const input = tf.tensor1d(predictions);
    const decided = applyCutPoints(input, result.cutPoints);
    expect(Array.from(await decided.data())).toEqual(grades);
    tf.dispose([input, decided]);
  });

  it('applyCutPoints counts the cut-points at or below each prediction', async () => {
    const p = tf.tensor2d([[-1], [0.5], [1.49], [3.7], [9]]);
    const grades = await expectNoLeaks(() => applyCutPoints(p, [0.5, 1.5, 2.5, 3.5]));
    expect(grades.dtype).toBe('int32');
    expect(Array.from(await grades.data())).toEqual([0, 1, 1, 4, 4]);
    expect(() => applyCutPoints(p, [1, 0.5])).toThrow(InvalidArgumentError);
    const wide = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => applyCutPoints(wide, [0.5])).toThrow(ShapeError);
    tf.dispose([p, grades, wide]);
  });

  it('rejects mismatched lengths, non-integer grades and bad options', async () => {
    await expect(optimiseCutPoints([0.1, 0.2], [0])).rejects.toThrow(ShapeError);
    await expect(optimiseCutPoints([0.1, 0.2], [0, 1.5])).rejects.toThrow(/grades/);
    await expect(optimiseCutPoints([0.1, 0.2], [0, 3], { classes: 3 })).rejects.toThrow(/classes/);
    await expect(optimiseCutPoints([0.1, 0.2], [0, 1], { initial: [0.5, 1] })).rejects.toThrow(/initial/);
    await expect(optimiseCutPoints([0.1, Number.NaN], [0, 1])).rejects.toThrow(/predictions/);
  });
});
