import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import { loadPng } from '../../test/support/load_png.js';
import { dataPath } from '../../test/support/shared_data.js';
import { readImage } from '../io/node/read_image.js';
import { benGraham } from './ben_graham.js';
import { fundusPipeline } from './fundus_pipeline.js';
import { resize } from './resize.js';

// The anchor recipe (../shared/anchors/opencv_preprocess.py, OpenCV) at 64 px on three EyePACS photos, from
// scripts/fixtures/make_pipeline_fixtures.py. The recipe crops to the thresholded bounding box and draws its
// mask with cv2.circle at the integer centre and radius int(0.9 r); fundus-kit crops to the fitted circle's
// square and masks at 0.9 r from the exact centre. So the comparison skips a 3-pixel ring around the mask edge,
// and allows for the recipe's 8-bit rounding of the blur (±1 level, ×4 gain) and sub-pixel box differences.
// The same at 512 px for one photo (anchor_ben_graham_512.png, same script).
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/pipeline/anchor_ben_graham.json', import.meta.url), 'utf8'),
) as { size: number; sigma: number; cases: { file: string; box: number[]; pixels: string }[] };
const full = JSON.parse(
  readFileSync(new URL('../../test/fixtures/pipeline/anchor_ben_graham_512.json', import.meta.url), 'utf8'),
) as { size: number; sigma: number; file: string; box: number[] };

describeEachBackend('fundusPipeline vs the OpenCV recipe on EyePACS photos', () => {
  for (const c of fixture.cases) {
    it(`${c.file}: benGraham at ${fixture.size} px within 2 grey levels (mean)`, async () => {
      const photo = await readImage(dataPath(c.file));
      const prepare = fundusPipeline({
        size: fixture.size,
        colour: 'benGraham',
        benGraham: { sigma: fixture.sigma },
      });
      const { image, box } = await prepare(photo);
      photo.dispose();
      const ours = await image.data();
      image.dispose();
      // The crop boxes agree to a few pixels of the 1024-px photo.
      expect(Math.abs(box!.height - c.box[2]!)).toBeLessThanOrEqual(6);
      expect(Math.abs(box!.top + box!.height / 2 - (c.box[0]! + c.box[2]! / 2))).toBeLessThanOrEqual(3);
      expect(meanDifferenceOffRing(ours, Buffer.from(c.pixels, 'base64'), fixture.size)).toBeLessThanOrEqual(
        2,
      );
    });
  }

  // The anchor's own size: 512 px, σ = 512/30, where the pipeline blurs 4× coarser by default. At 512 px the
  // crop box's few-pixel difference from the recipe's threshold box shifts fine detail (×4 gain): ~3 grey
  // levels. So the recipe's own steps are checked on the recipe's box, and the pipeline for what the coarse
  // blur changes.
  it(`${full.file}: at 512 px, the recipe's crop → area resize → benGraham (coarse blur) within 1.5 grey levels`, async () => {
    const photo = await readImage(dataPath(full.file));
    const theirs = await loadPng('pipeline/anchor_ben_graham_512.png', 3);
    const expected = await theirs.data();
    const [top, left, height, width] = full.box as [number, number, number, number];
    const s = full.size;
    const r = s / 2;
    const mean: Record<string, number> = {};
    for (const downsample of [4, 1]) {
      const out = tf.tidy(() =>
        benGraham(resize(tf.slice(photo, [top, left, 0], [height, width, 3]), s, { method: 'area' }), {
          sigma: full.sigma,
          downsample,
          center: [s >> 1, s >> 1],
          maskRadius: Math.floor(0.9 * r) / r,
        }),
      );
      mean[downsample] = meanDifferenceOffRing(await out.data(), expected, s);
      out.dispose();
    }
    expect(mean[4]).toBeLessThanOrEqual(1.5);
    expect(Math.abs(mean[4]! - mean[1]!)).toBeLessThanOrEqual(0.05);

    const pipeline: number[] = [];
    for (const downsample of ['auto', 1] as const) {
      const prepare = fundusPipeline({
        size: s,
        colour: 'benGraham',
        benGraham: { sigma: full.sigma, downsample },
      });
      const { image } = await prepare(photo);
      pipeline.push(meanDifferenceOffRing(await image.data(), expected, s));
      image.dispose();
    }
    tf.dispose([photo, theirs]);
    expect(Math.abs(pipeline[0]! - pipeline[1]!)).toBeLessThanOrEqual(0.05);
  });
});

/**
 * Mean absolute difference of two [s, s, 3] images, skipping a 3-pixel ring around the recipe's mask edge
 * (cv2.circle at the integer centre, radius int(0.9 r), where fundus-kit masks at 0.9 r from the exact centre).
 */
function meanDifferenceOffRing(ours: ArrayLike<number>, theirs: ArrayLike<number>, s: number): number {
  const edge = Math.floor((s / 2) * 0.9);
  let sum = 0;
  let n = 0;
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      if (Math.abs(Math.hypot(y - s / 2, x - s / 2) - edge) <= 3) continue;
      for (let ch = 0; ch < 3; ch++) {
        const i = (y * s + x) * 3 + ch;
        sum += Math.abs(ours[i]! - theirs[i]!);
        n++;
      }
    }
  }
  return sum / n;
}
