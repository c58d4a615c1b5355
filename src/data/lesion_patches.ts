import {
  avgPool,
  cast,
  concat,
  gather,
  greater,
  greaterEqual,
  max,
  mul,
  reshape,
  round,
  slice,
  sub,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  tensor1d,
  tidy,
  transpose,
  zeros,
} from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '../errors.js';

/** IDRiD's lesion types: microaneurysms, haemorrhages, hard exudates, soft exudates. */
export const IDRID_LESION_TYPES: readonly string[] = ['MA', 'HE', 'EX', 'SE'];

/** Arguments of {@link lesionPatches}. */
export interface LesionPatchesArgs {
  /**
   * Side of the square patches, in pixels.
   * @defaultValue 128
   */
  patchSize?: number;
  /**
   * Step between patches. Equal to `patchSize`, patches tile the image; smaller, they overlap. Patches lie
   * wholly inside the image, so a strip narrower than a patch at the right/bottom edge is not covered
   * (TensorFlow's `extract_patches` with `'VALID'` padding).
   * @defaultValue patchSize
   */
  stride?: number;
  /**
   * Lesion pixels of a type a patch needs for that type's label to be 1.
   * @defaultValue 1
   */
  minLesionPixels?: number;
  /**
   * Label columns after `background`, in order; `masks` may hold any subset of them (a missing type counts as
   * no lesion).
   * @defaultValue `['MA', 'HE', 'EX', 'SE']`
   */
  lesionTypes?: readonly string[];
}

/** Patches of an image with per-type lesion labels. The tensors belong to the caller (dispose them). */
export interface LesionPatches {
  /** [N, p, p, C] float32, row-major over the patch grid. */
  patches: Tensor4D;
  /**
   * [N, 1 + T] float32 multi-hot: column 0 is `background` (no type reaches `minLesionPixels`), then one column
   * per lesion type in `lesionTypes` order.
   */
  labels: Tensor2D;
  /** [N, T] float32: lesion pixels of each type inside each patch (exact integers). */
  pixelCounts: Tensor2D;
  /** Column names of `labels`: `['background', ...lesionTypes]`. */
  labelNames: string[];
  /** Top-left corner [y, x] of each patch, in image pixels. */
  origins: [number, number][];
  /** Patch grid: [rows, columns]; N = rows · columns. */
  grid: [number, number];
}

/**
 * Cuts a fundus photo and its lesion masks into patches labelled with the lesion types they contain: the
 * patch-level input of collaborative patch/image-level DR grading, where a lesion network classifies patches
 * and its lesion maps re-weight the image for the grading network. Runs on every backend: tiling patches are a
 * reshape/transpose, overlapping ones two gathers and the same transpose (exact copies), and the lesion counts
 * a sum pooling (`avgPool` × p²) of the masks.
 *
 * @param image [H, W, C] (any value range; returned unchanged in the patches, as float32).
 * @param masks Lesion masks by type, [H, W] or [H, W, 1]; a pixel counts as lesion when > 0.5 (so 0/1 and
 * 0/255 masks both work).
 * @example
 * ```ts
 * const { image, masks } = await readIdridSample('../shared/data/idrid/labels.csv', 'IDRiD_01');
 * const { patches, labels } = lesionPatches(image, masks, { patchSize: 128, stride: 64 });
 * // labels row [0, 1, 0, 1, 0]: this patch has microaneurysms and hard exudates
 * ```
 * @throws {@link ShapeError} when the image is not rank 3, a mask is not [H, W] / [H, W, 1] of the image's size,
 * or the patch is larger than the image.
 * @throws {@link InvalidArgumentError} for a non-positive patchSize/stride, a minLesionPixels below 1, duplicate
 * lesion types, or a mask whose type is not in `lesionTypes`.
 * @see Yang et al., "Robust Collaborative Learning of Patch-level and Image-level Annotations for Diabetic
 * Retinopathy Grading from Fundus Image", arXiv 2008.00610 (the lesion network's patch labels).
 */
export function lesionPatches(
  image: Tensor3D,
  masks: Readonly<Record<string, Tensor | undefined>>,
  args: LesionPatchesArgs = {},
): LesionPatches {
  const fn = 'lesionPatches';
  const { patchSize: p, stride: s, minLesionPixels, lesionTypes } = checkArgs(fn, args);
  if (image.rank !== 3) {
    throw new ShapeError(
      `${fn}: image must be rank 3 [H, W, C], but got rank ${image.rank} (shape [${image.shape}]).`,
      image.shape,
    );
  }
  const [h, w, c] = image.shape;
  if (p > h || p > w) {
    throw new ShapeError(
      `${fn}: patchSize ${p} is larger than the image (shape [${image.shape}]).`,
      image.shape,
    );
  }
  for (const [type, mask] of Object.entries(masks)) {
    if (mask === undefined) continue;
    if (!lesionTypes.includes(type)) {
      throw new InvalidArgumentError(
        'masks',
        `${fn}: masks has '${type}', which is not in lesionTypes (${lesionTypes.join(', ')}); add it there or leave it out.`,
        type,
      );
    }
    const ok =
      (mask.rank === 2 || (mask.rank === 3 && mask.shape[2] === 1)) &&
      mask.shape[0] === h &&
      mask.shape[1] === w;
    if (!ok) {
      throw new ShapeError(
        `${fn}: mask '${type}' must be [${h}, ${w}] or [${h}, ${w}, 1] like the image, but got shape [${mask.shape}].`,
        mask.shape,
      );
    }
  }

  const rows = Math.floor((h - p) / s) + 1;
  const cols = Math.floor((w - p) / s) + 1;
  const n = rows * cols;
  const origins: [number, number][] = [];
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) origins.push([r * s, q * s]);

  const result = tidy(() => {
    // Lesion pixels per patch and type: sum pooling (average pooling × p²) of each binary mask, one type at a
    // time (stacking the full-size masks first costs more than the pooling); rounding removes the division's
    // float error. A type without a mask counts zero.
    const pooled = concat(
      lesionTypes.map((type) => {
        const mask = masks[type];
        if (!mask) return zeros([1, rows, cols, 1]);
        const binary = cast(greater(reshape(mask, [1, h, w, 1]), 0.5), 'float32') as Tensor4D;
        return avgPool(binary, [p, p], [s, s], 'valid');
      }),
      3,
    );
    const pixelCounts = reshape(round(mul(pooled, p * p)), [n, lesionTypes.length]) as Tensor2D;
    const present = cast(greaterEqual(pixelCounts, minLesionPixels), 'float32');
    const background = sub(1, max(present, 1, true));
    const labels = concat([background, present], 1) as Tensor2D;
    const patches = s === p ? tiles(image, p, rows, cols, c) : crops(image, p, s, rows, cols);
    return { patches, labels, pixelCounts };
  });
  return { ...result, labelNames: ['background', ...lesionTypes], origins, grid: [rows, cols] };
}

/** Non-overlapping patches by reshape/transpose: [rows·p, cols·p, C] → [rows·cols, p, p, C]. */
function tiles(image: Tensor3D, p: number, rows: number, cols: number, c: number): Tensor4D {
  const cropped = slice(cast(image, 'float32'), [0, 0, 0], [rows * p, cols * p, c]);
  // Rank 4 at most, which every backend's transpose handles.
  const grid = reshape(cropped, [rows, p, cols, p * c]);
  return reshape(transpose(grid, [0, 2, 1, 3]), [rows * cols, p, p, c]);
}

/**
 * Overlapping patches by two gathers (exact copies on every backend; `cropAndResize` is not pixel-exact on all of
 * them): the rows of each patch row, then the columns of each patch column, then the same rank-4 transpose.
 */
function crops(image: Tensor3D, p: number, s: number, rows: number, cols: number): Tensor4D {
  const c = image.shape[2];
  const offsets = (n: number) =>
    tensor1d(
      Array.from({ length: n * p }, (_, k) => Math.floor(k / p) * s + (k % p)),
      'int32',
    );
  const byRow = gather(cast(image, 'float32'), offsets(rows), 0); // [rows·p, W, C]
  const both = gather(byRow, offsets(cols), 1); // [rows·p, cols·p, C]
  const grid = reshape(both, [rows, p, cols, p * c]);
  return reshape(transpose(grid, [0, 2, 1, 3]), [rows * cols, p, p, c]);
}

function checkArgs(fn: string, args: LesionPatchesArgs) {
  const patchSize = args.patchSize ?? 128;
  const stride = args.stride ?? patchSize;
  const minLesionPixels = args.minLesionPixels ?? 1;
  const lesionTypes = [...(args.lesionTypes ?? IDRID_LESION_TYPES)];
  for (const [name, value] of [
    ['patchSize', patchSize],
    ['stride', stride],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidArgumentError(
        name,
        `${fn}: ${name} must be a positive integer, but got ${value}.`,
        value,
      );
    }
  }
  if (!Number.isFinite(minLesionPixels) || minLesionPixels < 1) {
    throw new InvalidArgumentError(
      'minLesionPixels',
      `${fn}: minLesionPixels must be a number ≥ 1, but got ${minLesionPixels}.`,
      minLesionPixels,
    );
  }
  if (lesionTypes.length === 0 || new Set(lesionTypes).size !== lesionTypes.length) {
    throw new InvalidArgumentError(
      'lesionTypes',
      `${fn}: lesionTypes must be a non-empty list of distinct names, but got ${JSON.stringify(lesionTypes)}.`,
      lesionTypes,
    );
  }
  return { patchSize, stride, minLesionPixels, lesionTypes };
}
