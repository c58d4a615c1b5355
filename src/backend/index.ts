export { BACKEND_NAMES, type BackendName } from './backend_names.js';
export { batchNormTraining, registerBatchNormTraining } from './batch_norm_training.js';
export { registerInputConvTraining } from './input_conv_training.js';
export type { BackendLoader } from './load_backend.js';
export { type BackendInfo, type SetupBackendArgs, setupBackend } from './setup_backend.js';
export {
  registerTrainingKernels,
  TRAINING_KERNELS,
  type TrainingKernelBackend,
} from './training_kernels/register.js';
