import {
  cast,
  clipByValue,
  concat,
  op,
  reshape,
  slice,
  type Tensor,
  type Tensor3D,
  type Tensor4D,
  tensor2d,
  image as tfImage,
  tidy,
} from '@tensorflow/tfjs-core';
import { freshSeed } from '../../data/synthetic/prng.js';
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { imageBatch } from '../image_batch.js';
import { type AugmentArgs, resolveAugmentArgs } from './augment_args.js';
import { isIdentityRow, transformRow } from './geometry.js';
import {
  adjustBrightness,
  adjustContrast,
  adjustGamma,
  adjustHue,
  adjustSaturation,
  gaussianBlur,
} from './photometric.js';
import { sampleAugmentParams } from './sample_params.js';

/**
 * Random data augmentation for fundus images (and their masks), each image of a batch with its own draw,
 * reproducible from `seed`.
 *
 * Order: photometric (brightness, contrast, saturation, hue, gamma) → blur → geometry (flip, rotation,
 * zoom, translation as one projective `tf.image.transform`: bilinear for the image, nearest for the masks,
 * 0 outside the source) → clip to [0, 255]. Photometric before geometry keeps the fill exactly 0, like a
 * fundus photograph's black surround. Contrast and saturation are blends with grey levels (torchvision's
 * definitions); hue is a chroma rotation in YIQ.
 *
 * @param image RGB (or any channel count without saturation/hue), values 0-255, [H, W, C] or [N, H, W, C].
 * @param args which transforms and how strong; see {@link AugmentArgs}. Nothing is applied by default.
 * The optional third argument, `masks`: label maps aligned with the image: [H, W] or [H, W, K] for a rank-3 image,
 *   [N, H, W] or [N, H, W, K] for a batch, float32 or int32. They get the image's geometric transform
 *   (nearest neighbour, 0 outside) and no photometric one.
 * @returns the augmented image (float32, 0-255, same shape), or `{image, masks}` when masks are given
 *   (masks keep their shape and dtype).
 * @example
 * ```ts
 * const x = augment(batch, { flip: true, rotate: 20, zoom: 0.1, brightness: 0.2, seed: step });
 * const { image, masks } = augment(photo, { rotate: 30, seed: 1 }, lesionMasks);
 * ```
 * @throws {@link ShapeError} for a wrong image rank/dtype, saturation or hue on non-RGB images, or masks
 *   whose shape does not match the image.
 * @throws {@link InvalidArgumentError} for an unknown argument or a value out of range, naming it.
 * @see Buslaev et al., "Albumentations: fast and flexible image augmentations", Information 2020, for the
 *   parameterisation; torchvision's ColorJitter for the photometric ranges.
 */
function augment_<T extends Tensor3D | Tensor4D>(image: T, args?: AugmentArgs): T;
function augment_<T extends Tensor3D | Tensor4D, M extends Tensor>(
  image: T,
  args: AugmentArgs,
  masks: M,
): { image: T; masks: M };
function augment_<T extends Tensor3D | Tensor4D, M extends Tensor>(
  image: T,
  args: AugmentArgs = {},
  masks?: M,
): T | { image: T; masks: M } {
  const fn = 'augment';
  const resolved = resolveAugmentArgs(fn, args);
  const seed = args.seed ?? freshSeed();
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new InvalidArgumentError(
      'seed',
      `${fn}: seed must be an integer in [0, 2^32), but got ${seed}.`,
      seed,
    );
  }
  return tidy(() => {
    const { batch, restore } = imageBatch(fn, image);
    const [n, h, w, c] = batch.shape;
    if ((resolved.saturation || resolved.hue) && c !== 3) {
      throw new ShapeError(
        `${fn}: saturation and hue need 3 channels (RGB), but got ${c} (shape [${image.shape.join(',')}]).`,
        image.shape,
      );
    }
    const maskBatch = masks === undefined ? undefined : checkMasks(fn, masks, image.shape);
    const params = sampleAugmentParams(resolved, n, seed);

    let x = cast(batch, 'float32') as Tensor4D;
    if (resolved.brightness)
      x = adjustBrightness(
        x,
        params.map((p) => p.brightness),
      );
    if (resolved.contrast)
      x = adjustContrast(
        x,
        params.map((p) => p.contrast),
      );
    if (resolved.saturation)
      x = adjustSaturation(
        x,
        params.map((p) => p.saturation),
      );
    if (resolved.hue)
      x = adjustHue(
        x,
        params.map((p) => p.hue),
      );
    if (resolved.gamma)
      x = adjustGamma(
        x,
        params.map((p) => p.gamma),
      );
    if (resolved.blur)
      x = gaussianBlur(
        x,
        params.map((p) => p.blur),
        resolved.blur[1],
      );

    const rows = params.map((p) => transformRow(p, h, w));
    const geometric = !rows.every(isIdentityRow);
    if (geometric) x = transformEach(x, rows, 'bilinear');
    const out = restore<T>(clipByValue(x, 0, 255) as Tensor4D);
    if (maskBatch === undefined || masks === undefined) return out;

    let m = cast(maskBatch, 'float32') as Tensor4D;
    if (geometric) m = transformEach(m, rows, 'nearest');
    return { image: out, masks: cast(reshape(m, masks.shape), masks.dtype) as M };
  });
}

/**
 * `tf.image.transform` one image at a time: tfjs-backend-cpu 4.22's Transform kernel returns after the
 * first image of a batch (the others come back as the fill value), so a batched call is wrong on cpu.
 */
function transformEach(x: Tensor4D, rows: number[][], interpolation: 'bilinear' | 'nearest'): Tensor4D {
  const [n, h, w, c] = x.shape;
  const parts = rows.map((row, i) => {
    const one = n === 1 ? x : slice(x, [i, 0, 0, 0], [1, h, w, c]);
    return isIdentityRow(row)
      ? one
      : tfImage.transform(one, tensor2d([row], [1, 8]), interpolation, 'constant', 0);
  });
  return parts.length === 1 ? parts[0]! : concat(parts, 0);
}

/** Masks as [N, H, W, K] after checking they line up with the image. */
function checkMasks(fn: string, masks: Tensor, imageShape: readonly number[]): Tensor4D {
  const rank3 = imageShape.length === 3;
  const [n, h, w] = rank3 ? [1, imageShape[0]!, imageShape[1]!] : (imageShape as [number, number, number]);
  const s = masks.shape;
  const lead = rank3 ? s.slice(0, 2) : s.slice(0, 3);
  const expectedLead = rank3 ? [h, w] : [n, h, w];
  const extra = s.length - lead.length;
  const ok = (extra === 0 || extra === 1) && lead.every((d, i) => d === expectedLead[i]);
  if (!ok) {
    throw new ShapeError(
      `${fn}: masks must be [${expectedLead.join(',')}] or [${expectedLead.join(',')},K] to match the image ` +
        `[${imageShape.join(',')}], but got shape [${s.join(',')}].`,
      s,
    );
  }
  if (masks.dtype !== 'float32' && masks.dtype !== 'int32') {
    throw new ShapeError(`${fn}: masks must be float32 or int32, but got ${masks.dtype}.`, s);
  }
  const k = extra === 1 ? s[s.length - 1]! : 1;
  return reshape(masks, [n, h, w, k]);
}

export const augment = op({ augment_ });
