/**
 * fundus-kit: a TensorFlow.js SDK for retinal fundus photographs.
 *
 * The whole public surface is listed here by name.
 * @packageDocumentation
 */
export {
  BACKEND_NAMES,
  type BackendInfo,
  type BackendLoader,
  type BackendName,
  registerTrainingKernels,
  type SetupBackendArgs,
  setupBackend,
  TRAINING_KERNELS,
  type TrainingKernelBackend,
} from './backend/index.js';
export {
  DEGRADATION_NAMES,
  type DegradationName,
  type Degradations,
  type DrGrade,
  drGrade,
  LESION_TYPES,
  type LesionCounts,
  type LesionSummary,
  type LesionType,
  MASK_NAMES,
  type MaskName,
  QUALITY_LABELS,
  QUALITY_THRESHOLDS,
  type QualityLabel,
  qualityLabel,
  qualityScore,
  SEVERE_HAEMORRHAGES_PER_QUADRANT,
  SYNTHETIC_TASK_LABELS,
  type SyntheticBatch,
  type SyntheticDataset,
  type SyntheticDatasetArgs,
  type SyntheticFundus,
  type SyntheticFundusArgs,
  type SyntheticFundusInfo,
  type SyntheticTask,
  synthetic,
  syntheticDataset,
  syntheticFundus,
} from './data/synthetic/index.js';
export {
  BackendError,
  FundusError,
  ImageDecodeError,
  InvalidArgumentError,
  ShapeError,
  UnknownArchitectureError,
} from './errors.js';
export {
  type BrowserImageSource,
  DEFAULT_MAX_PIXELS,
  type ReadImageArgs,
  readImage,
  type ToBlobArgs,
  toBlob,
  toCanvas,
} from './io/index.js';
export { type AugmentArgs, type AugmentRange, augment } from './preprocess/augment/index.js';
export { compose, IMAGENET_BGR_MEAN, type ImageTransform, vggPreprocess } from './preprocess/index.js';
