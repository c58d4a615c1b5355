export { applyCutPoints } from './apply_cut_points.js';
export { applyThresholds } from './apply_thresholds.js';
export { type AttachHeadArgs, attachHead } from './attach_head.js';
export { type BinaryHeadArgs, binaryHead } from './binary_head.js';
export {
  type ChooseThresholdsArgs,
  type ChosenThresholds,
  chooseThresholds,
  type ThresholdMetric,
} from './choose_thresholds.js';
export {
  CORAL_KERNEL_INITIALIZERS,
  type CoralKernelInitializer,
  CoralLogits,
  type CoralLogitsArgs,
} from './coral_logits.js';
export { type DecodeOrdinalArgs, decodeOrdinal } from './decode_ordinal.js';
export { type FreezeArgs, freeze } from './freeze.js';
export type { Head, HeadArgs, HeadKind } from './head.js';
export { type MultiLabelHeadArgs, multiLabelHead } from './multi_label_head.js';
export {
  type CutPointsResult,
  type OptimiseCutPointsArgs,
  optimiseCutPoints,
} from './optimise_cut_points.js';
export { type OrdinalHeadArgs, ordinalHead } from './ordinal_head.js';
export { ordinalLevels } from './ordinal_levels.js';
export { ordinalProbabilities } from './ordinal_probabilities.js';
export type { Values2D } from './read_values.js';
export { registerHeadLayers } from './register_head_layers.js';
export { type RegressionHeadArgs, regressionHead } from './regression_head.js';
export { type SoftmaxHeadArgs, softmaxHead } from './softmax_head.js';
export { type UnfreezeArgs, unfreeze } from './unfreeze.js';
