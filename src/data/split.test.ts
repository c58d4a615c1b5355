import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { ratioSplitIndices } from './split.js';

/** 50 rows of class 0, 30 of class 1, 20 of class 2, interleaved. */
const strata = Array.from({ length: 100 }, (_, i) => String(i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2));
const count = (indices: number[], s: string) => indices.filter((i) => strata[i] === s).length;

describe('ratioSplitIndices', () => {
  it('stratified: round(ratio · n_c) of each class in val, the rest in train, disjoint and complete', () => {
    const val = ratioSplitIndices('t', strata, { ratio: 0.2, subset: 'val' });
    const train = ratioSplitIndices('t', strata, { ratio: 0.2, subset: 'train' });
    expect([count(val, '0'), count(val, '1'), count(val, '2')]).toEqual([10, 6, 4]);
    expect([count(train, '0'), count(train, '1'), count(train, '2')]).toEqual([40, 24, 16]);
    expect(new Set([...val, ...train]).size).toBe(100);
    expect(val).toEqual([...val].sort((a, b) => a - b)); // file order kept
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = ratioSplitIndices('t', strata, { ratio: 0.3, subset: 'val', seed: 7 });
    expect(ratioSplitIndices('t', strata, { ratio: 0.3, subset: 'val', seed: 7 })).toEqual(a);
    expect(ratioSplitIndices('t', strata, { ratio: 0.3, subset: 'val', seed: 8 })).not.toEqual(a);
  });

  it('unstratified: round(ratio · n) rows in val', () => {
    const val = ratioSplitIndices('t', strata, { ratio: 0.25, subset: 'val', stratified: false });
    expect(val).toHaveLength(25);
  });

  it('rejects a ratio outside (0, 1) and an unknown subset', () => {
    for (const ratio of [0, 1, -0.1, Number.NaN]) {
      expect(() => ratioSplitIndices('t', strata, { ratio, subset: 'val' })).toThrow(InvalidArgumentError);
    }
    expect(() => ratioSplitIndices('t', strata, { ratio: 0.2, subset: 'test' as never })).toThrow(
      /'train' or 'val'/,
    );
  });
});
