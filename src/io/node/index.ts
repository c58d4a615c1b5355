export { type NodeImageSource, readImage } from './read_image.js';
export { type WriteImageArgs, writeImage } from './write_image.js';
