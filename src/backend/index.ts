export { BACKEND_NAMES, type BackendName } from './backend_names.js';
export type { BackendLoader } from './load_backend.js';
export { type BackendInfo, type SetupBackendArgs, setupBackend } from './setup_backend.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm_kernels/register.js';
