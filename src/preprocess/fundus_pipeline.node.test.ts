import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import { dataPath } from '../../test/support/shared_data.js';
import { readImage } from '../io/node/read_image.js';
import { fundusPipeline } from './fundus_pipeline.js';

// The anchor recipe (../shared/anchors/opencv_preprocess.py, OpenCV) at 64 px on three EyePACS photos, from
// scripts/fixtures/make_pipeline_fixtures.py. The recipe crops to the thresholded bounding box and draws its
// mask with cv2.circle at the integer centre and radius int(0.9 r); fundus-kit crops to the fitted circle's
// square and masks at 0.9 r from the exact centre. So the comparison skips a 3-pixel ring around the mask edge,
// and allows for the recipe's 8-bit rounding of the blur (±1 level, ×4 gain) and sub-pixel box differences.
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/pipeline/anchor_ben_graham.json', import.meta.url), 'utf8'),
) as { size: number; sigma: number; cases: { file: string; box: number[]; pixels: string }[] };

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
      const theirs = Buffer.from(c.pixels, 'base64');
      const s = fixture.size;
      const edge = Math.floor((s / 2) * 0.9);
      let sum = 0;
      let n = 0;
      for (let y = 0; y < s; y++) {
        for (let x = 0; x < s; x++) {
          const d = Math.hypot(y - s / 2, x - s / 2);
          if (Math.abs(d - edge) <= 3) continue;
          for (let ch = 0; ch < 3; ch++) {
            const i = (y * s + x) * 3 + ch;
            sum += Math.abs(ours[i]! - theirs[i]!);
            n++;
          }
        }
      }
      expect(sum / n).toBeLessThanOrEqual(2);
    });
  }
});
