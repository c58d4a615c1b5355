export { accuracy } from './accuracy.js';
export {
  type AveragePrecisionArgs,
  type AveragePrecisionPerClassArgs,
  averagePrecision,
  averagePrecisionPerClass,
  type MeanAveragePrecisionArgs,
  meanAveragePrecision,
} from './average_precision.js';
export { balancedAccuracy } from './balanced_accuracy.js';
export {
  type OdirScore,
  type OdirScoreArgs,
  odirScore,
  type RfmidScore,
  type RfmidScoreArgs,
  rfmidScore,
} from './challenge_scores.js';
export { type CohenKappaArgs, cohenKappa } from './cohen_kappa.js';
export { type ConfusionMatrix, type ConfusionMatrixArgs, confusionMatrix } from './confusion_matrix.js';
export { type F1ScoreArgs, f1Score } from './f1_score.js';
export type { MetricMatrix, MetricVector } from './inputs.js';
export { UndefinedMetricError } from './metric_errors.js';
export {
  type OperatingPoint,
  type SensitivitySpecificityArgs,
  sensitivitySpecificity,
  type ThresholdForSensitivityArgs,
  thresholdForSensitivity,
} from './operating_point.js';
export type { OnUndefined, ScoreAverage } from './per_class.js';
export { type PrecisionRecallCurve, precisionRecallCurve } from './precision_recall_curve.js';
export {
  type PrecisionRecallF1,
  type PrecisionRecallF1Args,
  type PrecisionRecallF1Values,
  precisionRecallF1,
} from './precision_recall_f1.js';
export { type RocAucArgs, type RocAucPerClassArgs, rocAuc, rocAucPerClass } from './roc_auc.js';
export { type RocCurve, type RocCurveArgs, rocCurve } from './roc_curve.js';
