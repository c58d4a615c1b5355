import { cast, op, slice, type Tensor3D, type Tensor4D, tidy, tile } from '@tensorflow/tfjs-core';
import { outputChannels } from './greyscale.js';
import { imageBatch } from './image_batch.js';

export interface GreenChannelArgs {
  /** Channels of the result: 1, or 3 (green repeated, for backbones that expect RGB). @defaultValue 1 */
  channels?: 1 | 3;
}

/**
 * The green channel of an RGB fundus photo, where vessels, haemorrhages and microaneurysms have the most
 * contrast (red is saturated, blue is dark and noisy); the usual input of vessel and lesion segmentation.
 *
 * @param image RGB, any range (0-255 usual), [H, W, 3] or [N, H, W, 3].
 * @param args `channels`: 1 or 3.
 * @returns The green values unchanged, [..., channels], same rank, float32.
 * @example
 * ```ts
 * const green = greenChannel(image); // [H, W, 1]
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4 with 3 channels.
 * @throws {@link InvalidArgumentError} when `channels` is not 1 or 3.
 * @see J. Staal et al., "Ridge-based vessel segmentation in color images of the retina", IEEE TMI 2004
 * (DRIVE), which works on the green channel.
 */
function greenChannel_<T extends Tensor3D | Tensor4D>(image: T, args: GreenChannelArgs = {}): T {
  const channels = outputChannels('greenChannel', args.channels);
  return tidy(() => {
    const { batch, restore } = imageBatch('greenChannel', image, [3]);
    const green = slice(cast(batch, 'float32'), [0, 0, 0, 1], [-1, -1, -1, 1]);
    return restore<T>(channels === 3 ? tile(green, [1, 1, 1, 3]) : green);
  });
}

export const greenChannel = op({ greenChannel_ });
