/** Lesion types the generator draws, with IDRiD's abbreviations plus neovascularisation. */
export const LESION_TYPES = ['MA', 'HE', 'EX', 'SE', 'NV'] as const;
/**
 * `MA` microaneurysms (small dark-red dots), `HE` haemorrhages (dark-red blots and flames), `EX` hard exudates
 * (bright yellow clusters), `SE` soft exudates (pale cotton-wool spots), `NV` neovascularisation (tufts of
 * fine new vessels; makes the eye proliferative, grade 4).
 */
export type LesionType = (typeof LESION_TYPES)[number];

/** Mask names: the lesion types plus the optic disc, as in IDRiD's segmentation set. */
export const MASK_NAMES = [...LESION_TYPES, 'OD'] as const;
export type MaskName = (typeof MASK_NAMES)[number];

/** Number of lesions of each type (MA dots, HE blots, EX clusters, SE spots, NV tufts). */
export type LesionCounts = Record<LesionType, number>;

/** International Clinical DR severity: 0 none, 1 mild, 2 moderate, 3 severe NPDR, 4 proliferative. */
export type DrGrade = 0 | 1 | 2 | 3 | 4;

/** EyeQ's three quality classes. */
export const QUALITY_LABELS = ['good', 'usable', 'reject'] as const;
export type QualityLabel = (typeof QUALITY_LABELS)[number];

/**
 * Severity of each image degradation, 0 (absent) to 1 (worst); `exposure` is signed, −1 (very dark) to +1
 * (washed out). Omitted fields are 0.
 */
export interface Degradations {
  /** Defocus blur; 1 ≈ Gaussian σ of 1.4 % of the image size (7 px at 512). */
  blur?: number;
  /** Uneven illumination: a dark side and, when strong, a whitish haze at the rim. */
  illumination?: number;
  /** Under- (negative) or over-exposure (positive). */
  exposure?: number;
  /** Eyelid shadow and eyelashes over part of the field. */
  occlusion?: number;
  /** Field of view shifted off the image centre (cut by the border) with a dark crescent. */
  offCentre?: number;
}
/** Names in `Degradations`. */
export const DEGRADATION_NAMES = ['blur', 'illumination', 'exposure', 'occlusion', 'offCentre'] as const;
export type DegradationName = (typeof DEGRADATION_NAMES)[number];
