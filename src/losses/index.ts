export { type AsymmetricLossArgs, asymmetricLoss } from './asymmetric_loss.js';
export { type BinaryCrossEntropyArgs, binaryCrossEntropy } from './binary_cross_entropy.js';
export { type BinaryFocalLossArgs, binaryFocalLoss } from './binary_focal_loss.js';
export { type CategoricalCrossEntropyArgs, categoricalCrossEntropy } from './categorical_cross_entropy.js';
export { type CategoricalFocalLossArgs, categoricalFocalLoss } from './categorical_focal_loss.js';
export { type CoralLossArgs, coralLoss } from './coral_loss.js';
export type { LossFunction } from './loss_utils.js';
export { type LossTerm, type OutputTensors, SumOfLosses, sumOfLosses } from './sum_of_losses.js';
