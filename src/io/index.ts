export { type BrowserImageSource, readImage, type ToBlobArgs, toBlob, toCanvas } from './browser/index.js';
export { type LoadModelArgs, loadModel, type SaveModelArgs, saveModel } from './browser/model_save.js';
export { DEFAULT_MAX_PIXELS, type ReadImageArgs } from './pixels.js';
