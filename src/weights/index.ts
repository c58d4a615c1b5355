export {
  type LoadWeightsArgs,
  type LoadWeightsReport,
  loadWeights,
  type WeightsSource,
} from './load_weights.js';
export type { WeightsFormat } from './source_layers.js';
export {
  ModelIOError,
  WeightsFormatError,
  type WeightsMismatch,
  WeightsMismatchError,
  type WeightsMismatchKind,
} from './weights_errors.js';
