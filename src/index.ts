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
  registerWasmTrainingKernels,
  type SetupBackendArgs,
  setupBackend,
  WASM_TRAINING_KERNELS,
} from './backend/index.js';
export {
  BackendError,
  FundusError,
  ImageDecodeError,
  InvalidArgumentError,
  ShapeError,
  UnknownArchitectureError,
} from './errors.js';
