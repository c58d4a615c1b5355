export { type FromCsvArgs, fromCsv } from './from_csv.js';
export { type FromFolderArgs, fromFolder, IMAGE_EXTENSIONS } from './from_folder.js';
export {
  type FailedPhoto,
  type PreparedPhoto,
  type PreparePhotosArgs,
  preparePhotos,
} from './prepare_photos.js';
export { type IdridSample, type ReadIdridSampleArgs, readIdridSample } from './read_idrid_sample.js';
