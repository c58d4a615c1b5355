import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks, useBackend } from '../../../test/support/backends.js';
import { InvalidArgumentError } from '../../errors.js';
import { syntheticFundus } from './fundus.js';
import { drGrade } from './grade.js';
import { qualityLabel } from './quality.js';
import { LESION_TYPES, MASK_NAMES } from './types.js';

// Small images: WebGL and WebGPU run on SwiftShader in CI, and the generator is size-invariant anyway.
const SIZE = 96;

async function pixels(args: Parameters<typeof syntheticFundus>[0]): Promise<Float32Array> {
  const f = syntheticFundus(args);
  const data = (await f.image.data()) as Float32Array;
  f.dispose();
  return data;
}

describeEachBackend('syntheticFundus', (backend) => {
  it('is deterministic per seed, and seeds differ', async () => {
    const a = await pixels({ size: SIZE, seed: 3 });
    const b = await pixels({ size: SIZE, seed: 3 });
    const c = await pixels({ size: SIZE, seed: 4 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('gives the same image as the cpu backend (within 1 grey level)', async () => {
    const args = { size: SIZE, seed: 21, grade: 3 as const, quality: { blur: 0.3, exposure: -0.2 } };
    const here = await pixels(args);
    await useBackend('cpu');
    const reference = await pixels(args);
    await useBackend(backend);
    let worst = 0;
    for (let i = 0; i < here.length; i++) worst = Math.max(worst, Math.abs(here[i]! - reference[i]!));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('returns an RGB 0-255 image and 0/1 masks, leaving no tensors behind', async () => {
    await expectNoLeaks(async () => {
      const f = syntheticFundus({ size: SIZE, seed: 1 });
      await f.image.data();
      f.dispose();
    });
    const f = syntheticFundus({ size: SIZE, seed: 1 });
    expect(f.image.shape).toEqual([SIZE, SIZE, 3]);
    expect(f.image.dtype).toBe('float32');
    const img = await f.image.data();
    expect(Math.min(...img)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...img)).toBeLessThanOrEqual(255);
    for (const name of MASK_NAMES) {
      expect(f.masks[name].shape).toEqual([SIZE, SIZE]);
      expect((await f.masks[name].data()).every((v) => v === 0 || v === 1)).toBe(true);
    }
    const before = tf.memory().numTensors;
    f.dispose();
    expect(tf.memory().numTensors).toBe(before - 1 - MASK_NAMES.length);
  });

  it('draws every requested lesion type inside the field of view', async () => {
    const f = syntheticFundus({
      size: SIZE,
      seed: 8,
      lesions: { MA: 6, HE: 4, EX: 3, SE: 2, NV: 1 },
      quality: 'good',
    });
    const { x, y, r } = f.fov;
    for (const name of MASK_NAMES) {
      const m = await f.masks[name].data();
      let count = 0;
      for (let i = 0; i < m.length; i++) {
        if (m[i] === 0) continue;
        count++;
        const px = (i % SIZE) + 0.5;
        const py = Math.floor(i / SIZE) + 0.5;
        expect(Math.hypot(px - x, py - y)).toBeLessThanOrEqual(r + 1);
      }
      expect(count, `${name} mask`).toBeGreaterThan(0);
    }
    expect(f.lesionCounts).toEqual({ MA: 6, HE: 4, EX: 3, SE: 2, NV: 1 });
    expect(f.grade).toBe(4);
    f.dispose();
    const healthy = syntheticFundus({ size: SIZE, seed: 8, lesions: {} });
    for (const t of LESION_TYPES) expect((await healthy.masks[t].data()).every((v) => v === 0)).toBe(true);
    expect(healthy.grade).toBe(0);
    healthy.dispose();
  });

  it('has photo-like statistics: black outside the field, red > green > blue inside', async () => {
    // The same statistics on real EyePACS photographs (pixels with R+G+B > 60 as the field):
    // 13_right mean RGB (140.6, 76.9, 40.3), outside (0.18, 0.06, 0.07); 15_left (165.1, 110.4, 71.6),
    // outside (0.25, 0.08, 0.24); 294_left (153.1, 98.8, 71.4), outside (0.15, 0.07, 0.07).
    for (const seed of [1, 2, 3]) {
      const f = syntheticFundus({ size: SIZE, seed, quality: 'good' });
      const img = await f.image.data();
      const { x, y, r } = f.fov;
      const inside = [0, 0, 0];
      let nIn = 0;
      let outside = 0;
      for (let i = 0; i < SIZE * SIZE; i++) {
        const d = Math.hypot((i % SIZE) + 0.5 - x, Math.floor(i / SIZE) + 0.5 - y);
        if (d > r + 2) outside = Math.max(outside, img[3 * i]!, img[3 * i + 1]!, img[3 * i + 2]!);
        if (d < 0.8 * r) {
          for (let c = 0; c < 3; c++) inside[c]! += img[3 * i + c]!;
          nIn++;
        }
      }
      const [mr, mg, mb] = inside.map((s) => s / nIn) as [number, number, number];
      expect(outside).toBe(0);
      expect(mr).toBeGreaterThan(mg);
      expect(mg).toBeGreaterThan(mb);
      expect(mr).toBeGreaterThan(90);
      expect(mr).toBeLessThan(250);
      f.dispose();
    }
  });

  it('meets the requested grade and quality, and labels follow the drawn lesions and degradations', () => {
    for (const grade of [0, 1, 2, 3, 4] as const) {
      const f = syntheticFundus({ size: 64, seed: 40 + grade, grade });
      expect(f.grade).toBe(grade);
      expect(drGrade({ counts: f.lesionCounts, haemorrhagesPerQuadrant: f.haemorrhagesPerQuadrant })).toBe(
        grade,
      );
      f.dispose();
    }
    for (const quality of ['good', 'usable', 'reject'] as const) {
      const f = syntheticFundus({ size: 64, seed: 7, quality });
      expect(f.quality).toBe(quality);
      expect(qualityLabel(f.severity)).toBe(quality);
      expect(f.degradations.length > 0).toBe(quality !== 'good');
      f.dispose();
    }
    const blurred = syntheticFundus({ size: 64, seed: 7, quality: { blur: 0.8, exposure: -0.1 } });
    expect(blurred.quality).toBe('reject');
    expect(blurred.degradations).toEqual(['blur', 'underexposure']);
    blurred.dispose();
  });

  it('keeps the eye when only the quality changes', async () => {
    const a = syntheticFundus({ size: SIZE, seed: 5, grade: 2, quality: 'good' });
    const b = syntheticFundus({ size: SIZE, seed: 5, grade: 2, quality: { blur: 0.6 } });
    expect(await b.masks.OD.data()).toEqual(await a.masks.OD.data());
    expect(await b.masks.HE.data()).toEqual(await a.masks.HE.data());
    expect(await b.image.data()).not.toEqual(await a.image.data());
    a.dispose();
    b.dispose();
  });

  it('rejects bad arguments with InvalidArgumentError naming the argument', () => {
    const bad = (args: object, argument: string, message: string) => {
      try {
        syntheticFundus(args as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).toBe(argument);
        expect((e as Error).message).toContain(message);
      }
    };
    bad({ size: 32 }, 'size', 'syntheticFundus: size must be an integer from 64 to 2048, but got 32.');
    bad({ size: 100.5 }, 'size', 'but got 100.5');
    bad({ seed: -1 }, 'seed', 'seed must be an integer');
    bad({ lesions: { XY: 2 } }, 'lesions', "unknown lesion type 'XY'");
    bad({ lesions: { MA: -2 } }, 'lesions', 'must be a non-negative integer');
    bad({ quality: 'great' }, 'quality', "quality must be one of 'good', 'usable', 'reject'");
    bad({ quality: { blur: 2 } }, 'quality', 'quality.blur must be a number in [0, 1]');
    bad({ quality: { haze: 0.5 } }, 'quality', "unknown degradation 'haze'");
    bad({ grade: 5 }, 'grade', 'grade must be an integer 0-4');
    bad({ grade: 1, lesions: {} }, 'grade', 'give grade or lesions, not both');
    bad({ eye: 'both' }, 'eye', "eye must be 'left' or 'right'");
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});
