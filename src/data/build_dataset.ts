import type { Tensor3D } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.js';
import {
  type BalanceMode,
  classWeightsFromCounts,
  epochOrder,
  positiveWeightsFromCounts,
} from './balance.js';
import { type BadRowKind, DatasetError } from './data_errors.js';
import type { DatasetArgs, OnError } from './dataset_args.js';
import type { DatasetRow, FundusDataset } from './fundus_dataset.js';
import { type EncodedLabel, isLabelProblem, labelCoder } from './labels.js';
import { columnSplitValues, isRatioSplit, ratioSplitIndices, type SplitArgs } from './split.js';
import { rowPlace, type StreamSpec, streamDataset } from './stream_dataset.js';
import type { DatasetSummary, SkippedRow } from './summary.js';

/** One row as a source (CSV, folder) found it, before validation. */
export interface SourceRow {
  /** The image file, resolved. */
  file: string;
  /** 1-based CSV line; undefined for folders. */
  line: number | undefined;
  /** The raw label cell(s). */
  labels: readonly string[];
  /** The split column's cell, when splitting by column. */
  subset?: string | undefined;
  /** A problem the source already found (e.g. a malformed CSV record). */
  problem?: { kind: BadRowKind; reason: string } | undefined;
}

/** What a source hands to {@link buildDataset}. */
export interface BuildSpec {
  fn: string;
  source: string;
  /** Every data row of the source (classes are inferred from all of them, so train and val agree). */
  rows: readonly SourceRow[];
  /** Names of the label column(s), for messages and multi-label classes. */
  labelColumns: readonly string[];
  /** Multi-label from 0/1 columns (one per class) rather than one keyword column. */
  flagColumns: boolean;
  args: DatasetArgs;
  split: SplitArgs | undefined;
  /** Resolves to a reason when a file is missing; undefined skips the eager check. */
  checkFile: ((file: string) => Promise<string | undefined>) | undefined;
  /** Decodes one image to RGB float32 [H, W, 3], 0-255; rejects with `ImageDecodeError` for a bad file. */
  load: (file: string) => Promise<Tensor3D>;
}

interface Good {
  row: SourceRow;
  encoded: EncodedLabel;
}

/**
 * Validates the arguments and every row's label (and file, when `checkFile` is given), applies the split,
 * then wraps the rows in a lazily-decoding stream. Source-independent (browser-safe): `fromCsv` and
 * `fromFolder` supply the rows, the file check and the decoder.
 *
 * @throws {@link InvalidArgumentError} for invalid arguments.
 * @throws {@link DatasetError} for the first bad row when `onError` is `'throw'`, and for an empty subset.
 */
export async function buildDataset(spec: BuildSpec): Promise<FundusDataset> {
  const { fn, source, args } = spec;
  const options = streamOptions(fn, args);
  const task = args.task ?? 'multiclass';
  const coder = labelCoder(fn, args, {
    columns: spec.labelColumns,
    values: spec.rows.map((r) => r.labels),
    flagColumns: spec.flagColumns,
  });
  checkBalance(fn, options.balance, task, args);

  const keep = spec.split && !isRatioSplit(spec.split) ? new Set(columnSplitValues(spec.split)) : undefined;
  const bad: SkippedRow[] = [];
  let good: Good[] = [];
  for (const row of spec.rows) {
    if (row.problem) {
      bad.push({ line: row.line, file: row.file, ...row.problem });
      continue;
    }
    if (keep && !keep.has((row.subset ?? '').trim())) continue;
    const encoded = coder.encode(row.labels);
    if (isLabelProblem(encoded)) bad.push({ line: row.line, file: row.file, ...encoded });
    else good.push({ row, encoded });
  }

  const checkFile = spec.checkFile;
  if (checkFile) {
    const reasons = await mapLimit(good, 32, (g) => checkFile(g.row.file));
    good = good.filter((g, i) => {
      const reason = reasons[i];
      if (reason !== undefined)
        bad.push({ line: g.row.line, file: g.row.file, kind: 'missing-file', reason });
      return reason === undefined;
    });
  }

  bad.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (options.onError === 'throw' && bad.length > 0) {
    const first = bad[0]!;
    const more =
      bad.length > 1
        ? ` There are ${bad.length - 1} more bad rows; onError: 'skip' skips them and lists them in summary.skipped.`
        : '';
    throw new DatasetError(
      first.kind,
      `${rowPlace(fn, source, first.line, first.file)}: ${first.reason} (${first.kind}).${more}`,
      { source, line: first.line, file: first.file },
    );
  }

  if (spec.split && isRatioSplit(spec.split)) {
    const chosen = ratioSplitIndices(
      fn,
      good.map((g) => g.encoded.stratum),
      spec.split,
    );
    good = chosen.map((i) => good[i]!);
  }
  if (good.length === 0) throw emptySubset(spec, bad.length);

  const rows: DatasetRow[] = good.map(({ row, encoded }) => ({
    file: row.file,
    line: row.line,
    label: row.labels.join(','),
    target: encoded.target,
    classIndex: encoded.classIndex,
  }));
  const classCounts = countClasses(rows, coder.classes.length, task === 'multilabel');
  const weighted = options.balance === 'classWeights';
  const summary: DatasetSummary = { fn, source, rows: spec.rows.length, used: rows.length, skipped: bad };
  const size = epochOrder(
    rows.map((r) => r.classIndex),
    { balance: options.balance, shuffle: false, seed: options.seed, epoch: 0 },
  ).length;
  const { elements, dataset } = streamDataset({
    ...options,
    fn,
    source,
    rows,
    load: spec.load,
    summary,
  });
  return {
    dataset,
    elements,
    task,
    classes: coder.classes,
    rows,
    size,
    batchesPerEpoch: options.dropRemainder
      ? Math.floor(size / options.batchSize)
      : Math.ceil(size / options.batchSize),
    classCounts,
    classWeights: weighted && task !== 'multilabel' ? classWeightsFromCounts(classCounts) : undefined,
    positiveWeights:
      weighted && task === 'multilabel' ? positiveWeightsFromCounts(classCounts, rows.length) : undefined,
    summary,
  };
}

type StreamOptions = Omit<StreamSpec, 'fn' | 'source' | 'rows' | 'load' | 'summary'>;

/** Validates and defaults the stream arguments. */
function streamOptions(fn: string, args: DatasetArgs): StreamOptions {
  const positiveInt = (name: keyof DatasetArgs, value: number) => {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidArgumentError(
        name,
        `${fn}: ${name} must be a positive integer, but got ${value}.`,
        value,
      );
    }
    return value;
  };
  const oneOf = <T extends string>(name: keyof DatasetArgs, value: T, allowed: readonly T[]) => {
    if (!allowed.includes(value)) {
      throw new InvalidArgumentError(
        name,
        `${fn}: ${name} must be ${allowed.map((a) => `'${a}'`).join(', ')}, but got ${JSON.stringify(value)}.`,
        value,
      );
    }
    return value;
  };
  if (args.transform !== undefined && typeof args.transform !== 'function') {
    throw new InvalidArgumentError(
      'transform',
      `${fn}: transform must be a function, but got ${typeof args.transform}.`,
      args.transform,
    );
  }
  let size: readonly [number, number] | undefined;
  if (args.size !== undefined) {
    const pair = typeof args.size === 'number' ? [args.size, args.size] : args.size;
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new InvalidArgumentError(
        'size',
        `${fn}: size must be a positive integer or [height, width], but got ${JSON.stringify(args.size)}.`,
        args.size,
      );
    }
    size = [pair[0]!, pair[1]!];
  }
  const seed = args.seed ?? 0;
  if (!Number.isFinite(seed))
    throw new InvalidArgumentError('seed', `${fn}: seed must be a number, but got ${seed}.`, seed);
  return {
    transform: args.transform,
    size,
    batchSize: positiveInt('batchSize', args.batchSize ?? 32),
    dropRemainder: args.dropRemainder ?? false,
    shuffle: args.shuffle ?? true,
    seed,
    balance: oneOf<BalanceMode>('balance', args.balance ?? 'none', [
      'none',
      'oversample',
      'undersample',
      'classWeights',
    ]),
    onError: oneOf<OnError>('onError', args.onError ?? 'throw', ['throw', 'skip']),
    prefetch: positiveInt('prefetch', args.prefetch ?? 4),
  };
}

function checkBalance(fn: string, balance: BalanceMode, task: string, args: DatasetArgs): void {
  if (task === 'multilabel' && (balance === 'oversample' || balance === 'undersample')) {
    throw new InvalidArgumentError(
      'balance',
      `${fn}: balance '${balance}' resamples by class, which a multi-label row does not have; use ` +
        "balance: 'classWeights' (per-class positiveWeights for the loss).",
      balance,
    );
  }
  if (task === 'grade' && balance === 'classWeights' && (args.gradeEncoding ?? 'ordinal') === 'ordinal') {
    throw new InvalidArgumentError(
      'balance',
      `${fn}: balance 'classWeights' gives weights that fitDataset's classWeight applies by the class it reads ` +
        "from ys, which ordinal targets do not encode; use gradeEncoding 'onehot' or 'scalar', or balance 'oversample'.",
      balance,
    );
  }
}

function countClasses(rows: readonly DatasetRow[], k: number, multiLabel: boolean): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const row of rows) {
    if (!multiLabel) counts[row.classIndex]!++;
    else for (const [c, t] of row.target.entries()) counts[c]! += t;
  }
  return counts;
}

function emptySubset(spec: BuildSpec, badRows: number): DatasetError {
  const { fn, source, split } = spec;
  let why = badRows > 0 ? `all ${badRows} rows are bad` : 'the source has no rows';
  if (split && !isRatioSplit(split)) {
    const found = [...new Set(spec.rows.map((r) => (r.subset ?? '').trim()))].sort();
    why = `no valid row has ${split.column} = ${columnSplitValues(split).join(' or ')} (values found: ${found.join(', ')})`;
  } else if (split) {
    why = `the '${split.subset}' side of a ${split.ratio} split is empty`;
  }
  return new DatasetError('empty-subset', `${fn}: ${source}: nothing to stream: ${why}.`, { source });
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
