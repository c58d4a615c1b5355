/**
 * fundus-kit for Node: everything in the browser entry (src/index.ts, the one list of the public
 * surface), with Node's own image I/O (files and buffers through sharp) in place of the browser's.
 * package.json's `node` export condition selects this file, so `fs` and sharp never reach a browser bundle.
 * @packageDocumentation
 */

export {
  type RunCliArgs,
  readModelCard,
  resolveReportImages,
  runCli,
  writeModelCard,
} from './cli/node/index.js';
export {
  type FailedPhoto,
  type FromCsvArgs,
  type FromFolderArgs,
  fromCsv,
  fromFolder,
  type IdridSample,
  IMAGE_EXTENSIONS,
  type PreparedPhoto,
  type PreparePhotosArgs,
  preparePhotos,
  type ReadIdridSampleArgs,
  readIdridSample,
} from './data/node/index.js';
export * from './index.js';
export {
  fileSystemHandler,
  loadModel,
  type NodeImageSource,
  readImage,
  saveModel,
  type WriteImageArgs,
  writeImage,
} from './io/node/index.js';
