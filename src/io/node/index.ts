export { fileSystemHandler } from './model_file_handler.js';
export { loadModel, saveModel } from './model_save.js';
export { type NodeImageSource, readImage } from './read_image.js';
export { type WriteImageArgs, writeImage } from './write_image.js';
