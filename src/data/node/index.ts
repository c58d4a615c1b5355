export { type FromCsvArgs, fromCsv } from './from_csv.js';
export { type FromFolderArgs, fromFolder, IMAGE_EXTENSIONS } from './from_folder.js';
export { type IdridSample, type ReadIdridSampleArgs, readIdridSample } from './read_idrid_sample.js';
