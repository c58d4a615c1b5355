export {
  createModelCard,
  MODEL_CARD_FILE,
  MODEL_CARD_FORMAT,
  MODEL_CARD_VERSION,
  type ModelCard,
  type ModelCardArgs,
  ModelCardError,
  parseModelCard,
} from './model_card.js';
export { type PreprocessSettings, pipelineArgs } from './preprocess_settings.js';
export { renderReport } from './render_report.js';
export {
  type ReportConfusionMatrix,
  type ReportData,
  ReportDataError,
  type ReportGallery,
  type ReportImage,
  type ReportPhoto,
  type ReportRoc,
  type ReportRocCurve,
  type ReportTable,
  type ReportTraining,
  validateReportData,
} from './report_data.js';
export { FUNDUS_KIT_VERSION } from './version.js';
