export { type BenGrahamArgs, benGraham } from './ben_graham.js';
export { type ClaheArgs, clahe } from './clahe.js';
export { compose, type ImageTransform } from './compose.js';
export {
  FUNDUS_COLOURS,
  type FundusColour,
  type FundusPipeline,
  type FundusPipelineArgs,
  fundusPipeline,
  type PreparedFundus,
} from './fundus_pipeline.js';
export { type GammaArgs, gamma } from './gamma.js';
export { type GaussianBlurArgs, gaussianBlur } from './gaussian_blur.js';
export { type GreenChannelArgs, greenChannel } from './green_channel.js';
export { BT601_LUMA, type GreyscaleArgs, greyscale } from './greyscale.js';
export {
  IMAGENET_MEAN,
  IMAGENET_STD,
  type NormalizeMode,
  type NormalizeStats,
  normalize,
} from './normalize.js';
export { type PadToSquareArgs, padToSquare } from './pad_to_square.js';
export { type ResizeArgs, type ResizeMethod, resize } from './resize.js';
export { IMAGENET_BGR_MEAN, vggPreprocess } from './vgg_preprocess.js';
