import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { drGrade, SEVERE_HAEMORRHAGES_PER_QUADRANT } from './grade.js';

describe('drGrade (simplified ICDR rule)', () => {
  it('grades constructed lesion sets', () => {
    expect(drGrade({ counts: {} })).toBe(0);
    expect(drGrade({ counts: { MA: 1 } })).toBe(1);
    expect(drGrade({ counts: { MA: 30 } })).toBe(1);
    expect(drGrade({ counts: { MA: 3, HE: 1 } })).toBe(2);
    expect(drGrade({ counts: { EX: 1 } })).toBe(2);
    expect(drGrade({ counts: { SE: 2 } })).toBe(2);
    // Many haemorrhages, but one quadrant short of the severe threshold: still moderate.
    const q = SEVERE_HAEMORRHAGES_PER_QUADRANT;
    expect(drGrade({ counts: { HE: 40 }, haemorrhagesPerQuadrant: [20, 15, q - 1, q] })).toBe(2);
    expect(drGrade({ counts: { HE: 4 * q }, haemorrhagesPerQuadrant: [q, q, q, q] })).toBe(3);
    // Without positions a pile of haemorrhages cannot be called severe.
    expect(drGrade({ counts: { HE: 100 } })).toBe(2);
    expect(drGrade({ counts: { NV: 1 } })).toBe(4);
    expect(drGrade({ counts: { MA: 5, HE: 30, NV: 2 }, haemorrhagesPerQuadrant: [8, 8, 7, 7] })).toBe(4);
  });

  it('rejects unknown lesion types and bad counts, naming them', () => {
    expect(() => drGrade({ counts: { XX: 1 } as never })).toThrow(InvalidArgumentError);
    expect(() => drGrade({ counts: { XX: 1 } as never })).toThrow("unknown lesion type 'XX'");
    expect(() => drGrade({ counts: { MA: -1 } })).toThrow(
      'lesion count for MA must be a non-negative integer',
    );
    expect(() => drGrade({ counts: { HE: 1.5 } })).toThrow(InvalidArgumentError);
    expect(() => drGrade({ counts: {}, haemorrhagesPerQuadrant: [1, 2, 3] })).toThrow(
      'haemorrhagesPerQuadrant',
    );
  });
});
