export { type BrowserImageSource, readImage, type ToBlobArgs, toBlob, toCanvas } from './browser/index.js';
export { DEFAULT_MAX_PIXELS, type ReadImageArgs } from './pixels.js';
