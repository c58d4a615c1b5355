export { type AttentionEnhanceArgs, attentionEnhance } from './attention_enhance.js';
export {
  type CamGradients,
  type CamGradientsArgs,
  type CamTarget,
  camGradients,
} from './cam_gradients.js';
export { CAM_METHODS, type CamMethod, camMap, camWeights } from './cam_map.js';
export { COLORMAPS, type ColormapName, colormapTable } from './colormaps.js';
export { defaultLayer } from './default_layer.js';
export { type GradCamArgs, type GradCamResult, gradCam } from './grad_cam.js';
export { type HeatmapToOriginalArgs, heatmapToOriginal } from './heatmap_to_original.js';
export { type OverlayArgs, overlay } from './overlay.js';
export {
  type AttentionPairBatch,
  type AttentionStackedBatch,
  type WithAttentionEnhancedArgs,
  withAttentionEnhanced,
} from './with_attention_enhanced.js';
