export { alexnet } from './alexnet.js';
export type { BackboneArgs, BackboneBuilder, ClassifierActivation } from './backbone_args.js';
export { type FeatureLayer, featureLayers } from './feature_layers.js';
export { type GoogLeNetArgs, googlenet } from './googlenet.js';
export {
  type BackboneName,
  createBackbone,
  listBackbones,
  type RegisterBackboneArgs,
  registerBackbone,
} from './registry.js';
export { resnet18 } from './resnet18.js';
export { resnet34 } from './resnet34.js';
export { resnet50 } from './resnet50.js';
export { type SplitModel, splitAt } from './split_at.js';
export { vgg16 } from './vgg16.js';
export { vgg19 } from './vgg19.js';
