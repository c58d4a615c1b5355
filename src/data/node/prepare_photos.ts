import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { tensor3d } from '@tensorflow/tfjs-core';
import { FundusError, ImageDecodeError, InvalidArgumentError, ShapeError } from '../../errors.js';
import { readImage } from '../../io/node/read_image.js';
import {
  type FundusPipelineArgs,
  fundusPipeline,
  type PreparedFundus,
} from '../../preprocess/fundus_pipeline.js';
import type { PrepareJob, PrepareReady, PrepareReply, PrepareWorkerData } from './prepare_messages.js';

/** Arguments of {@link preparePhotos}. */
export interface PreparePhotosArgs {
  /** The preprocessing of every photo (see `fundusPipeline`). @defaultValue fundusPipeline's defaults */
  pipeline?: FundusPipelineArgs;
  /**
   * Worker threads, each decoding and preparing photos on its own TF.js `backend`; `0` works on this thread
   * with the active backend (decoding two photos ahead).
   * @defaultValue the number of cores, at most 4
   */
  workers?: number;
  /** The workers' backend. @defaultValue 'wasm' */
  backend?: 'wasm' | 'cpu';
  /** Largest photo (width × height) decoded (see `readImage`). @defaultValue readImage's 50 MP */
  maxPixels?: number;
}

/** One photo through {@link preparePhotos}: the prepared image (the caller disposes it) and its geometry. */
export interface PreparedPhoto extends PreparedFundus {
  source: string;
}

/** A photo {@link preparePhotos} could not prepare, and why (an `ImageDecodeError` for unreadable files). */
export interface FailedPhoto {
  source: string;
  error: FundusError;
}

const FN = 'preparePhotos';
/** Photos sent to a worker ahead of the one it is on: it never waits for the next message. */
const AHEAD_PER_WORKER = 2;

/**
 * Decodes and prepares photo files in parallel: `workers` threads, each with its own TF.js, run `readImage`
 * and `fundusPipeline` and send the prepared pixels back, so a folder is prepared on every core (TF.js runs
 * one thread per process in Node). Results come in the order of `sources`, as tensors on this thread's
 * active backend. A photo that fails is yielded as a {@link FailedPhoto}, never dropped; the rest go on.
 * Breaking out of the loop stops the workers. Node only.
 *
 * @param sources Photo file paths.
 * @param args See {@link PreparePhotosArgs}.
 * @example
 * ```ts
 * for await (const photo of preparePhotos(files, { pipeline: { size: 512, colour: 'benGraham' } })) {
 *   if ('error' in photo) console.error(photo.source, photo.error.message);
 *   else { use(photo.image); photo.image.dispose(); }
 * }
 * ```
 * @throws {@link InvalidArgumentError} for bad `args` (before any work), or when a worker cannot set up its
 * backend.
 */
export async function* preparePhotos(
  sources: Iterable<string>,
  args: PreparePhotosArgs = {},
): AsyncGenerator<PreparedPhoto | FailedPhoto> {
  const workers = workersArg(args.workers);
  const backend = args.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw invalid('backend', "'wasm' or 'cpu'", backend);
  const pipeline = args.pipeline ?? {};
  fundusPipeline(pipeline); // checks the settings here, before any thread starts
  const list = [...sources];
  for (const [i, s] of list.entries()) {
    if (typeof s !== 'string') throw invalid(`sources[${i}]`, 'a file path', s);
  }
  if (list.length === 0) return;
  if (workers === 0) {
    yield* prepareHere(list, pipeline, args.maxPixels);
    return;
  }
  const pool = await startWorkers(Math.min(workers, list.length), { pipeline, backend });
  try {
    yield* prepareInPool(pool, list, args.maxPixels);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** `workers: 0`: this thread, decoding two photos ahead (sharp decodes on its own threads). */
async function* prepareHere(
  sources: string[],
  pipeline: FundusPipelineArgs,
  maxPixels: number | undefined,
): AsyncGenerator<PreparedPhoto | FailedPhoto> {
  const prepare = fundusPipeline(pipeline);
  const decode = (source: string) =>
    readImage(source, { maxPixels }).then(
      (photo) => ({ photo }),
      (error: unknown) => ({ error }),
    );
  const pending = sources.slice(0, 2).map(decode);
  let taken = 0;
  try {
    yield* prepareDecoded();
  } finally {
    // Stopped early: the photos decoded ahead are nobody's.
    for (const ahead of pending.slice(taken)) {
      void ahead.then((d) => ('photo' in d ? d.photo.dispose() : undefined));
    }
  }

  async function* prepareDecoded(): AsyncGenerator<PreparedPhoto | FailedPhoto> {
    for (const [i, source] of sources.entries()) {
      const decoded = await pending[i]!;
      taken = i + 1;
      if (i + 2 < sources.length) pending.push(decode(sources[i + 2]!));
      if ('error' in decoded) {
        yield { source, error: asFundusError(source, decoded.error) };
        continue;
      }
      let prepared: PreparedFundus;
      try {
        prepared = await prepare(decoded.photo);
      } catch (error) {
        yield { source, error: asFundusError(source, error) };
        continue;
      } finally {
        decoded.photo.dispose();
      }
      yield { source, ...prepared };
    }
  }
}

async function* prepareInPool(
  pool: Worker[],
  sources: string[],
  maxPixels: number | undefined,
): AsyncGenerator<PreparedPhoto | FailedPhoto> {
  const replies = new Map<number, PrepareReply>();
  let wake: (() => void) | null = null;
  let crash: Error | null = null;
  for (const worker of pool) {
    worker.on('message', (reply: PrepareReply) => {
      replies.set(reply.id, reply);
      wake?.();
    });
    worker.on('error', (e) => {
      crash = e;
      wake?.();
    });
    // Ended on its own (we only terminate workers after the last result): nothing more will come.
    worker.on('exit', (code) => {
      crash ??= new Error(`exited with code ${code}`);
      wake?.();
    });
  }
  let next = 0;
  const busy = new Map<Worker, number>(pool.map((w) => [w, 0]));
  const owner = new Map<number, Worker>();
  const send = () => {
    while (next < sources.length) {
      // The least busy worker, if it has room.
      const [worker, count] = [...busy].sort((a, b) => a[1] - b[1])[0]!;
      if (count >= AHEAD_PER_WORKER) return;
      const job: PrepareJob = { id: next, source: sources[next]!, maxPixels };
      worker.postMessage(job);
      busy.set(worker, count + 1);
      owner.set(next, worker);
      next++;
    }
  };
  send();
  for (let id = 0; id < sources.length; id++) {
    while (!replies.has(id)) {
      if (crash !== null) throw new FundusError(`${FN}: a worker stopped: ${(crash as Error).message}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
    const reply = replies.get(id)!;
    replies.delete(id);
    const worker = owner.get(id)!;
    owner.delete(id);
    busy.set(worker, busy.get(worker)! - 1);
    send();
    const source = sources[id]!;
    if (!reply.ok) {
      yield { source, error: rebuildError(source, reply.name, reply.message) };
      continue;
    }
    const image = tensor3d(reply.data, reply.shape);
    yield { source, image, circle: reply.circle, box: reply.box, originalSize: reply.originalSize };
  }
}

/** Starts `n` workers and waits until each has set up its backend. */
async function startWorkers(n: number, data: PrepareWorkerData): Promise<Worker[]> {
  const pool = Array.from({ length: n }, () => startWorker(data));
  const ready = pool.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', (m: PrepareReady) => {
          worker.off('error', reject);
          if (m.ready) resolve();
          else
            reject(
              new InvalidArgumentError(
                'backend',
                `${FN}: a worker could not set up '${data.backend}': ${m.message}`,
                data.backend,
              ),
            );
        });
      }),
  );
  try {
    await Promise.all(ready);
  } catch (e) {
    await Promise.all(pool.map((w) => w.terminate()));
    throw e;
  }
  return pool;
}

/**
 * Starts the worker module beside this one: the built `prepare_worker.js` in the package; from the TypeScript
 * sources (tests, `npm run cli`), the `.ts` file through tsx's loader (a development dependency), registered
 * in the worker itself since a worker does not inherit the parent's module hooks.
 */
function startWorker(workerData: PrepareWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./prepare_worker.js', here), { workerData });
  const script = new URL('./prepare_worker.ts', here).href;
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(code, { eval: true, workerData });
}

/** The worker's error as the fundus-kit error it was (by name), naming the photo. */
function rebuildError(source: string, name: string, message: string): FundusError {
  if (name === 'ImageDecodeError') return new ImageDecodeError(source, message);
  if (name === 'InvalidArgumentError')
    return new InvalidArgumentError('photo', `${message} (${source})`, source);
  if (name === 'ShapeError') return new ShapeError(`${message} (${source})`, []);
  return new FundusError(`${FN}: ${source}: ${name}: ${message}`);
}

function asFundusError(source: string, error: unknown): FundusError {
  const e = error instanceof Error ? error : new Error(String(error));
  return e instanceof ImageDecodeError ? e : rebuildError(source, e.name, e.message);
}

function workersArg(value: unknown): number {
  if (value === undefined) return Math.min(availableParallelism(), 4);
  if (!Number.isInteger(value) || (value as number) < 0)
    throw invalid('workers', 'a non-negative integer', value);
  return value as number;
}

function invalid(name: string, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(
    name,
    `${FN}: ${name} must be ${expected}, but got ${JSON.stringify(value)}.`,
    value,
  );
}
