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
export { compose, IMAGENET_BGR_MEAN, type ImageTransform, vggPreprocess } from './preprocess/index.js';
