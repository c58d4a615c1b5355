import {
  cast,
  mul,
  op,
  sum,
  type Tensor3D,
  type Tensor4D,
  tensor1d,
  tidy,
  tile,
} from '@tensorflow/tfjs-core';
import { invalid } from './check_args.js';
import { imageBatch } from './image_batch.js';

/** ITU-R BT.601 luma weights for R, G, B, as OpenCV's `COLOR_RGB2GRAY` and PIL's `convert('L')` use. */
export const BT601_LUMA = [0.299, 0.587, 0.114] as const;

export interface GreyscaleArgs {
  /** Channels of the result: 1, or 3 (the grey value repeated, for backbones that expect RGB). @defaultValue 1 */
  channels?: 1 | 3;
}

/**
 * Greyscale variant: luma `Y = 0.299 R + 0.587 G + 0.114 B` (BT.601, as OpenCV's `cvtColor(…, COLOR_RGB2GRAY)`,
 * not rounded to integers). A 1-channel input is taken as grey already.
 *
 * @param image RGB or grey, any range (0-255 usual), [H, W, 3|1] or [N, H, W, 3|1].
 * @param args `channels`: 1 or 3.
 * @returns Grey, same range, [..., channels], same rank, float32. NaN in any channel gives NaN.
 * @example
 * ```ts
 * const grey = greyscale(image, { channels: 3 }); // feed to an ImageNet backbone
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4 with 1 or 3 channels.
 * @throws {@link InvalidArgumentError} when `channels` is not 1 or 3.
 * @see ITU-R Recommendation BT.601; OpenCV `cv::cvtColor` (RGB2GRAY).
 */
function greyscale_<T extends Tensor3D | Tensor4D>(image: T, args: GreyscaleArgs = {}): T {
  const channels = outputChannels('greyscale', args.channels);
  return tidy(() => {
    const { batch, restore } = imageBatch('greyscale', image, [1, 3]);
    const x = cast(batch, 'float32');
    const grey: Tensor4D = batch.shape[3] === 1 ? x : sum(mul(x, tensor1d([...BT601_LUMA])), -1, true);
    return restore<T>(channels === 3 ? tile(grey, [1, 1, 1, 3]) : grey);
  });
}

/** Checks a `channels: 1 | 3` argument (shared with greenChannel). */
export function outputChannels(fn: string, channels: unknown): 1 | 3 {
  if (channels === undefined) return 1;
  if (channels !== 1 && channels !== 3) throw invalid(fn, 'channels', '1 or 3', channels);
  return channels;
}

export const greyscale = op({ greyscale_ });
