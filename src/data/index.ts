export {
  type BalanceMode,
  type ClassWeights,
  classWeightsFromCounts,
  positiveWeightsFromCounts,
} from './balance.js';
export { type BadRowKind, CsvParseError, DatasetError, type DatasetErrorKind } from './data_errors.js';
export type { DatasetArgs, DatasetTransform, OnError } from './dataset_args.js';
export type { DatasetRow, FundusDataset } from './fundus_dataset.js';
export { DEFAULT_SEPARATORS, type GradeEncoding, type LabelArgs, type LabelTask } from './labels.js';
export {
  IDRID_LESION_TYPES,
  type LesionPatches,
  type LesionPatchesArgs,
  lesionPatches,
} from './lesion_patches.js';
export { type CsvRecord, type CsvTable, type ParseCsvArgs, parseCsv } from './parse_csv.js';
export type { ColumnSplit, RatioSplit, SplitArgs } from './split.js';
export type { DatasetBatch, DatasetElement } from './stream_dataset.js';
export { type DatasetSummary, formatSummary, type SkippedRow } from './summary.js';
