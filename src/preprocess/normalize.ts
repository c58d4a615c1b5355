import { cast, div, op, sub, type Tensor3D, type Tensor4D, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { invalid } from './check_args.js';
import { imageBatch } from './image_batch.js';
import { vggPreprocess } from './vgg_preprocess.js';

/** ImageNet channel means (RGB, 0-1 scale), as keras.applications' `torch` mode and torchvision use them. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** ImageNet channel standard deviations (RGB, 0-1 scale). */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** Your own statistics, per channel (one number for all channels, or one per channel). */
export interface NormalizeStats {
  /** Subtracted first, in the input's units (e.g. 0-255). */
  mean: number | readonly number[];
  /** Then divided by; every entry > 0. @defaultValue 1 */
  std?: number | readonly number[];
}

/**
 * - `'imagenet'` / `'torch'`: `(x / 255 − IMAGENET_MEAN) / IMAGENET_STD` per RGB channel (keras `torch` mode,
 *   torchvision `ToTensor` + `Normalize`); ResNet/EfficientNet-style PyTorch weights.
 * - `'tf'`: `x / 127.5 − 1`, to −1…1 (keras `tf` mode: MobileNet, Inception, Xception).
 * - `'caffe'`: RGB → BGR minus the ImageNet BGR mean, no scaling (keras `caffe` mode, = {@link vggPreprocess}:
 *   VGG-16/19, ResNet-50 with Keras weights).
 * - `{mean, std}`: `(x − mean) / std` per channel (torchvision `Normalize` on your values).
 */
export type NormalizeMode = 'imagenet' | 'torch' | 'tf' | 'caffe' | NormalizeStats;

const MODES = ['imagenet', 'torch', 'tf', 'caffe'] as const;

/**
 * Normalises pixel values the way a backbone's pretrained weights expect, with exactly Keras's
 * `imagenet_utils.preprocess_input` / torchvision's formulas and operation order (float32, so the results
 * equal theirs bit for bit on cpu and wasm; GPU backends' division may differ in the last bit).
 *
 * @param image Values 0-255, [H, W, C] or [N, H, W, C]; RGB (C = 3) for `'imagenet'`, `'torch'` and `'caffe'`.
 * @param mode See {@link NormalizeMode}.
 * @returns Same shape and rank, float32: roughly −2.1…2.6 (`imagenet`/`torch`), −1…1 (`tf`), −124…152 BGR
 * (`caffe`). NaN stays NaN.
 * @example
 * ```ts
 * const x = normalize(resize(image, 224), 'imagenet');
 * const y = normalize(greyImage, { mean: 128, std: 64 });
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4, or has the wrong channel count for the mode.
 * @throws {@link InvalidArgumentError} when `mode` is unknown, or `mean`/`std` are not finite numbers (std > 0)
 * of length 1 or the channel count.
 * @see keras.applications.imagenet_utils.preprocess_input (modes 'caffe', 'tf', 'torch');
 * torchvision.transforms.Normalize.
 */
function normalize_<T extends Tensor3D | Tensor4D>(image: T, mode: NormalizeMode): T {
  const fn = 'normalize';
  if (mode === 'caffe') return vggPreprocessAs(fn, image);
  const known = typeof mode === 'string' ? (MODES as readonly string[]).includes(mode) : isObject(mode);
  if (!known)
    throw invalid(fn, 'mode', `one of ${MODES.map((m) => `'${m}'`).join(', ')} or {mean, std}`, mode);
  return tidy(() => {
    const { batch, restore } = imageBatch(
      fn,
      image,
      mode === 'tf' || typeof mode === 'object' ? undefined : [3],
    );
    const x = cast(batch, 'float32');
    if (mode === 'tf') return restore<T>(sub(div(x, 127.5), 1));
    if (mode === 'imagenet' || mode === 'torch') {
      return restore<T>(div(sub(div(x, 255), tensor1d([...IMAGENET_MEAN])), tensor1d([...IMAGENET_STD])));
    }
    const channels = batch.shape[3];
    const mean = perChannel(fn, 'mean', mode.mean, channels, false);
    const std = perChannel(fn, 'std', mode.std ?? 1, channels, true);
    return restore<T>(div(sub(x, tensor1d(mean)), tensor1d(std)));
  });
}

/** caffe mode is vggPreprocess; only the error messages should name `normalize`. */
function vggPreprocessAs<T extends Tensor3D | Tensor4D>(fn: string, image: T): T {
  tidy(() => {
    imageBatch(fn, image, [3]);
  });
  return vggPreprocess(image);
}

function isObject(value: unknown): value is NormalizeStats {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function perChannel(
  fn: string,
  name: string,
  value: number | readonly number[],
  channels: number,
  positive: boolean,
): number[] {
  const values = typeof value === 'number' ? [value] : Array.isArray(value) ? [...value] : [];
  const valid =
    (values.length === 1 || values.length === channels) &&
    values.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0));
  if (!valid) {
    const what = positive ? 'positive numbers' : 'finite numbers';
    throw invalid(fn, name, `a number or ${channels} ${what} (one per channel)`, value);
  }
  return values;
}

export const normalize = op({ normalize_ });
