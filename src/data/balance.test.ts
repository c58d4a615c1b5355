import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { classWeightsFromCounts, epochOrder, positiveWeightsFromCounts } from './balance.js';

describe('class balancing', () => {
  const classIndex = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2]; // 6 / 3 / 1
  const perClass = (order: number[]) => [0, 1, 2].map((c) => order.filter((i) => classIndex[i] === c).length);

  it('classWeightsFromCounts: n / (k · n_c), absent classes left out', () => {
    const w = classWeightsFromCounts([6, 3, 1]);
    expect(w[0]).toBeCloseTo(10 / 18, 12);
    expect(w[1]).toBeCloseTo(10 / 9, 12);
    expect(w[2]).toBeCloseTo(10 / 3, 12);
    expect(classWeightsFromCounts([4, 0, 4])).toEqual({ 0: 8 / 12, 2: 8 / 12 });
    expect(() => classWeightsFromCounts([])).toThrow(InvalidArgumentError);
  });

  it('positiveWeightsFromCounts: negatives / positives, 1 for a class never present', () => {
    expect(positiveWeightsFromCounts([2, 5, 0], 10)).toEqual([4, 1, 1]);
    expect(() => positiveWeightsFromCounts([11], 10)).toThrow(InvalidArgumentError);
  });

  it('oversample: every class brought up to the largest (6 / 6 / 6), whole copies first', () => {
    const order = epochOrder(classIndex, { balance: 'oversample', shuffle: false, seed: 0, epoch: 0 });
    expect(perClass(order)).toEqual([6, 6, 6]);
    expect(order.filter((i) => i === 9)).toHaveLength(6); // the single class-2 row, 6 times
    for (const i of [6, 7, 8]) expect(order.filter((j) => j === i)).toHaveLength(2); // 3 rows × 2
  });

  it('undersample: every class cut to the smallest (1 / 1 / 1), a different draw each epoch', () => {
    const draws = [0, 1, 2, 3, 4, 5].map((epoch) =>
      epochOrder(classIndex, { balance: 'undersample', shuffle: false, seed: 0, epoch }),
    );
    for (const order of draws) expect(perClass(order)).toEqual([1, 1, 1]);
    expect(new Set(draws.map((o) => o[0])).size).toBeGreaterThan(1);
  });

  it('oversample with a remainder draws distinct extra rows', () => {
    const idx = [0, 0, 0, 0, 0, 1, 1]; // 5 / 2 → class 1 gets 2 copies + 1 extra of its 2 rows
    const order = epochOrder(idx, { balance: 'oversample', shuffle: false, seed: 3, epoch: 0 });
    expect(order.filter((i) => idx[i] === 1)).toHaveLength(5);
  });

  it('shuffles reproducibly per (seed, epoch) and keeps every row once without balancing', () => {
    const a = epochOrder(classIndex, { balance: 'none', shuffle: true, seed: 1, epoch: 0 });
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochOrder(classIndex, { balance: 'none', shuffle: true, seed: 1, epoch: 0 })).toEqual(a);
    expect(epochOrder(classIndex, { balance: 'none', shuffle: true, seed: 1, epoch: 1 })).not.toEqual(a);
    expect(epochOrder(classIndex, { balance: 'classWeights', shuffle: false, seed: 1, epoch: 0 })).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });
});
