export { type CropToFovArgs, cropToFov, type FovCrop } from './crop_to_fov.js';
export type { FovArgs } from './fov_args.js';
export type { FovBox } from './fov_box.js';
export { fovCircle } from './fov_circle.js';
export { fovCircleTensor } from './fov_circle_tensor.js';
export type { FovCircle } from './fov_input.js';
export { type FovMaskArgs, fovMask } from './fov_mask.js';
export { type UncropFromFovArgs, uncropFromFov } from './uncrop_from_fov.js';
