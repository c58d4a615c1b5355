import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { fromCsv, fundusPipeline, readImage } from '../../src/index.node.js';
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
export async function benchPipeline(ctx: BenchContext, reference: OpencvReference): Promise<void> {
  const name = 'fundus pipeline 512 benGraham (eyepacs)';
  const streamName = 'pipeline stream dataset 224 benGraham (eye-diseases)';
  if (!ctx.selected(name) && !ctx.selected(streamName)) return;
  const cpu = ctx.backend === 'cpu';
  const all = readdirSync(eyepacsDir())
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => path.join(eyepacsDir(), f));
  const files = cpu ? all.slice(0, CPU_PHOTOS) : all;
  const prepare = fundusPipeline({ size: 512, colour: 'benGraham', benGraham: { sigma: 512 / 30 } });
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
  if (row?.medianMs !== undefined) {
    const perS = files.length / (row.medianMs / 1000);
    row.throughput = { items: files.length, perS };
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
    } else {
      note += `; OpenCV reference not available: ${reference.reason}`;
    }
    row.note = `${note}; ${row.note}`;
  }
  if (!cpu) await benchStream(ctx, streamName);
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
