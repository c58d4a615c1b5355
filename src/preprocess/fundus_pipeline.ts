import {
  add,
  cast,
  div,
  fill,
  lessEqual,
  range,
  reshape,
  square,
  sub,
  type Tensor3D,
  type Tensor4D,
  tensor3d,
  tensor4d,
  tidy,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { inMemoryValues } from '../backend/in_memory.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { areaResizeData } from './area_resize_data.js';
import { type BenGrahamArgs, benGraham } from './ben_graham.js';
import { type BenGrahamMaskedSettings, benGrahamMasked, benGrahamRowPadding } from './ben_graham_masked.js';
import { booleanArg, finiteNumber, invalid, positiveInteger, positiveNumber } from './check_args.js';
import { type ClaheArgs, clahe } from './clahe.js';
import { blurDownsampleFactor } from './decimated_blur.js';
import { cropToFov } from './fov/crop_to_fov.js';
import type { FovArgs } from './fov/fov_args.js';
import type { FovBox } from './fov/fov_box.js';
import { fovBox } from './fov/fov_box.js';
import { detectCircles, fovCircle } from './fov/fov_circle.js';
import type { FovCircle } from './fov/fov_input.js';
import { greyscale } from './greyscale.js';
import { type NormalizeMode, normalize } from './normalize.js';
import { areaResizeWindow, type ResizeMethod, resize } from './resize.js';
import { vggPreprocess } from './vgg_preprocess.js';

/** The colour variants of the fundus classification write-up (seed 2), plus CLAHE. */
export type FundusColour = 'original' | 'greyscale' | 'vgg' | 'benGraham' | 'clahe';

export const FUNDUS_COLOURS: readonly FundusColour[] = ['original', 'greyscale', 'vgg', 'benGraham', 'clahe'];

/** Arguments of {@link fundusPipeline}. */
export interface FundusPipelineArgs {
  /** Output side in pixels: every result is `size × size`. @defaultValue 512 */
  size?: number;
  /**
   * Colour variant: `'original'` (RGB 0-255), `'greyscale'` (BT.601 luma in 3 channels, for ImageNet
   * backbones), `'vgg'` (Keras caffe mode: BGR minus the ImageNet mean), `'benGraham'` (local average colour
   * subtracted, see {@link benGraham}), `'clahe'` (CLAHE on luminance, see {@link clahe}).
   * @defaultValue 'original'
   */
  colour?: FundusColour;
  /**
   * Crop to the field of view (a square centred on the detected circle, black where the frame cuts it)
   * before resizing. With `false` the whole photo is resized to `size × size` (non-square photos stretch).
   * @defaultValue true
   */
  crop?: boolean;
  /** Border around the circle when cropping, as a fraction of its radius (above −1). @defaultValue 0 */
  margin?: number;
  /**
   * Set pixels outside `maskRadius · r` of the field of view to the background: 128 for `'benGraham'` (its
   * recipe), 0 (black) before the colour step otherwise.
   * @defaultValue true for 'benGraham', false otherwise
   */
  mask?: boolean;
  /** Mask radius as a fraction of the field-of-view radius. @defaultValue 0.9 for 'benGraham', 1 otherwise */
  maskRadius?: number;
  /** Field-of-view detection settings (see {@link fovCircle}). @defaultValue `{ workingSize: 128 }` */
  fov?: FovArgs;
  /** Resampling from the crop to `size` (see {@link resize}). @defaultValue 'area' */
  resizeMethod?: ResizeMethod;
  /**
   * Settings for `'benGraham'`; `radius` and `center` come from the detected field of view. Unlike the
   * `benGraham` op, the pipeline blurs on a coarser grid where that is accurate (`downsample: 'auto'`: ~0.02
   * grey levels of blur difference on average at σ = 512/30 on 512², ~4× faster on wasm); pass
   * `downsample: 1` for the exact blur.
   * @defaultValue Ben Graham's recipe: σ = r / 30 (pass `sigma: size / 30` to match the common OpenCV script),
   * `downsample: 'auto'`
   */
  benGraham?: Pick<BenGrahamArgs, 'sigma' | 'scale' | 'offset' | 'downsample'>;
  /** Settings for `'clahe'`. @defaultValue clahe's defaults (clip limit 2, 8×8 tiles) */
  clahe?: ClaheArgs;
  /**
   * A final normalisation for a model's input (see {@link normalize}), or `null` to keep 0-255 values.
   * Not with `'vgg'`, which is itself the caffe normalisation.
   * @defaultValue null
   */
  normalize?: NormalizeMode | null;
}

/** One photo through {@link fundusPipeline}, with what maps results back onto it. */
export interface PreparedFundus {
  /** float32 [size, size, 3]: the prepared image. The caller owns (and disposes) it. */
  image: Tensor3D;
  /** The detected field of view in the photo's pixels, or `null` when neither `crop` nor `mask` needed it. */
  circle: FovCircle | null;
  /** The crop box in the photo's pixels (pass to `uncropFromFov`), or `null` without `crop`. */
  box: FovBox | null;
  /** The photo's [height, width]. */
  originalSize: [number, number];
}

/** A configured pipeline: one photo in, one {@link PreparedFundus} out. */
export type FundusPipeline = (photo: Tensor3D) => Promise<PreparedFundus>;

interface Settings {
  size: number;
  colour: FundusColour;
  crop: boolean;
  margin: number;
  mask: boolean;
  maskRadius: number;
  fov: FovArgs;
  resizeMethod: ResizeMethod;
  benGraham: Pick<BenGrahamArgs, 'sigma' | 'scale' | 'offset' | 'downsample'>;
  clahe: ClaheArgs;
  normalize: NormalizeMode | null;
}

const FN = 'fundusPipeline';

/**
 * The fundus preprocessing preset: field-of-view crop → resize to `size` → colour variant → mask →
 * normalisation, as the seeds' pipelines did it (crop + resize + colour variants; Ben Graham's Kaggle recipe).
 * Returns an async function (field-of-view detection reads a small tensor back) that takes one photo and
 * disposes nothing it was given. Use it as a dataset's `transform`, or directly.
 *
 * @param args See {@link FundusPipelineArgs}.
 * @returns A {@link FundusPipeline}.
 * @example
 * ```ts
 * const prepare = fundusPipeline({ size: 512, colour: 'benGraham' });
 * const photo = await readImage('eye.jpg');
 * const { image, box, originalSize } = await prepare(photo);
 * // Feed `image` to a model; map a heatmap of it back with uncropFromFov(heatmap, box, originalSize).
 * const train = fromCsv('labels.csv', { transform: fundusPipeline({ size: 224, colour: 'vgg' }) });
 * ```
 * @throws {@link InvalidArgumentError} for bad `args` (now), or, from the returned function, when no field of
 * view is found in a photo that needs one.
 * @throws {@link ShapeError} from the returned function when `photo` is not [H, W, 1|3].
 * @see B. Graham, "Kaggle Diabetic Retinopathy Detection competition report", 2015.
 */
export function fundusPipeline(args: FundusPipelineArgs = {}): FundusPipeline {
  const s = settings(args);
  const needsCircle = s.crop || s.mask;
  return async (photo: Tensor3D): Promise<PreparedFundus> => {
    if (!(photo?.rank === 3) || (photo.shape[2] !== 1 && photo.shape[2] !== 3)) {
      throw new ShapeError(
        `${FN}: photo must be one image [H, W, 1|3], but got ${photo?.shape ? `shape [${photo.shape}]` : String(photo)}.`,
        photo?.shape ?? [],
      );
    }
    const originalSize: [number, number] = [photo.shape[0], photo.shape[1]];
    let framed: Tensor3D = photo;
    let circle: FovCircle | null = null;
    let box: FovBox | null = null;
    if (s.crop && s.resizeMethod === 'area' && photo.shape[2] === 3) {
      // Area-resize the crop box straight from the photo: the same values as cropping first (zeros where the
      // box leaves the frame), without the full-size crop. Detection has checked there is no NaN.
      const found = (await detectCircles('cropToFov', photo, s.fov))[0]!;
      const square = fovBox(found, s.margin, true, originalSize);
      const image = tidy(() => prepareFromPhoto(photo, s, found, square, originalSize));
      return { image, circle: found, box: square, originalSize };
    }
    if (s.crop) {
      const cropped = await cropToFov(photo, { ...s.fov, margin: s.margin, square: true });
      ({ image: framed, circle, box } = cropped);
    } else if (needsCircle) {
      circle = await fovCircle(photo, s.fov);
    }
    try {
      const image = tidy(() => prepare(framed, s, circle, box, originalSize));
      return { image, circle, box, originalSize };
    } finally {
      if (framed !== photo) framed.dispose();
    }
  };
}

/**
 * The area path straight from the photo (3 channels, no NaN): the crop box resized to `size` (zeros where it
 * leaves the frame), then colour, mask and normalisation. On the backends whose tensors live in main memory
 * (cpu, wasm), where the tap-by-tap loop beats the banded products (~2×), the resize runs in JS on the photo's
 * values read in place (before any tensor operation: a wasm heap view lasts until the next one) and, for the
 * exact benGraham blur, also pads the rows for it. Call inside `tidy`.
 */
function prepareFromPhoto(
  photo: Tensor3D,
  s: Settings,
  circle: FovCircle,
  box: FovBox,
  originalSize: [number, number],
): Tensor3D {
  const rows = { start: box.top, length: box.height };
  const cols = { start: box.left, length: box.width };
  const values = inMemoryValues(photo);
  if (values === null) {
    const x = reshape(photo.dtype === 'float32' ? photo : cast(photo, 'float32'), [1, ...photo.shape]);
    const resized = areaResizeWindow(x as Tensor4D, s.size, s.size, rows, cols);
    return finish(reshape(resized, [s.size, s.size, 3]), s, circle, box, originalSize, true);
  }
  const fused = fusedBenGraham(s, circleInOutput(circle, box, originalSize, s.size));
  // The exact blur's rows are padded during the resize; the coarse blur pads its own small copy.
  const pad =
    fused === null || fused.downsample > 1
      ? { before: 0, after: 0 }
      : benGrahamRowPadding(s.size, fused.sigma);
  const data = areaResizeData(values, [...originalSize, 3], s.size, s.size, rows, cols, pad);
  const line = s.size * 3;
  const resized = data.subarray(pad.before * line, (pad.before + s.size) * line);
  const x = tensor3d(resized, [s.size, s.size, 3]);
  if (fused === null) return finish(x, s, circle, box, originalSize, true);
  if (fused.downsample > 1) return benGrahamMasked(x, fused);
  return benGrahamMasked(x, fused, tensor4d(data, [1, data.length / line, s.size, 3]));
}

/** Resize, colour, mask and normalise one framed image. Call inside `tidy`. */
function prepare(
  framed: Tensor3D,
  s: Settings,
  circle: FovCircle | null,
  box: FovBox | null,
  originalSize: [number, number],
): Tensor3D {
  const rgb = framed.shape[2] === 1 ? greyscale(framed, { channels: 3 }) : cast(framed, 'float32');
  return finish(resize(rgb, s.size, { method: s.resizeMethod }), s, circle, box, originalSize, false);
}

/** Colour, mask and normalise one resized image. Call inside `tidy`. */
function finish(
  resized: Tensor3D,
  s: Settings,
  circle: FovCircle | null,
  box: FovBox | null,
  originalSize: [number, number],
  /** float32 without NaN (checked by the field-of-view detection). */
  clean: boolean,
): Tensor3D {
  let x = resized;
  // The circle in output pixels (half-pixel centres), an ellipse when a non-square photo was stretched.
  const fov = circle === null ? null : circleInOutput(circle, box, originalSize, s.size);
  const fused = clean && fov !== null ? fusedBenGraham(s, fov) : null;
  // No NaN to guard and no dtype to convert: blur, gain and mask in one pass.
  if (fused !== null) return benGrahamMasked(x, fused);
  const inside = s.mask && fov !== null ? insideEllipse(x, fov, s.maskRadius) : null;
  if (s.colour === 'benGraham') {
    const radius = fov === null ? s.size / 2 : (fov.ry + fov.rx) / 2;
    const out = benGraham(x, { downsample: 'auto', ...s.benGraham, radius, maskRadius: null });
    return inside === null ? out : where(inside, out, fill(out.shape, s.benGraham.offset ?? 128));
  }
  if (inside !== null) x = where(inside, x, zerosLike(x));
  switch (s.colour) {
    case 'greyscale':
      x = greyscale(x, { channels: 3 });
      break;
    case 'vgg':
      return vggPreprocess(x);
    case 'clahe':
      x = clahe(x, s.clahe);
      break;
    default:
      break;
  }
  return s.normalize === null ? x : normalize(x, s.normalize);
}

/** The settings of the fused benGraham + mask step, or `null` when the pipeline does not end with it. */
function fusedBenGraham(s: Settings, fov: Ellipse): BenGrahamMaskedSettings | null {
  if (s.colour !== 'benGraham' || !s.mask) return null;
  const f = s.maskRadius;
  const sigma = s.benGraham.sigma ?? (fov.ry + fov.rx) / 2 / 30;
  return {
    sigma,
    downsample: blurDownsampleFactor(FN, s.benGraham.downsample ?? 'auto', sigma, s.size, s.size),
    scale: s.benGraham.scale ?? 4,
    offset: s.benGraham.offset ?? 128,
    ellipse: { cy: fov.cy, cx: fov.cx, ry: fov.ry * f, rx: fov.rx * f },
  };
}

interface Ellipse {
  cy: number;
  cx: number;
  ry: number;
  rx: number;
}

function circleInOutput(
  circle: FovCircle,
  box: FovBox | null,
  originalSize: [number, number],
  size: number,
): Ellipse {
  const [top, left, height, width] =
    box === null ? [0, 0, originalSize[0], originalSize[1]] : [box.top, box.left, box.height, box.width];
  const sy = size / height;
  const sx = size / width;
  return {
    cy: (circle.cy - top + 0.5) * sy - 0.5,
    cx: (circle.cx - left + 0.5) * sx - 0.5,
    ry: circle.r * sy,
    rx: circle.r * sx,
  };
}

/** Booleans at `like`'s shape: pixel centres inside the ellipse scaled by `fraction`. Call inside `tidy`. */
function insideEllipse(like: Tensor3D, e: Ellipse, fraction: number) {
  const [h, w] = like.shape;
  const dy2 = reshape(square(div(sub(range(0, h), e.cy), e.ry * fraction)), [h, 1, 1]);
  const dx2 = reshape(square(div(sub(range(0, w), e.cx), e.rx * fraction)), [1, w, 1]);
  // At the full shape: a broadcasting `where` would tile its inputs, slowly on wasm.
  return lessEqual(add(add(dy2, dx2), zerosLike(like)), 1);
}

function marginArg(margin: unknown): number {
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin <= -1) {
    throw invalid(FN, 'margin', 'a number above -1', margin);
  }
  return margin;
}

function settings(args: FundusPipelineArgs): Settings {
  if (args === null || typeof args !== 'object') throw invalid(FN, 'args', 'an object', args);
  const colour = args.colour ?? 'original';
  if (!FUNDUS_COLOURS.includes(colour)) {
    throw invalid(FN, 'colour', `one of ${FUNDUS_COLOURS.map((c) => `'${c}'`).join(', ')}`, colour);
  }
  const isBen = colour === 'benGraham';
  const normalizeMode = args.normalize ?? null;
  if (colour === 'vgg' && normalizeMode !== null) {
    throw new InvalidArgumentError(
      'normalize',
      `${FN}: colour 'vgg' is already the caffe normalisation; normalize must be null, but got ${JSON.stringify(normalizeMode)}.`,
      normalizeMode,
    );
  }
  const fov = args.fov ?? { workingSize: 128 };
  if (fov === null || typeof fov !== 'object') throw invalid(FN, 'fov', 'an object', fov);
  const benArgs = args.benGraham ?? {};
  if (benArgs.sigma !== undefined) positiveNumber(FN, 'benGraham.sigma', benArgs.sigma);
  if (benArgs.scale !== undefined) finiteNumber(FN, 'benGraham.scale', benArgs.scale);
  if (benArgs.offset !== undefined) finiteNumber(FN, 'benGraham.offset', benArgs.offset);
  const size = positiveInteger(FN, 'size', args.size ?? 512);
  const downsample = benArgs.downsample;
  if (
    downsample !== undefined &&
    downsample !== 'auto' &&
    !(Number.isInteger(downsample) && downsample >= 1 && size % downsample === 0)
  ) {
    throw invalid(
      FN,
      'benGraham.downsample',
      `'auto' or a positive integer that divides size (${size})`,
      downsample,
    );
  }
  return {
    size,
    colour,
    crop: booleanArg(FN, 'crop', args.crop ?? true),
    margin: marginArg(args.margin ?? 0),
    mask: booleanArg(FN, 'mask', args.mask ?? isBen),
    maskRadius: positiveNumber(FN, 'maskRadius', args.maskRadius ?? (isBen ? 0.9 : 1)),
    fov,
    resizeMethod: args.resizeMethod ?? 'area',
    benGraham: benArgs,
    clahe: args.clahe ?? {},
    normalize: normalizeMode,
  };
}
