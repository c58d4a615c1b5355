import { FundusError } from '../errors.js';

/**
 * An image in a report: a `data:image/png;base64,…` (or jpeg, gif, webp) URI, or bare base64 of such a file.
 * In the JSON file given to `fundus-kit report` it may also be a file path, relative to that JSON file.
 */
export type ReportImage = string;

/** A table of numbers: rows are models, classes or splits; columns are metrics. */
export interface ReportTable {
  /** Heading above the table. @defaultValue 'Metrics' */
  title?: string;
  /** Column headings (the row-label column is unnamed). */
  columns: string[];
  /** One entry per row; `values` has one cell per column (`null` for an empty cell). */
  rows: { label: string; values: (number | string | null)[] }[];
}

/** A confusion matrix: `counts[i][j]` photos of true class i predicted as class j. */
export interface ReportConfusionMatrix {
  /** @defaultValue 'Confusion matrix' */
  title?: string;
  /** Class names, in the order of the rows and columns. */
  classes: string[];
  /** Square, non-negative integer counts: rows true class, columns predicted class. */
  counts: number[][];
}

/** One ROC curve: false and true positive rates at decreasing thresholds, both from 0 to 1. */
export interface ReportRocCurve {
  /** Class (or model) name shown in the legend. */
  label: string;
  /** False positive rates in [0, 1], one per threshold. */
  fpr: number[];
  /** True positive rates in [0, 1], the same length as `fpr`. */
  tpr: number[];
  /** Area under the curve for the legend. @defaultValue computed from the points (trapezoid rule) */
  auc?: number;
}

/** ROC curves drawn on one chart. */
export interface ReportRoc {
  /** @defaultValue 'ROC curves' */
  title?: string;
  curves: ReportRocCurve[];
}

/** Training history, as TF.js `model.fit` returns it (`history.history`): a series per metric, one value per epoch. */
export interface ReportTraining {
  /** @defaultValue 'Training' */
  title?: string;
  /**
   * `{loss: [...], val_loss: [...], acc: [...], val_acc: [...]}`: names containing `loss` go on the loss chart,
   * the rest on the metrics chart; `val_x` is drawn dashed in the colour of `x`.
   */
  history: Record<string, number[]>;
  /** Epoch numbers for the x axis. @defaultValue 1, 2, … */
  epochs?: number[];
}

/** One photo of the gallery, with its Grad-CAM overlay and what the model said. */
export interface ReportPhoto {
  /** The photo. */
  image: ReportImage;
  /** The Grad-CAM overlay (heatmap blended on the photo). @defaultValue none */
  overlay?: ReportImage;
  /** Caption, e.g. the file name. @defaultValue none */
  title?: string;
  /** The true label. @defaultValue none */
  trueLabel?: string;
  /** The predicted label; shown in red when it differs from `trueLabel`. @defaultValue none */
  predicted?: string;
  /** The predicted probability or score. @defaultValue none */
  score?: number;
}

/** A grid of photos with their Grad-CAM overlays. */
export interface ReportGallery {
  /** @defaultValue 'Photos and Grad-CAM' */
  title?: string;
  photos: ReportPhoto[];
}

/**
 * Everything `fundus-kit report` (and {@link renderReport}) draws into one self-contained HTML page. Every
 * section is optional; those left out are not drawn.
 */
export interface ReportData {
  /** Page title. */
  title: string;
  /** A line under the title. @defaultValue none */
  subtitle?: string;
  /** When the results were produced, shown under the title. @defaultValue none */
  createdAt?: string;
  /** Headline numbers or facts (`accuracy: 0.93`, `backbones: 'vgg16 + resnet50'`), shown as cards. */
  summary?: Record<string, number | string>;
  /** Model and data details (task, classes, preprocessing), shown as a list. */
  details?: Record<string, number | string | boolean>;
  /** Metric tables. */
  tables?: ReportTable[];
  confusionMatrix?: ReportConfusionMatrix;
  roc?: ReportRoc;
  training?: ReportTraining;
  gallery?: ReportGallery;
}

/**
 * Report data that does not match {@link ReportData}; names the field at fault.
 *
 * @example
 * ```ts
 * try {
 *   renderReport(data);
 * } catch (e) {
 *   if (e instanceof ReportDataError) console.error(`fix ${e.field}: ${e.message}`);
 * }
 * ```
 */
export class ReportDataError extends FundusError {
  /** Path of the field at fault, e.g. `roc.curves[1].tpr`. */
  readonly field: string;

  constructor(field: string, message: string, value?: unknown) {
    super(`Report data: ${field === '' ? '' : `${field} `}${message}`, { value });
    this.field = field;
  }
}

/**
 * Checks a parsed JSON value against {@link ReportData} (types, lengths, a square matrix that matches its
 * classes, rates in [0, 1]) and returns it typed.
 *
 * @example
 * ```ts
 * const data = validateReportData(JSON.parse(text)); // throws, naming e.g. `confusionMatrix.counts[1]`
 * ```
 * @throws {@link ReportDataError} naming the first field at fault, e.g. `roc.curves[0].tpr must have as many
 * values as fpr (5), but has 4.`
 */
export function validateReportData(value: unknown): ReportData {
  const fail = (field: string, message: string, got?: unknown): never => {
    throw new ReportDataError(field, message, got);
  };
  const record = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(field, `must be an object, but got ${show(v)}.`, v);
  const text = (v: unknown, field: string, optional = true): void => {
    if (v === undefined && optional) return;
    if (typeof v !== 'string') fail(field, `must be a string, but got ${show(v)}.`, v);
  };
  const numbers = (v: unknown, field: string, range?: [number, number]): number[] => {
    if (!Array.isArray(v)) return fail(field, `must be an array of numbers, but got ${show(v)}.`, v);
    v.forEach((n, i) => {
      if (typeof n !== 'number' || !Number.isFinite(n))
        fail(`${field}[${i}]`, `must be a finite number, but got ${show(n)}.`, n);
      if (range !== undefined && ((n as number) < range[0] || (n as number) > range[1])) {
        fail(`${field}[${i}]`, `must be in [${range[0]}, ${range[1]}], but got ${n}.`, n);
      }
    });
    return v as number[];
  };
  const array = (v: unknown, field: string): unknown[] =>
    Array.isArray(v) ? v : fail(field, `must be an array, but got ${show(v)}.`, v);

  const data = record(value, '');
  text(data.title, 'title', false);
  text(data.subtitle, 'subtitle');
  text(data.createdAt, 'createdAt');
  for (const key of ['summary', 'details'] as const) {
    if (data[key] === undefined) continue;
    for (const [name, v] of Object.entries(record(data[key], key))) {
      const ok =
        typeof v === 'string' ||
        (typeof v === 'number' && Number.isFinite(v)) ||
        (key === 'details' && typeof v === 'boolean');
      if (!ok)
        fail(
          `${key}.${name}`,
          `must be a ${key === 'details' ? 'string, finite number or boolean' : 'string or finite number'}, but got ${show(v)}.`,
          v,
        );
    }
  }
  if (data.tables !== undefined) {
    array(data.tables, 'tables').forEach((t, ti) => {
      const field = `tables[${ti}]`;
      const table = record(t, field);
      text(table.title, `${field}.title`);
      const columns = array(table.columns, `${field}.columns`);
      columns.forEach((c, i) => {
        text(c, `${field}.columns[${i}]`, false);
      });
      array(table.rows, `${field}.rows`).forEach((r, ri) => {
        const row = record(r, `${field}.rows[${ri}]`);
        text(row.label, `${field}.rows[${ri}].label`, false);
        const values = array(row.values, `${field}.rows[${ri}].values`);
        if (values.length !== columns.length) {
          fail(
            `${field}.rows[${ri}].values`,
            `must have one value per column (${columns.length}), but has ${values.length}.`,
          );
        }
        values.forEach((v, vi) => {
          if (v !== null && typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
            fail(
              `${field}.rows[${ri}].values[${vi}]`,
              `must be a finite number, a string or null, but got ${show(v)}.`,
              v,
            );
          }
        });
      });
    });
  }
  if (data.confusionMatrix !== undefined) {
    const cm = record(data.confusionMatrix, 'confusionMatrix');
    text(cm.title, 'confusionMatrix.title');
    const classes = array(cm.classes, 'confusionMatrix.classes');
    classes.forEach((c, i) => {
      text(c, `confusionMatrix.classes[${i}]`, false);
    });
    if (classes.length < 2)
      fail('confusionMatrix.classes', `must name at least 2 classes, but has ${classes.length}.`);
    const counts = array(cm.counts, 'confusionMatrix.counts');
    if (counts.length !== classes.length) {
      fail(
        'confusionMatrix.counts',
        `must have one row per class (${classes.length}), but has ${counts.length}.`,
      );
    }
    counts.forEach((row, i) => {
      const values = numbers(row, `confusionMatrix.counts[${i}]`);
      if (values.length !== classes.length) {
        fail(
          `confusionMatrix.counts[${i}]`,
          `must have one count per class (${classes.length}), but has ${values.length}.`,
        );
      }
      values.forEach((n, j) => {
        if (!Number.isInteger(n) || n < 0)
          fail(`confusionMatrix.counts[${i}][${j}]`, `must be a count (integer ≥ 0), but got ${n}.`, n);
      });
    });
  }
  if (data.roc !== undefined) {
    const roc = record(data.roc, 'roc');
    text(roc.title, 'roc.title');
    array(roc.curves, 'roc.curves').forEach((c, i) => {
      const field = `roc.curves[${i}]`;
      const curve = record(c, field);
      text(curve.label, `${field}.label`, false);
      const fpr = numbers(curve.fpr, `${field}.fpr`, [0, 1]);
      const tpr = numbers(curve.tpr, `${field}.tpr`, [0, 1]);
      if (fpr.length < 2) fail(`${field}.fpr`, `must have at least 2 points, but has ${fpr.length}.`);
      if (tpr.length !== fpr.length)
        fail(`${field}.tpr`, `must have as many values as fpr (${fpr.length}), but has ${tpr.length}.`);
      if (curve.auc !== undefined) numbers([curve.auc], `${field}.auc`, [0, 1]);
    });
  }
  if (data.training !== undefined) {
    const training = record(data.training, 'training');
    text(training.title, 'training.title');
    const history = record(training.history, 'training.history');
    const lengths = Object.entries(history).map(
      ([name, series]) => numbers(series, `training.history.${name}`).length,
    );
    if (training.epochs !== undefined) {
      const epochs = numbers(training.epochs, 'training.epochs');
      const longest = Math.max(0, ...lengths);
      if (epochs.length < longest)
        fail('training.epochs', `must have a number for each epoch (${longest}), but has ${epochs.length}.`);
    }
  }
  if (data.gallery !== undefined) {
    const gallery = record(data.gallery, 'gallery');
    text(gallery.title, 'gallery.title');
    array(gallery.photos, 'gallery.photos').forEach((p, i) => {
      const field = `gallery.photos[${i}]`;
      const photo = record(p, field);
      text(photo.image, `${field}.image`, false);
      text(photo.overlay, `${field}.overlay`);
      for (const key of ['title', 'trueLabel', 'predicted']) text(photo[key], `${field}.${key}`);
      if (photo.score !== undefined) numbers([photo.score], `${field}.score`);
    });
  }
  return data as unknown as ReportData;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}
