import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { applyThresholds } from './apply_thresholds.js';
import { chooseThresholds, type ThresholdMetric } from './choose_thresholds.js';

/** The metric of "p ≥ t" predictions, by plain counting. */
function metricAt(metric: ThresholdMetric, probs: number[], labels: number[], t: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  probs.forEach((p, i) => {
    const predicted = p >= t;
    if (predicted && labels[i]) tp++;
    else if (predicted) fp++;
    else if (labels[i]) fn++;
    else tn++;
  });
  if (metric === 'f1') return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  if (metric === 'youden') return tp / (tp + fn) + tn / (tn + fp) - 1;
  if (metric === 'accuracy') return (tp + tn) / probs.length;
  const d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return d === 0 ? 0 : (tp * tn - fp * fn) / d;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describeEachBackend('chooseThresholds', () => {
  it('picks the F1- and Youden-optimal cuts on a hand-computed case (ties → closest to 0.5)', async () => {
    const probs = tf.tensor2d([[0.1], [0.4], [0.35], [0.8]]);
    const labels = tf.tensor2d([[0], [0], [1], [1]]);
    const f1 = await expectNoLeaks(() => chooseThresholds(probs, labels));
    expect(f1.thresholds[0]).toBeCloseTo(0.225, 6); // positives 0.8, 0.4, 0.35: F1 = 0.8
    expect(f1.scores[0]).toBeCloseTo(0.8, 10);
    const youden = await chooseThresholds(probs, labels, { metric: 'youden' });
    expect(youden.thresholds[0]).toBeCloseTo(0.6, 6); // J = 0.5 at 0.6 and at 0.225
    expect(youden.scores[0]).toBeCloseTo(0.5, 10);
    tf.dispose([probs, labels]);
  });

  it('reaches the best value of every metric found by trying every threshold, per class', async () => {
    const next = lcg(42);
    const n = 40;
    const rows = Array.from({ length: n }, () => [next(), Math.round(next() * 10) / 10, next()]);
    const labels = rows.map((r) => r.map((p, c) => (next() < (c === 2 ? 0.15 : p) ? 1 : 0)));
    const probs = tf.tensor2d(rows);
    for (const metric of ['f1', 'youden', 'accuracy', 'mcc'] as const) {
      const chosen = await chooseThresholds(probs, labels, { metric });
      for (let c = 0; c < 3; c++) {
        const p = rows.map((r) => Math.fround(r[c]!));
        const y = labels.map((r) => r[c]!);
        const sorted = [...new Set(p)].sort((a, b) => a - b);
        const trials = [
          ...sorted,
          ...sorted.slice(1).map((v, i) => (v + sorted[i]!) / 2),
          sorted.at(-1)! + 1,
        ];
        const best = Math.max(...trials.map((t) => metricAt(metric, p, y, t)));
        expect(chosen.scores[c], `${metric} class ${c}`).toBeCloseTo(best, 10);
        expect(metricAt(metric, p, y, chosen.thresholds[c]!), `${metric} class ${c}`).toBeCloseTo(best, 10);
      }
    }
    probs.dispose();
  });

  it('falls back for a class with one label only, and applies per-class thresholds', async () => {
    const chosen = await chooseThresholds(
      [
        [0.2, 0.9],
        [0.7, 0.1],
      ],
      [
        [0, 1],
        [1, 1],
      ],
      { fallback: 0.4 },
    );
    expect(chosen.thresholds[1]).toBe(0.4);
    expect(chosen.scores[1]).toBeNaN();
    const probs = tf.tensor2d([
      [0.3, 0.5],
      [0.6, 0.39],
    ]);
    const decisions = await expectNoLeaks(() => applyThresholds(probs, [0.45, 0.4]));
    expect(await decisions.array()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    tf.dispose([probs, decisions]);
  });

  it('rejects mismatched shapes, non-binary labels, unknown metrics and wrong threshold counts', async () => {
    await expect(chooseThresholds([[0.1, 0.2]], [[1]])).rejects.toThrow(ShapeError);
    await expect(chooseThresholds([[0.1, 0.2]], [[1]])).rejects.toThrow(
      'probs shape [1,2] does not match labels shape [1,1]',
    );
    await expect(chooseThresholds([0.1, 0.2], [1, 2])).rejects.toThrow(/labels must be 0 or 1/);
    await expect(chooseThresholds([0.1], [1], { metric: 'auc' as never })).rejects.toThrow(
      InvalidArgumentError,
    );
    const probs = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => applyThresholds(probs, [0.5, 0.5])).toThrow(/thresholds/);
    probs.dispose();
  });
});
