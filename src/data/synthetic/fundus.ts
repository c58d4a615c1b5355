import { dispose, type Tensor2D, type Tensor3D, tensor2d, tensor3d } from '@tensorflow/tfjs-core';
import { freshSeed } from './prng.js';
import { type SyntheticFundusArgs, type SyntheticFundusInfo, synthesize } from './sample.js';
import { MASK_NAMES, type MaskName } from './types.js';

/** One synthetic photograph: the image, its masks and its labels. */
export interface SyntheticFundus extends SyntheticFundusInfo {
  /** RGB [size, size, 3], float32 integers 0-255, black (0) outside the field of view. */
  image: Tensor3D;
  /**
   * 0/1 float32 masks [size, size]: `MA`, `HE`, `EX`, `SE` lesions (IDRiD's set), `NV` new vessels and `OD`
   * the optic disc. Zero outside the field of view.
   */
  masks: Record<MaskName, Tensor2D>;
  /** Disposes the image and every mask. */
  dispose(): void;
}

/**
 * A procedural, plausible retinal fundus photograph with lesion masks, a DR grade and a quality label, for
 * demos, tests and pre-training without real data. Deterministic given `seed`.
 *
 * The eye: black surround and a circular field of view (sometimes cut top and bottom, with the camera's
 * notch), orange-red fundus with vignetting and texture, a yellowish optic disc with its cup, a darker
 * macula 2.3-2.7 disc diameters temporal to it, and a branching vascular tree from the disc (veins darker
 * and wider than arteries; temporal arcades arch around the macula). Lesions: MA small dark-red dots, HE
 * dot-blot and flame haemorrhages, EX yellow clusters (often a circinate ring), SE pale cotton-wool spots,
 * NV tufts of fine new vessels. The grade follows {@link drGrade}; the quality label {@link qualityLabel}.
 *
 * Rendered on the CPU in typed arrays and uploaded once (0.1-0.3 s at 512², 20-45 ms at 224² on one core),
 * so the result is the same on every backend (drawing hundreds of shapes as full-frame tensor ops would be
 * hundreds of times slower). The caller owns the tensors: `fundus.dispose()` frees the image and every mask.
 *
 * @returns the image, masks and labels (see {@link SyntheticFundus}).
 * @example
 * ```ts
 * const f = syntheticFundus({ size: 256, seed: 7, grade: 2, quality: 'usable' });
 * console.log(f.grade, f.quality, f.degradations, f.lesionCounts);
 * f.dispose();
 * ```
 * @throws {@link InvalidArgumentError} for a size outside 64-2048, a bad seed, an unknown lesion type or
 * negative count, both `grade` and `lesions`, or an unknown quality label, degradation or severity.
 */
export function syntheticFundus(args: SyntheticFundusArgs = {}): SyntheticFundus {
  const seed = args.seed ?? freshSeed();
  const { rendered, info } = synthesize('syntheticFundus', { ...args, seed });
  const S = args.size ?? 512;
  const image = tensor3d(rendered.rgb, [S, S, 3], 'float32');
  const masks = {} as Record<MaskName, Tensor2D>;
  for (const name of MASK_NAMES)
    masks[name] = tensor2d(Float32Array.from(rendered.masks[name]), [S, S], 'float32');
  return { ...info, image, masks, dispose: () => dispose([image, ...Object.values(masks)]) };
}
