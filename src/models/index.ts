export {
  type BatchIterable,
  type JointBranch,
  type JointFineTuneArgs,
  type JointFusion,
  type JointModel,
  jointFineTune,
} from './joint_fine_tune.js';
export {
  type BackboneCandidate,
  type CandidateResult,
  type SelectBackbonesArgs,
  type SelectBackbonesResult,
  selectBackbones,
} from './select_backbones.js';
export { checkTask, TASK_PRESETS, type TaskSpec, taskHead, taskLoss } from './task.js';
export {
  defaultTaskMetric,
  predictDataset,
  predictDatasetOutputs,
  scoreTask,
  type TaskMetric,
  type TaskPredictions,
  type TaskScores,
} from './task_metrics.js';
