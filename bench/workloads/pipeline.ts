import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { fromCsv, fundusPipeline, preparePhotos, readImage } from '../../src/index.node.js';
import type { BenchContext } from '../context.js';
import type { OpencvReference } from '../opencv_reference.js';

/** fundus-kit's pipeline should process photos at least this many times as fast as OpenCV with 1 thread. */
export const PIPELINE_TARGET = 1.5;
/** The cpu backend (pure JS) takes ~1 s a photo: it runs this many. */
const CPU_PHOTOS = 12;
/** Decodes started ahead of the photo being processed (sharp decodes on its own threads). */
const PREFETCH = 2;
/** Photos streamed from eye-diseases for the dataset throughput and peak RSS (wasm). */
const STREAM_PHOTOS = 1024;

export function dataDir(): string {
  return path.resolve(process.env.FUNDUS_DATA ?? '../shared/data');
}

export function eyepacsDir(): string {
  return path.join(dataDir(), 'eyepacs/images');
}

/**
 * The anchor's job with fundus-kit: decode → field-of-view crop → 512² (area) → benGraham (σ = 512/30, as the
 * anchor) → mask at 0.9 r, over the EyePACS photos, reading each result back (so the work is done). Decoding
 * overlaps the tensor work (sharp runs on its own threads), as a real loader would. Then the same pipeline as a
 * streaming dataset over eye-diseases, with its peak RSS.
 */
export async function benchPipeline(
  ctx: BenchContext,
  reference: OpencvReference,
  allCores: OpencvReference,
): Promise<void> {
  const name = 'fundus pipeline 512 benGraham (eyepacs)';
  const workersName = `fundus pipeline 512 benGraham (eyepacs) preparePhotos ${availableParallelism()} workers`;
  const streamName = 'pipeline stream dataset 224 benGraham (eye-diseases)';
  if (!ctx.selected(name) && !ctx.selected(workersName) && !ctx.selected(streamName)) return;
  const cpu = ctx.backend === 'cpu';
  const all = readdirSync(eyepacsDir())
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => path.join(eyepacsDir(), f));
  const files = cpu ? all.slice(0, CPU_PHOTOS) : all;
  const settings = { size: 512, colour: 'benGraham', benGraham: { sigma: 512 / 30 } } as const;
  const prepare = fundusPipeline(settings);
  const row = await ctx.time(
    {
      id: 'pipeline.eyepacs',
      workload: name,
      runs: cpu ? 1 : 3,
      warmups: cpu ? 0 : 1,
      warmup: () => processAll(files.slice(0, 4), prepare),
      note: `${files.length} photos a run${cpu ? ` (cpu: the first ${CPU_PHOTOS})` : ''}`,
    },
    () => processAll(files, prepare),
  );
  if (row?.medianMs !== undefined)
    addThroughput(row, files.length, files.length / (row.medianMs / 1000), reference);
  if (!cpu) {
    // Before the worker threads, whose memory the process keeps after they end (the row reports peak RSS).
    await benchStream(ctx, streamName);
    // Every core: worker threads decode and prepare (each its own TF.js on wasm), started anew each run.
    const workers = availableParallelism();
    const steady: number[] = [];
    const pooled = await ctx.time(
      {
        id: 'pipeline.eyepacs.workers',
        workload: workersName,
        runs: 3,
        warmups: 1,
        warmup: () => prepareAll(files.slice(0, 8), settings, workers),
        note: `${files.length} photos a run, ${workers} worker threads on wasm`,
      },
      () => prepareAll(files, settings, workers, steady),
    );
    // As the anchor, which times its photos after a warm-up one: img/s from the first result on. The
    // median ms above includes starting the workers (from the TypeScript sources through tsx here).
    const perS = median(steady);
    if (pooled?.medianMs !== undefined && perS !== undefined) {
      const whole = files.length / (pooled.medianMs / 1000);
      addThroughput(pooled, files.length, perS, reference, allCores);
      pooled.note += `; ${whole.toFixed(1)} img/s with the workers' start-up (${(pooled.medianMs - ((files.length - 1) / perS) * 1000).toFixed(0)} ms)`;
    }
  }
}

/** img/s and the ratio to OpenCV with 1 thread (the target), and to OpenCV on as many threads when given. */
function addThroughput(
  row: NonNullable<Awaited<ReturnType<BenchContext['time']>>>,
  photos: number,
  perS: number,
  reference: OpencvReference,
  sameThreads?: OpencvReference,
): void {
  row.throughput = { items: photos, perS };
  let note = `${perS.toFixed(1)} img/s`;
  if (reference.available && reference.imagesPerS !== undefined) {
    const ratio = perS / reference.imagesPerS;
    row.throughput.reference = {
      name: `opencv ${reference.opencvVersion} (${reference.threads} thread)`,
      perS: reference.imagesPerS,
      ratio,
      target: PIPELINE_TARGET,
    };
    note += `, ${ratio.toFixed(2)}x OpenCV ${reference.threads} thread (${reference.imagesPerS} img/s; target >= ${PIPELINE_TARGET}x: ${ratio >= PIPELINE_TARGET ? 'met' : 'MISSED'})`;
    if (sameThreads?.available && sameThreads.imagesPerS !== undefined) {
      note += `, ${(perS / sameThreads.imagesPerS).toFixed(2)}x OpenCV ${sameThreads.threads} threads (${sameThreads.imagesPerS} img/s)`;
    }
  } else {
    note += `; OpenCV reference not available: ${reference.reason}`;
  }
  row.note = `${note}; ${row.note}`;
}

/** Prepares every photo through `preparePhotos`; pushes the img/s from the first result to the last onto `rates`. */
async function prepareAll(
  files: string[],
  pipeline: Parameters<typeof fundusPipeline>[0],
  workers: number,
  rates: number[] = [],
): Promise<undefined> {
  let first = 0;
  let n = 0;
  for await (const photo of preparePhotos(files, { pipeline, workers })) {
    if ('error' in photo) throw photo.error;
    await photo.image.data();
    photo.image.dispose();
    if (n++ === 0) first = performance.now();
  }
  rates.push((n - 1) / ((performance.now() - first) / 1000));
  return undefined;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function processAll(files: string[], prepare: ReturnType<typeof fundusPipeline>): Promise<undefined> {
  const pending = files.slice(0, PREFETCH).map((f) => readImage(f));
  for (let i = 0; i < files.length; i++) {
    const photo = await pending[i]!;
    if (i + PREFETCH < files.length) pending.push(readImage(files[i + PREFETCH]!));
    const { image } = await prepare(photo);
    photo.dispose();
    await image.data();
    image.dispose();
  }
  return undefined;
}

async function benchStream(ctx: BenchContext, name: string): Promise<void> {
  const batchSize = 32;
  const batches = STREAM_PHOTOS / batchSize;
  let peakRss = 0;
  const row = await ctx.time(
    {
      id: 'pipeline.stream',
      workload: name,
      runs: 1,
      warmups: 0,
      note: `${STREAM_PHOTOS} photos, batches of ${batchSize}, fromCsv + fundusPipeline`,
    },
    async () => {
      const ds = await fromCsv(path.join(dataDir(), 'eye-diseases/labels.csv'), {
        labelColumn: 'class',
        transform: fundusPipeline({ size: 224, colour: 'benGraham' }),
        batchSize,
        onError: 'skip',
      });
      const timer = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 50);
      try {
        const it = await ds.dataset.take(batches).iterator();
        for (let r = await it.next(); !r.done; r = await it.next()) tf.dispose(r.value);
      } finally {
        clearInterval(timer);
      }
      return undefined;
    },
  );
  if (row?.medianMs !== undefined) {
    const perS = STREAM_PHOTOS / (row.medianMs / 1000);
    const peakRssMiB = Math.round(peakRss / 2 ** 20);
    row.throughput = { items: STREAM_PHOTOS, perS, peakRssMiB };
    row.note = `${perS.toFixed(1)} img/s, peak RSS ${peakRssMiB} MiB; ${row.note}`;
  }
}
