export {
  SYNTHETIC_TASK_LABELS,
  type SyntheticBatch,
  type SyntheticDataset,
  type SyntheticDatasetArgs,
  type SyntheticTask,
  syntheticDataset,
} from './dataset.js';
export { type SyntheticFundus, syntheticFundus } from './fundus.js';
export { drGrade, type LesionSummary, SEVERE_HAEMORRHAGES_PER_QUADRANT } from './grade.js';
export { QUALITY_THRESHOLDS, qualityLabel, qualityScore } from './quality.js';
export type { SyntheticFundusArgs, SyntheticFundusInfo } from './sample.js';
export { synthetic } from './synthetic.js';
export {
  DEGRADATION_NAMES,
  type DegradationName,
  type Degradations,
  type DrGrade,
  LESION_TYPES,
  type LesionCounts,
  type LesionType,
  MASK_NAMES,
  type MaskName,
  QUALITY_LABELS,
  type QualityLabel,
} from './types.js';
