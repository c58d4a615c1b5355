import { dispose, div, type Tensor3D, tidy } from '@tensorflow/tfjs-core';
import { mixSeed } from '../data/random.js';
import { augment } from '../preprocess/augment/augment.js';
import type { AugmentArgs } from '../preprocess/augment/augment_args.js';
import { fundusPipeline, type PreparedFundus } from '../preprocess/fundus_pipeline.js';
import { type PreprocessSettings, pipelineArgs } from './preprocess_settings.js';

/**
 * What the preprocessed photo is divided by to give the network's input, fixed by the colour variant so a
 * model card's `preprocessing` alone says how to feed the model: 255 for 0-255 images (inputs in [0, 1]);
 * 1 for `'vgg'`, already the network's input (BGR, ImageNet mean subtracted, as keras.applications' VGG and
 * ResNet-50 weights expect).
 */
export function inputDivisor(settings: PreprocessSettings): number {
  return settings.colour === 'vgg' ? 1 : 255;
}

/**
 * The light augmentation `train --augment` applies after preprocessing: flips both ways (a fundus has no
 * canonical left-right once left and right eyes are mixed), rotation by up to 180°, ±10 % brightness and
 * contrast. Geometry keeps the circular field of view inside the frame.
 */
export const CLI_AUGMENTATION: AugmentArgs = {
  flip: 'both',
  rotate: 180,
  brightness: 0.1,
  contrast: 0.1,
};

/**
 * The per-photo transform from a decoded photo (RGB 0-255) to the network's input: the model card's
 * preprocessing (`fundusPipeline`), optional augmentation (seeded per photo from `seed`), then
 * {@link inputDivisor}.
 */
export function modelInputTransform(
  settings: PreprocessSettings,
  options: { augment?: boolean; seed?: number } = {},
): (photo: Tensor3D) => Promise<PreparedFundus> {
  const prepare = fundusPipeline(pipelineArgs(settings));
  const divisor = inputDivisor(settings);
  let count = 0;
  return async (photo) => {
    const prepared = await prepare(photo);
    if (!options.augment && divisor === 1) return prepared;
    const seed = options.augment ? mixSeed(options.seed ?? 0, count++) : 0;
    const image = tidy(() => {
      const x = options.augment ? augment(prepared.image, { ...CLI_AUGMENTATION, seed }) : prepared.image;
      return (divisor === 1 ? x : div(x, divisor)) as Tensor3D;
    });
    if (image !== prepared.image) dispose(prepared.image);
    return { ...prepared, image };
  };
}
