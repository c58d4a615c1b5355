import { InvalidArgumentError } from '../errors.js';
import { type BinaryCounts, binaryCounts, requireBothClasses } from './binary_curve.js';
import { checkBinary, checkSameLength, readLabels, readTable } from './inputs.js';
import { UndefinedMetricError } from './metric_errors.js';

/** How per-class (one-vs-rest or per-label) averages are formed. */
export type ScoreAverage = 'macro' | 'micro' | 'weighted';

/** What a per-class average does with a class whose metric is undefined (no positive or no negative). */
export type OnUndefined = 'throw' | 'skip';

/** One binary problem: 0/1 targets and scores; `label` is the class or column index (undefined = binary input). */
export interface BinaryColumn {
  label: number | undefined;
  y: Float64Array;
  s: Float64Array;
}

/**
 * The binary problems behind a ranking metric:
 * - scores one per sample (or `[n, 1]`) → one problem, yTrue 0/1;
 * - scores `[n, K]` with integer labels 0…K−1 → K one-vs-rest problems;
 * - scores `[n, K]` with a `[n, K]` 0/1 indicator → K per-label problems (multi-label).
 */
export function binaryColumns(fn: string, yTrue: unknown, yScore: unknown): BinaryColumn[] {
  const scores = readTable(fn, 'yScore', yScore);
  const truth = readTable(fn, 'yTrue', yTrue);
  checkSameLength(fn, 'yScore', scores.n, truth.n);
  if (scores.k === 1) {
    if (truth.k !== 1) {
      throw new InvalidArgumentError(
        'yTrue',
        `${fn}: with one score per sample yTrue must be one 0/1 value per sample, but got ${truth.k} columns.`,
        truth.k,
      );
    }
    checkBinary(fn, 'yTrue', truth.data);
    return [{ label: undefined, y: truth.data, s: scores.data }];
  }
  const { n, k } = scores;
  const column = (c: number, yOf: (i: number) => number): BinaryColumn => {
    const y = new Float64Array(n);
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = yOf(i);
      s[i] = scores.data[i * k + c]!;
    }
    return { label: c, y, s };
  };
  if (truth.k === 1) {
    const labels = readLabels(fn, 'yTrue', yTrue);
    const bad = labels.findIndex((l) => l < 0 || l >= k);
    if (bad >= 0) {
      throw new InvalidArgumentError(
        'yTrue',
        `${fn}: yTrue must hold class indices 0-${k - 1} (yScore has ${k} columns), but element ${bad} is ${labels[bad]}.`,
        labels[bad],
      );
    }
    return Array.from({ length: k }, (_, c) => column(c, (i) => (labels[i] === c ? 1 : 0)));
  }
  if (truth.k !== k) {
    throw new InvalidArgumentError(
      'yTrue',
      `${fn}: a multi-label yTrue must have as many columns as yScore (${k}), but got ${truth.k}.`,
      truth.k,
    );
  }
  checkBinary(fn, 'yTrue', truth.data);
  return Array.from({ length: k }, (_, c) => column(c, (i) => truth.data[i * k + c]!));
}

/** All problems flattened into one (the "micro" average). */
export function flattenColumns(columns: readonly BinaryColumn[]): BinaryColumn {
  const n = columns[0]!.y.length;
  const y = new Float64Array(n * columns.length);
  const s = new Float64Array(n * columns.length);
  // Row-major like sklearn's ravel of the [n, K] matrices (the order does not change the value).
  columns.forEach((col, c) => {
    for (let i = 0; i < n; i++) {
      y[i * columns.length + c] = col.y[i]!;
      s[i * columns.length + c] = col.s[i]!;
    }
  });
  return { label: undefined, y, s };
}

/**
 * A binary ranking metric per problem, NaN where undefined and skipped. `metric` receives the counts of a
 * problem whose classes were checked (`needs`).
 */
export function perColumn(
  fn: string,
  columns: readonly BinaryColumn[],
  metric: (counts: BinaryCounts) => number,
  onUndefined: OnUndefined,
  needs: 'both' | 'positives',
): number[] {
  return columns.map((col) => {
    const counts = binaryCounts(col.y, col.s);
    if (onUndefined === 'skip' && (counts.positives === 0 || (needs === 'both' && counts.negatives === 0))) {
      return Number.NaN;
    }
    requireBothClasses(fn, counts, col.label, needs);
    return metric(counts);
  });
}

/** Averages per-class values ('macro' or 'weighted' by positives), leaving out NaN (skipped) classes. */
export function averageColumns(
  fn: string,
  values: readonly number[],
  columns: readonly BinaryColumn[],
  average: 'macro' | 'weighted',
): number {
  let sum = 0;
  let weight = 0;
  values.forEach((v, c) => {
    if (Number.isNaN(v)) return;
    const w = average === 'macro' ? 1 : columns[c]!.y.reduce((a, b) => a + b, 0);
    sum += w * v;
    weight += w;
  });
  if (weight === 0) {
    throw new UndefinedMetricError(
      fn,
      `${fn}: no class has a defined value to average (every class was skipped or has no positive sample).`,
    );
  }
  return sum / weight;
}

export function checkAverage(fn: string, average: unknown): ScoreAverage {
  if (average !== 'macro' && average !== 'micro' && average !== 'weighted') {
    throw new InvalidArgumentError(
      'average',
      `${fn}: average must be 'macro', 'micro' or 'weighted', but got ${JSON.stringify(average)}.`,
      average,
    );
  }
  return average;
}

export function checkOnUndefined(fn: string, onUndefined: unknown): OnUndefined {
  if (onUndefined !== 'throw' && onUndefined !== 'skip') {
    throw new InvalidArgumentError(
      'onUndefined',
      `${fn}: onUndefined must be 'throw' or 'skip', but got ${JSON.stringify(onUndefined)}.`,
      onUndefined,
    );
  }
  return onUndefined;
}
