import { InvalidArgumentError } from '../errors.js';
import { meanAveragePrecision } from './average_precision.js';
import { cohenKappa } from './cohen_kappa.js';
import { checkBinary, checkSameLength, type MetricMatrix, readTable } from './inputs.js';
import type { OnUndefined } from './per_class.js';
import { precisionRecallF1 } from './precision_recall_f1.js';
import { rocAuc } from './roc_auc.js';

/** The RFMiD classification score and its parts. */
export interface RfmidScore {
  /** Macro ROC-AUC over the labels. */
  auc: number;
  /** Mean average precision over the labels. */
  map: number;
  /** (auc + map) / 2. */
  score: number;
}

/** Arguments of {@link rfmidScore}. */
export interface RfmidScoreArgs {
  /**
   * A label without positives (or without negatives, for the AUC): `throw` an {@link UndefinedMetricError},
   * or leave it out of both means.
   * @defaultValue `'throw'`
   */
  onUndefined?: OnUndefined;
}

/**
 * The multi-label disease classification score of the RFMiD dataset (RIADD challenge, ISBI 2021): the mean of
 * the macro ROC-AUC and the mean average precision over the disease labels.
 *
 * @param yTrue `[n, L]` 0/1 indicator matrix (one column per disease label).
 * @param yScore `[n, L]` scores (sigmoid outputs).
 * @param args See {@link RfmidScoreArgs}.
 * @example
 * ```ts
 * const { auc, map, score } = rfmidScore(labels, sigmoidScores);
 * ```
 * @throws {@link InvalidArgumentError} for empty or mis-shaped input (see {@link rocAuc}).
 * @throws {@link UndefinedMetricError} for a label with one kind of sample only, unless `onUndefined: 'skip'`.
 * @see S. Pachade et al., "Retinal Fundus Multi-Disease Image Dataset (RFMiD)", Data 6 (2021) 14, and the
 * RIADD challenge evaluation (classification score = (AUC + mAP) / 2).
 */
export function rfmidScore(yTrue: MetricMatrix, yScore: MetricMatrix, args: RfmidScoreArgs = {}): RfmidScore {
  checkMultiLabel('rfmidScore', yTrue, yScore);
  const onUndefined = args.onUndefined ?? 'throw';
  const auc = rocAuc(yTrue, yScore, { average: 'macro', onUndefined });
  const map = meanAveragePrecision(yTrue, yScore, { onUndefined });
  return { auc, map, score: (auc + map) / 2 };
}

/** The ODIR-2019 score and its parts. */
export interface OdirScore {
  /** Cohen's kappa (unweighted) of the flattened labels and thresholded scores. */
  kappa: number;
  /** Micro-averaged F1 over both classes of the flattened matrix (which equals its accuracy). */
  f1: number;
  /** ROC-AUC of the flattened matrix. */
  auc: number;
  /** (kappa + f1 + auc) / 3. */
  score: number;
}

/** Arguments of {@link odirScore}. */
export interface OdirScoreArgs {
  /**
   * Cells with score > threshold (strictly, as the challenge's code) are predicted positive.
   * @defaultValue `0.5`
   */
  threshold?: number;
}

/**
 * The ODIR-2019 challenge score (Peking University International Competition on Ocular Disease Intelligent
 * Recognition), computed as its official evaluation code does: the `[n, 8]` label and score matrices are
 * flattened into one binary problem, scores are thresholded at 0.5 (`score > 0.5`), and the final score is the
 * mean of Cohen's kappa, the micro-averaged F1 (over classes 0 and 1, so equal to accuracy) and the ROC-AUC.
 *
 * @param yTrue `[n, L]` 0/1 indicator matrix (ODIR: N, D, G, C, A, H, M, O).
 * @param yScore `[n, L]` scores (sigmoid outputs).
 * @param args See {@link OdirScoreArgs}.
 * @example
 * ```ts
 * const { kappa, f1, auc, score } = odirScore(labels, sigmoidScores);
 * ```
 * @throws {@link InvalidArgumentError} for empty or mis-shaped input or a non-finite threshold.
 * @throws {@link UndefinedMetricError} when the flattened labels are all 0 or all 1.
 * @see ODIR-2019, https://odir2019.grand-challenge.org (evaluation code `ODIR_Metrics`).
 */
export function odirScore(yTrue: MetricMatrix, yScore: MetricMatrix, args: OdirScoreArgs = {}): OdirScore {
  const fn = 'odirScore';
  const threshold = args.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new InvalidArgumentError(
      'threshold',
      `${fn}: threshold must be a finite number, but got ${threshold}.`,
      threshold,
    );
  }
  const { truth, scores } = checkMultiLabel(fn, yTrue, yScore);
  const predicted = scores.map((s) => (s > threshold ? 1 : 0));
  const kappa = cohenKappa(truth, predicted, { labels: [0, 1] });
  const f1 = precisionRecallF1(truth, predicted, { labels: [0, 1] }).micro.f1;
  const auc = rocAuc(truth, scores);
  return { kappa, f1, auc, score: (kappa + f1 + auc) / 3 };
}

function checkMultiLabel(fn: string, yTrue: unknown, yScore: unknown) {
  const t = readTable(fn, 'yTrue', yTrue);
  const s = readTable(fn, 'yScore', yScore);
  checkSameLength(fn, 'yScore', s.n, t.n);
  if (t.rank !== 2 || s.rank !== 2 || t.k !== s.k) {
    throw new InvalidArgumentError(
      'yScore',
      `${fn}: yTrue and yScore must be [n, L] matrices of the same width, but got widths ${t.rank === 2 ? t.k : 'vector'} and ${s.rank === 2 ? s.k : 'vector'}.`,
      [t.k, s.k],
    );
  }
  checkBinary(fn, 'yTrue', t.data);
  return { truth: t.data, scores: s.data };
}
