import { InvalidArgumentError } from '../../errors.js';
import { type DrGrade, LESION_TYPES, type LesionCounts } from './types.js';

/** Haemorrhages needed in every quadrant for severe NPDR (grade 3) in {@link drGrade}'s simplified rule. */
export const SEVERE_HAEMORRHAGES_PER_QUADRANT = 5;

/** What {@link drGrade} looks at: lesion counts and where the haemorrhages are. */
export interface LesionSummary {
  /** Lesions of each type; missing types count 0. */
  counts: Partial<LesionCounts>;
  /**
   * Haemorrhages in each quadrant around the fovea (superotemporal, superonasal, inferonasal,
   * inferotemporal, in any fixed order). Omitted: unknown, so the eye cannot be graded severe.
   * @defaultValue `[0, 0, 0, 0]`
   */
  haemorrhagesPerQuadrant?: readonly number[];
}

/**
 * The diabetic-retinopathy grade the synthetic generator assigns, a simplified International Clinical DR
 * scale (ICDR) that looks only at the lesions it draws:
 *
 * - 4 proliferative: any neovascularisation (`NV`);
 * - 3 severe NPDR: at least {@link SEVERE_HAEMORRHAGES_PER_QUADRANT} haemorrhages in each of the 4 quadrants
 *   (the "4" of the 4-2-1 rule scaled to one 45° photograph; venous beading and IRMA are not modelled);
 * - 2 moderate NPDR: more than microaneurysms (any `HE`, `EX` or `SE`) but not severe;
 * - 1 mild NPDR: microaneurysms only;
 * - 0: no lesions.
 *
 * @example
 * ```ts
 * drGrade({ counts: { MA: 4 } });                                  // 1
 * drGrade({ counts: { MA: 4, EX: 2 } });                           // 2
 * drGrade({ counts: { HE: 24 }, haemorrhagesPerQuadrant: [6, 6, 6, 6] }); // 3
 * ```
 * @throws {@link InvalidArgumentError} for a negative or non-integer count, or an unknown lesion type.
 * @see Wilkinson et al., "Proposed international clinical diabetic retinopathy and diabetic macular edema
 * disease severity scales", Ophthalmology 2003.
 */
export function drGrade(summary: LesionSummary): DrGrade {
  const counts = checkCounts('drGrade', summary.counts);
  const quadrants = summary.haemorrhagesPerQuadrant ?? [0, 0, 0, 0];
  if (quadrants.length !== 4 || quadrants.some((q) => !Number.isInteger(q) || q < 0)) {
    throw new InvalidArgumentError(
      'haemorrhagesPerQuadrant',
      `drGrade: haemorrhagesPerQuadrant must be 4 non-negative integers, but got [${quadrants.join(', ')}].`,
      quadrants,
    );
  }
  if (counts.NV > 0) return 4;
  if (quadrants.every((q) => q >= SEVERE_HAEMORRHAGES_PER_QUADRANT)) return 3;
  if (counts.HE + counts.EX + counts.SE > 0) return 2;
  return counts.MA > 0 ? 1 : 0;
}

/** Validates a partial count record (known types, non-negative integers) and fills the missing types with 0. */
export function checkCounts(fn: string, counts: Partial<Record<string, number>>): LesionCounts {
  const out: LesionCounts = { MA: 0, HE: 0, EX: 0, SE: 0, NV: 0 };
  for (const [type, n] of Object.entries(counts)) {
    if (!(LESION_TYPES as readonly string[]).includes(type)) {
      throw new InvalidArgumentError(
        'lesions',
        `${fn}: unknown lesion type '${type}'; valid types: ${LESION_TYPES.join(', ')}.`,
        type,
      );
    }
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(
        'lesions',
        `${fn}: lesion count for ${type} must be a non-negative integer, but got ${n}.`,
        n,
      );
    }
    out[type as keyof LesionCounts] = n;
  }
  return out;
}
