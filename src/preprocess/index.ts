export { compose, type ImageTransform } from './compose.js';
export { IMAGENET_BGR_MEAN, vggPreprocess } from './vgg_preprocess.js';
