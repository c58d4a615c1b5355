export { EarlyStopping, type EarlyStoppingArgs, type EarlyStoppingUpdate } from './early_stopping.js';
export {
  type BatchSource,
  type EpochMetric,
  type FineTuneArgs,
  type FineTuneEpoch,
  type FineTunePhase,
  type FineTuneProgress,
  type FineTuneResult,
  fineTune,
  type OptimizerChoice,
} from './fine_tune.js';
export { getLearningRate, setLearningRate } from './learning_rate.js';
export {
  type CosineDecayArgs,
  cosineDecay,
  type ExponentialDecayArgs,
  exponentialDecay,
  type LearningRateSchedule,
  type LinearWarmupArgs,
  linearWarmup,
  type StepDecayArgs,
  stepDecay,
} from './schedules.js';
export { type SeedInitialWeightsArgs, seedInitialWeights } from './seed_initial_weights.js';
export { validationMetrics } from './validation_metrics.js';
