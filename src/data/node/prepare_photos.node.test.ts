import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { describeEachBackend, useBackend } from '../../../test/support/backends.js';
import { dataPath } from '../../../test/support/shared_data.js';
import { ImageDecodeError, InvalidArgumentError } from '../../errors.js';
import { readImage } from '../../io/node/read_image.js';
import { fundusPipeline } from '../../preprocess/fundus_pipeline.js';
import { type FailedPhoto, type PreparedPhoto, preparePhotos } from './prepare_photos.js';

const scratch = mkdtempSync(join(tmpdir(), 'prepare-photos-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const notAPhoto = join(scratch, 'notes.jpg');
writeFileSync(notAPhoto, 'not a JPEG');
const photos = ['10_left.jpg', '10_right.jpg', '13_left.jpg', '15_left.jpg'].map((f) =>
  dataPath(`eyepacs/images/${f}`),
);
const pipeline = { size: 96, colour: 'benGraham' } as const;

async function collect(it: AsyncIterable<PreparedPhoto | FailedPhoto>) {
  const out: (PreparedPhoto | FailedPhoto)[] = [];
  for await (const p of it) out.push(p);
  return out;
}

describeEachBackend('preparePhotos', (backend) => {
  it('prepares in worker threads what fundusPipeline gives here, in order, and reports a bad file in place', async () => {
    const before = tf.memory().numTensors;
    const sources = [photos[0]!, notAPhoto, ...photos.slice(1)];
    // The workers run wasm whatever this thread's backend: the results must agree to float rounding.
    const results = await collect(preparePhotos(sources, { pipeline, workers: 2 }));
    expect(results.map((r) => r.source)).toEqual(sources);
    const failed = results[1] as FailedPhoto;
    expect(failed.error).toBeInstanceOf(ImageDecodeError);
    expect(failed.error.message).toContain('notes.jpg');
    const prepare = fundusPipeline(pipeline);
    for (const result of results) {
      if ('error' in result) continue;
      const photo = await readImage(result.source);
      const here = await prepare(photo);
      expect(result.image.shape).toEqual([96, 96, 3]);
      expect(result.box).toEqual(here.box);
      expect(result.originalSize).toEqual(here.originalSize);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(result.image, here.image))));
      expect((await diff.data())[0], result.source).toBeLessThan(1e-3);
      tf.dispose([photo, here.image, result.image, diff]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it(`with workers: 0 prepares on this thread (${backend}), decoding ahead, failures in place`, async () => {
    const results = await collect(preparePhotos([notAPhoto, photos[2]!], { pipeline, workers: 0 }));
    expect((results[0] as FailedPhoto).error).toBeInstanceOf(ImageDecodeError);
    const ok = results[1] as PreparedPhoto;
    expect(ok.image.shape).toEqual([96, 96, 3]);
    ok.image.dispose();
  });
});

it('stops its workers when the loop breaks early, and frees the photos decoded ahead', async () => {
  await useBackend('wasm');
  for (const workers of [2, 0]) {
    const before = tf.memory().numTensors;
    let seen = 0;
    for await (const p of preparePhotos(photos, { pipeline, workers })) {
      if (!('error' in p)) p.image.dispose();
      seen++;
      break;
    }
    expect(seen).toBe(1);
    // The decodes started ahead finish after the break (well within a second); their photos are then disposed.
    await new Promise((r) => setTimeout(r, 1500));
    expect(tf.memory().numTensors, `workers: ${workers}`).toBe(before);
  }
});

it('yields nothing for no photos, starting no thread', async () => {
  expect(await collect(preparePhotos([], { pipeline, workers: 2 }))).toEqual([]);
});

it('checks its arguments before starting any thread', async () => {
  const first = (args: object, sources: unknown[] = photos) =>
    preparePhotos(sources as string[], args).next();
  await expect(first({ workers: -1 })).rejects.toThrow(InvalidArgumentError);
  await expect(first({ workers: 1.5 })).rejects.toThrow(
    'preparePhotos: workers must be a non-negative integer, but got 1.5.',
  );
  await expect(first({ backend: 'webgl' })).rejects.toThrow(
    `preparePhotos: backend must be 'wasm' or 'cpu', but got "webgl".`,
  );
  await expect(first({ pipeline: { colour: 'sepia' } })).rejects.toThrow(
    'fundusPipeline: colour must be one of',
  );
  await expect(first({}, [photos[0], 42])).rejects.toThrow(
    'preparePhotos: sources[1] must be a file path, but got 42.',
  );
});
