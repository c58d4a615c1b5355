import {
  dispose,
  stack,
  Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  tensor1d,
  image as tfImage,
  tidy,
} from '@tensorflow/tfjs-core';
import { type Dataset, generator } from '@tensorflow/tfjs-data';
import { ImageDecodeError } from '../errors.js';
import { type BalanceMode, epochOrder } from './balance.js';
import { type BadRowKind, DatasetError } from './data_errors.js';
import type { DatasetTransform, OnError } from './dataset_args.js';
import type { SkippedRow } from './summary.js';

/** One image and its target, as `elements` yields them: xs [H, W, 3] float32, ys [width] float32. */
export type DatasetElement = { xs: Tensor3D; ys: Tensor1D };

/** One batch, as `dataset` yields it and `model.fitDataset` takes it: xs [B, H, W, 3], ys [B, width]. */
export type DatasetBatch = { xs: Tensor4D; ys: Tensor2D };

/** A row ready to stream: its file and its encoded label. */
export interface StreamRow {
  file: string;
  line: number | undefined;
  target: readonly number[];
  classIndex: number;
}

/** The summary fields the stream updates. */
export interface LiveSummary {
  used: number;
  skipped: SkippedRow[];
}

/** Everything the stream needs; validated by the caller. */
export interface StreamSpec {
  fn: string;
  source: string;
  rows: readonly StreamRow[];
  load: (file: string) => Promise<Tensor3D>;
  transform: DatasetTransform | undefined;
  size: readonly [number, number] | undefined;
  batchSize: number;
  dropRemainder: boolean;
  shuffle: boolean;
  seed: number;
  balance: BalanceMode;
  onError: OnError;
  prefetch: number;
  summary: LiveSummary;
}

type Loaded =
  | { index: number; element: DatasetElement }
  | { index: number; error: unknown; transformFailed: boolean };

/** Where a row is, for messages: `"fromCsv: labels.csv line 4: a.jpg"`. */
export function rowPlace(fn: string, source: string, line: number | undefined, file: string): string {
  return `${fn}: ${source}${line === undefined ? '' : ` line ${line}`}: ${file}`;
}

/**
 * The lazily-decoding datasets over `spec.rows`: `elements` (one image at a time) and `dataset` (batches).
 * Each iteration (epoch) draws its own seeded order; images are read `prefetch` at a time, preprocessed as
 * soon as each decode finishes (so only small tensors wait), and nothing is kept once yielded. Rows that
 * fail to decode are recorded once and passed over in later epochs.
 */
export function streamDataset(spec: StreamSpec): {
  elements: Dataset<DatasetElement>;
  dataset: Dataset<DatasetBatch>;
} {
  const { rows, summary } = spec;
  const classIndex = rows.map((r) => r.classIndex);
  const broken = new Set<number>();

  const prepare = async (decoded: Tensor3D, row: StreamRow): Promise<DatasetElement> => {
    let transformed: Tensor3D | undefined;
    let xs: Tensor3D | undefined;
    try {
      transformed = await runTransform(spec.transform, decoded);
      const out = transformed;
      xs = tidy(() => {
        if (out?.rank !== 3) {
          throw new Error(`the transform must return a [H, W, C] tensor, but returned ${describe(out)}`);
        }
        const size = spec.size;
        if (size && (out.shape[0] !== size[0] || out.shape[1] !== size[1])) {
          return tfImage.resizeBilinear(out, [size[0], size[1]], false, true);
        }
        return out;
      });
    } finally {
      if (transformed !== undefined && transformed !== xs && transformed !== decoded) transformed.dispose();
      if (xs !== decoded) decoded.dispose();
    }
    return { xs, ys: tensor1d([...row.target], 'float32') };
  };

  const loadRow = async (index: number): Promise<Loaded> => {
    const row = rows[index]!;
    let decoded: Tensor3D;
    try {
      decoded = await spec.load(row.file);
    } catch (error) {
      return { index, error, transformFailed: false };
    }
    try {
      return { index, element: await prepare(decoded, row) };
    } catch (error) {
      return { index, error, transformFailed: true };
    }
  };

  /** Throws for a failure `onError` does not allow to skip; records it otherwise. */
  const handleFailure = (loaded: Extract<Loaded, { error: unknown }>): void => {
    const row = rows[loaded.index]!;
    const place = rowPlace(spec.fn, spec.source, row.line, row.file);
    const { error } = loaded;
    const message = error instanceof Error ? error.message : String(error);
    if (loaded.transformFailed) {
      throw new DatasetError(
        'transform-failed',
        `${place}: preprocessing failed: ${message}`,
        where(row),
        error,
      );
    }
    if (!(error instanceof ImageDecodeError)) throw error; // not a data problem (e.g. sharp missing)
    const kind: BadRowKind = isNoSuchFile(error) ? 'missing-file' : 'undecodable-image';
    if (spec.onError === 'throw')
      throw new DatasetError(kind, `${place}: ${message} (${kind})`, where(row), error);
    if (!broken.has(loaded.index)) {
      broken.add(loaded.index);
      summary.used--;
      summary.skipped.push({ line: row.line, file: row.file, kind, reason: message });
    }
  };

  const where = (row: StreamRow) => ({ source: spec.source, line: row.line, file: row.file });

  /** One epoch's elements with their rows, in the epoch's order, read `prefetch` ahead. */
  const epochElements = async function* (epoch: number): AsyncGenerator<[DatasetElement, StreamRow]> {
    const order = epochOrder(classIndex, {
      balance: spec.balance,
      shuffle: spec.shuffle,
      seed: spec.seed,
      epoch,
    }).filter((i) => !broken.has(i));
    const pending: Promise<Loaded>[] = [];
    let next = 0;
    const fill = () => {
      while (pending.length < spec.prefetch && next < order.length) pending.push(loadRow(order[next++]!));
    };
    try {
      fill();
      while (pending.length > 0) {
        const loaded = await pending.shift()!;
        fill();
        if ('element' in loaded) yield [loaded.element, rows[loaded.index]!];
        else handleFailure(loaded);
      }
    } finally {
      // On an error (or a consumer's return()), free the images decoded ahead. tf.data never calls return() on an
      // abandoned iterator, so an epoch stopped midway keeps up to `prefetch` small tensors.
      for (const loaded of await Promise.all(pending.splice(0)))
        if ('element' in loaded) dispose(loaded.element);
    }
  };

  let elementEpoch = 0;
  const elements = generator<DatasetElement>(async function* () {
    const epoch = epochElements(elementEpoch++);
    try {
      for await (const [element] of epoch) yield element;
    } finally {
      await epoch.return(undefined);
    }
  });

  // Batches are stacked here rather than by tf.data's batch(), so a batch cut short by an error is disposed too.
  let batchEpoch = 0;
  let first: { shape: number[]; row: StreamRow } | undefined;
  const checkShape = (element: DatasetElement, row: StreamRow) => {
    if (first === undefined) first = { shape: element.xs.shape, row };
    else if (spec.batchSize > 1 && element.xs.shape.some((d, i) => d !== first!.shape[i])) {
      throw new DatasetError(
        'shape-mismatch',
        `${rowPlace(spec.fn, spec.source, row.line, row.file)}: the image is [${element.xs.shape}] but ` +
          `${first.row.file} was [${first.shape}]; a batch needs one size: pass size (e.g. size: 224) or a ` +
          'transform that resizes.',
        where(row),
      );
    }
  };
  const dataset = generator<DatasetBatch>(async function* () {
    const parts: DatasetElement[] = [];
    const flush = (): DatasetBatch => {
      const batch = tidy(() => ({
        xs: stack(parts.map((p) => p.xs)) as Tensor4D,
        ys: stack(parts.map((p) => p.ys)) as Tensor2D,
      }));
      dispose(parts.splice(0));
      return batch;
    };
    const epoch = epochElements(batchEpoch++);
    try {
      for await (const [element, row] of epoch) {
        parts.push(element);
        checkShape(element, row);
        if (parts.length === spec.batchSize) yield flush();
      }
      if (parts.length > 0 && !spec.dropRemainder) yield flush();
    } finally {
      dispose(parts);
      await epoch.return(undefined); // frees the read-ahead when this epoch stopped early
    }
  });
  return { elements, dataset };
}

function isNoSuchFile(error: ImageDecodeError): boolean {
  return (error.cause as { code?: string } | undefined)?.code === 'ENOENT';
}

function describe(x: unknown): string {
  if (x && typeof x === 'object' && 'shape' in x) return `shape [${(x as Tensor3D).shape}]`;
  return String(x);
}

/**
 * Applies a dataset transform: a synchronous one inside `tidy` (its intermediates freed), an `async` one (such
 * as a `fundusPipeline`) as is — it owns its intermediates, and `tidy` cannot span an await.
 */
async function runTransform(transform: DatasetTransform | undefined, image: Tensor3D): Promise<Tensor3D> {
  if (transform === undefined) return image;
  if (isAsyncFunction(transform)) {
    const out = await transform(image);
    return out instanceof Tensor ? (out as Tensor3D) : out?.image;
  }
  return tidy(() => {
    const out: unknown = transform(image);
    if (out instanceof Promise) {
      out.catch(() => undefined); // reported below, not as an unhandled rejection
      throw new Error(
        'the transform returned a promise from a plain function: declare it `async` (tidy cannot span an await)',
      );
    }
    return out as Tensor3D;
  });
}

function isAsyncFunction(fn: DatasetTransform): boolean {
  return fn.constructor?.name === 'AsyncFunction';
}
