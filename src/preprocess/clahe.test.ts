import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import params from '../../test/fixtures/opencv/params.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { absDiff, fixturePhotos, loadPng } from '../../test/support/load_png.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { clahe } from './clahe.js';
import { reflect101Indices } from './reflect_pad.js';

/**
 * OpenCV 4.x `CLAHE_Impl::apply` for 8-bit grey, transcribed loop for loop from modules/imgproc/src/clahe.cpp
 * (checked against cv2.createCLAHE: identical on real photos), as an independent reference. Returns OpenCV's
 * uint8 result.
 */
function opencvClahe(src: ArrayLike<number>, h: number, w: number, clip: number, [tilesY, tilesX]: number[]) {
  const [ty, tx] = [tilesY!, tilesX!];
  const pad = h % ty !== 0 || w % tx !== 0;
  const [ph, pw] = pad ? [h + ty - (h % ty), w + tx - (w % tx)] : [h, w];
  const rows = reflect101Indices(h, 0, ph - h);
  const cols = reflect101Indices(w, 0, pw - w);
  const [th, tw] = [ph / ty, pw / tx];
  const area = th * tw;
  const limit = Number.isFinite(clip) ? Math.max(Math.floor((clip * area) / 256), 1) : 0;
  const lutScale = Math.fround(255 / area);
  const luts = new Uint8Array(ty * tx * 256);
  for (let t = 0; t < ty * tx; t++) {
    const hist = new Int32Array(256);
    const [y0, x0] = [Math.floor(t / tx) * th, (t % tx) * tw];
    for (let y = y0; y < y0 + th; y++)
      for (let x = x0; x < x0 + tw; x++) hist[src[rows[y]! * w + cols[x]!]!]!++;
    if (limit > 0) {
      let clipped = 0;
      for (let i = 0; i < 256; i++) {
        if (hist[i]! > limit) {
          clipped += hist[i]! - limit;
          hist[i] = limit;
        }
      }
      const batch = Math.floor(clipped / 256);
      let residual = clipped - batch * 256;
      for (let i = 0; i < 256; i++) hist[i]! += batch;
      if (residual !== 0) {
        const step = Math.max(Math.floor(256 / residual), 1);
        for (let i = 0; i < 256 && residual > 0; i += step, residual--) hist[i]!++;
      }
    }
    let sum = 0;
    for (let i = 0; i < 256; i++) {
      sum += hist[i]!;
      luts[t * 256 + i] = roundHalfEven(Math.fround(sum * lutScale));
    }
  }
  const out = new Uint8Array(h * w);
  const coord = (i: number, size: number, tiles: number) => {
    const f = Math.fround(Math.fround(i * Math.fround(1 / size)) - 0.5);
    const t1 = Math.floor(f);
    const a = Math.fround(f - t1);
    return { t1: Math.max(t1, 0), t2: Math.min(t1 + 1, tiles - 1), a, a1: Math.fround(1 - a) };
  };
  for (let y = 0; y < h; y++) {
    const r = coord(y, th, ty);
    for (let x = 0; x < w; x++) {
      const c = coord(x, tw, tx);
      const v = src[y * w + x]!;
      const lut = (tyi: number, txi: number) => luts[(tyi * tx + txi) * 256 + v]!;
      const f = Math.fround;
      const top = f(f(lut(r.t1, c.t1) * c.a1) + f(lut(r.t1, c.t2) * c.a));
      const bottom = f(f(lut(r.t2, c.t1) * c.a1) + f(lut(r.t2, c.t2) * c.a));
      out[y * w + x] = roundHalfEven(f(f(top * r.a1) + f(bottom * r.a)));
    }
  }
  return out;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A deterministic grey image with a peaked histogram (so clipping and the residual rule matter). */
function peakedImage(h: number, w: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: h * w }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    const noise = (s / 2147483648) ** 3;
    return Math.min(255, Math.floor(90 + 40 * Math.sin(i / 7) + 120 * noise));
  });
}

describeEachBackend('clahe', (backend) => {
  // WebGL/WebGPU run on SwiftShader here, where compiling shaders for each new shape dominates: there the
  // tests reuse a few shapes; cpu and wasm also run the extra sizes.
  const slowGpu = backend === 'webgl' || backend === 'webgpu';
  const photos = fixturePhotos(params.images, backend);

  it('agrees with OpenCV on real photos: grey exactly once rounded, RGB via LAB-L ≤ 2 grey levels', async () => {
    for (const { name } of photos) {
      const [rgb, grey, expectedGrey, expectedLab] = await Promise.all([
        loadPng(`opencv/${name}_input.png`, 3),
        loadPng(`opencv/${name}_grey.png`, 1),
        loadPng(`opencv/${name}_clahe_grey.png`, 1),
        loadPng(`opencv/${name}_clahe_lab.png`, 3),
      ]);
      const args = { clipLimit: params.clahe.clipLimit, tileGrid: params.clahe.tileGrid as [number, number] };
      const outGrey = await expectNoLeaks(() => clahe(grey, args));
      const outLab = clahe(rgb, args);
      const roundedGrey = tf.round(outGrey);
      expect((await absDiff(outGrey, expectedGrey)).mean, name).toBeLessThan(0.3);
      expect((await absDiff(roundedGrey, expectedGrey)).max, name).toBe(0);
      // OpenCV's 8-bit RGB↔LAB uses fixed-point tables (its L is ±1 off the exact formula on some pixels).
      expect((await absDiff(outLab, expectedLab)).mean, name).toBeLessThanOrEqual(2);
      tf.dispose([rgb, grey, expectedGrey, expectedLab, outGrey, outLab, roundedGrey]);
    }
  });

  it("equals OpenCV's createCLAHE (rounded) on grey images: tiles padded or not, clipped or not", async () => {
    const cases: Array<[number, number, [number, number], number]> = [
      [21, 24, [4, 3], 3], // rows not a multiple: OpenCV pads rows and (quirk) a whole tile column too
      [21, 24, [4, 3], 0.5], // the limit floors to 1 count: most of each histogram is redistributed
      [21, 24, [4, 3], Number.POSITIVE_INFINITY], // no clipping
    ];
    if (!slowGpu) {
      cases.push([20, 24, [4, 3], 2], [13, 17, [2, 5], 1.5], [16, 16, [8, 8], 40]);
    }
    for (const [i, [h, w, tileGrid, clipLimit]] of cases.entries()) {
      const pixels = peakedImage(h, w, 101 * i + 5);
      const image = tf.tensor3d(Float32Array.from(pixels), [h, w, 1]);
      const out = clahe(image, { clipLimit, tileGrid });
      const rounded = tf.round(out);
      const expected = opencvClahe(pixels, h, w, clipLimit, tileGrid);
      expect(Array.from(await rounded.data()), `${h}×${w} ${tileGrid} clip ${clipLimit}`).toEqual(
        Array.from(expected),
      );
      tf.dispose([image, out, rounded]);
    }
  });

  it('keeps a batch a batch: each image equalised on its own', async () => {
    const [a, b] = [peakedImage(21, 24, 1), peakedImage(21, 24, 2)];
    const batch = tf.tensor4d(Float32Array.from([...a, ...b]), [2, 21, 24, 1]);
    const out = clahe(batch, { tileGrid: [4, 3] });
    expect(out.shape).toEqual([2, 21, 24, 1]);
    const rounded = tf.round(out);
    const got = Array.from(await rounded.data());
    expect(got.slice(0, 21 * 24)).toEqual(Array.from(opencvClahe(a, 21, 24, 2, [4, 3])));
    expect(got.slice(21 * 24)).toEqual(Array.from(opencvClahe(b, 21, 24, 2, [4, 3])));
    tf.dispose([batch, out, rounded]);
  });

  it('leaves NaN pixels out of the histograms and returns them as NaN (all channels)', async () => {
    const withNaN = async (path: string, channels: 1 | 3) => {
      const image = await loadPng(path, channels);
      const values = await image.data();
      values[5 * 128 + 7] = Number.NaN; // grey: pixel (5, 7); RGB: the blue of pixel 215 = (1, 87)
      const shape = image.shape;
      image.dispose();
      return tf.tensor3d(values, shape);
    };
    const grey = await withNaN('opencv/eyepacs_grey.png', 1);
    const out = clahe(grey);
    const values = Array.from(await out.data());
    expect(values.map(Number.isNaN).filter(Boolean)).toHaveLength(1);
    expect(values[5 * 128 + 7]).toBeNaN();
    const rgb = await withNaN('opencv/eyepacs_input.png', 3);
    const colour = clahe(rgb);
    const colours = Array.from(await colour.data());
    const pixel = Math.floor((5 * 128 + 7) / 3) * 3;
    expect(colours.slice(pixel, pixel + 3).every(Number.isNaN)).toBe(true);
    expect(colours.filter(Number.isNaN)).toHaveLength(3);
    tf.dispose([grey, out, rgb, colour]);
  });

  // The banding is plain JS around the same ops; one fast backend is enough for the large image.
  if (backend === 'wasm' || backend === 'tensorflow') {
    it('works a band of tiles at a time on large images, with the same result', async () => {
      const [h, w] = [368, 368]; // 2 × 368² pixels: two passes of at most 2^18 pixels
      const [a, b] = [peakedImage(h, w, 7), peakedImage(h, w, 8)];
      const image = tf.tensor4d(Float32Array.from([...a, ...b]), [2, h, w, 1]);
      const out = await expectNoLeaks(() => clahe(image));
      const rounded = tf.round(out);
      const got = await rounded.data();
      const expected = [...opencvClahe(a, h, w, 2, [8, 8]), ...opencvClahe(b, h, w, 2, [8, 8])];
      let mismatches = 0;
      for (let i = 0; i < expected.length; i++) if (got[i] !== expected[i]) mismatches++;
      expect(mismatches).toBe(0);
      tf.dispose([image, out, rounded]);
    });
  }

  it('names the function and the value when the input or arguments are wrong', () => {
    const flat = tf.zeros([512, 512]);
    expect(() => clahe(flat as never)).toThrow(ShapeError);
    expect(() => clahe(flat as never)).toThrow(
      'clahe: image must be rank 3 or 4, but got rank 2 (shape [512,512]).',
    );
    const rg = tf.zeros([4, 4, 2]) as tf.Tensor3D;
    expect(() => clahe(rg)).toThrow('clahe: image must have 1 or 3 channels, but got 2 (shape [4,4,2]).');
    const x = tf.zeros([8, 8, 1]) as tf.Tensor3D;
    expect(() => clahe(x, { clipLimit: 0 })).toThrow(InvalidArgumentError);
    expect(() => clahe(x, { clipLimit: 0 })).toThrow(
      'clahe: clipLimit must be a positive number or Infinity, but got 0.',
    );
    expect(() => clahe(x, { clipLimit: -1 })).toThrow('but got -1.');
    expect(() => clahe(x, { tileGrid: [0, 8] })).toThrow(
      'clahe: tileGrid must be [rows, columns] of positive integers, but got [0,8].',
    );
    expect(() => clahe(x, { tileGrid: [2.5, 2] })).toThrow('but got [2.5,2].');
    expect(() => clahe(x, { tileGrid: 8 as never })).toThrow('but got 8.');
    tf.dispose([flat, rg, x]);
  });
});
