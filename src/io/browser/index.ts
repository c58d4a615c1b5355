export { type BrowserImageSource, readImage } from './read_image.js';
export { type ToBlobArgs, toBlob, toCanvas } from './to_canvas.js';
