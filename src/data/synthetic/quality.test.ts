import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { Rng } from './prng.js';
import { degradationNames, qualityLabel, qualityScore, sampleDegradations } from './quality.js';

describe('qualityLabel', () => {
  it('follows the worst degradation, with the others adding a quarter', () => {
    expect(qualityLabel({})).toBe('good');
    expect(qualityLabel({ blur: 0.15 })).toBe('good');
    expect(qualityLabel({ blur: 0.3 })).toBe('usable');
    expect(qualityLabel({ exposure: -0.4 })).toBe('usable');
    expect(qualityLabel({ exposure: 0.7 })).toBe('reject');
    expect(qualityScore({ blur: 0.4, occlusion: 0.2 })).toBeCloseTo(0.45);
    // Two moderate problems together are worse than either alone.
    expect(qualityLabel({ blur: 0.45, offCentre: 0.45 })).toBe('reject');
  });

  it('names under- and over-exposure by sign', () => {
    expect(degradationNames({ exposure: -0.3, blur: 0.2 })).toEqual(['blur', 'underexposure']);
    expect(degradationNames({ exposure: 0.3 })).toEqual(['overexposure']);
  });

  it('samples degradations that give back the requested label', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 200; i++) {
      for (const label of ['good', 'usable', 'reject'] as const) {
        expect(qualityLabel(sampleDegradations(rng, label))).toBe(label);
      }
    }
  });

  it('rejects unknown degradations and out-of-range severities', () => {
    expect(() => qualityLabel({ fog: 1 } as never)).toThrow(InvalidArgumentError);
    expect(() => qualityLabel({ fog: 1 } as never)).toThrow("unknown degradation 'fog'");
    expect(() => qualityLabel({ blur: 1.5 })).toThrow(
      'quality.blur must be a number in [0, 1], but got 1.5.',
    );
    expect(() => qualityLabel({ exposure: -2 })).toThrow('quality.exposure must be a number in [-1, 1]');
  });
});
