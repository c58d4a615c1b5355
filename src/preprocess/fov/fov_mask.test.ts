import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  bandMask,
  discMask,
  maskIoU,
  type SyntheticDiscArgs,
  syntheticDisc,
} from '../../../test/fixtures/fov/synthetic_discs.js';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { fovCircle } from './fov_circle.js';
import { fovCircleTensor } from './fov_circle_tensor.js';
import { fovMask } from './fov_mask.js';

// Synthetic images on every backend, Node and Chromium. The real photographs (DRIVE's ground-truth masks,
// EyePACS, IDRiD) are checked in fov_real_photos.node.test.ts: they sit outside the project root, where the
// browser test server does not serve files (Vite's server.fs.allow), and software WebGL/WebGPU would make 40
// photos slow.
//
// Known circles on the hard surrounds (all 120×150, so one batch per backend keeps the slow software-GPU backends
// quick): centres and radii off the pixel grid, a dark and vignetted disc, a circle the frame cuts at the top and
// bottom, JPEG-like block noise.
const H = 120;
const W = 150;
const CASES: Record<string, SyntheticDiscArgs> = {
  black: { height: H, width: W, cx: 74.3, cy: 61.6, r: 52.4 },
  grey: { height: H, width: W, cx: 76.5, cy: 58.2, r: 50, surround: [128, 128, 128] },
  coloured: { height: H, width: W, cx: 73, cy: 60.5, r: 54.7, surround: [30, 60, 120] },
  dark: { height: H, width: W, cx: 75, cy: 59, r: 51.5, fundus: [40, 20, 10], rimBrightness: 0.4, noise: 2 },
  notched: { height: H, width: W, cx: 75.2, cy: 59.5, r: 68.3 },
  jpeg: { height: H, width: W, cx: 73.6, cy: 60.1, r: 53, noise: 5, blockNoise: 6 },
};

function batchOf(cases: SyntheticDiscArgs[]): tf.Tensor4D {
  return tf.tidy(() => tf.stack(cases.map(syntheticDisc)) as tf.Tensor4D);
}

/** Computes a tensor in a tidy, reads it and disposes it. */
async function read(f: () => tf.Tensor): Promise<number[]> {
  const t = tf.tidy(f);
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

describeEachBackend('fovMask', () => {
  // Detection is the slow part on the software-rendered GPU backends, so each case is detected once: fovCircle
  // finds the circles, fovMask rasterises them (its own detection path is covered by the band case below).
  it('finds known circles to within a pixel on black, grey and coloured surrounds, dark, notched and noisy', async () => {
    const cases = Object.values(CASES);
    const images = batchOf(cases);
    const circles = await expectNoLeaks(() => fovCircle(images));
    const masks = await expectNoLeaks(() => fovMask(images, { circle: circles }));
    expect(masks.shape).toEqual([cases.length, H, W, 1]);
    for (const [i, [name, c]] of Object.entries(CASES).entries()) {
      const found = circles[i]!;
      expect(Math.abs(found.cx - c.cx), `${name} cx`).toBeLessThan(1);
      expect(Math.abs(found.cy - c.cy), `${name} cy`).toBeLessThan(1);
      expect(Math.abs(found.r - c.r), `${name} r`).toBeLessThan(1);
      const [iou] = await read(() =>
        maskIoU(
          tf.squeeze(tf.slice(masks, [i, 0, 0, 0], [1, -1, -1, -1]), [0]),
          discMask(H, W, c.cx, c.cy, c.r),
        ),
      );
      expect(iou, `${name} IoU`).toBeGreaterThanOrEqual(0.98);
    }
    tf.dispose([images, masks]);
  });

  it('maps the circle back through the working-copy downscale (a 400×520 photo detected at 256 px)', async () => {
    const c = { height: 400, width: 520, cx: 261.3, cy: 198.8, r: 181.6, noise: 3, blockNoise: 4 };
    const image = syntheticDisc(c);
    const mask = fovMask(image);
    const [iou] = await read(() => maskIoU(mask, discMask(c.height, c.width, c.cx, c.cy, c.r)));
    expect(iou).toBeGreaterThanOrEqual(0.99);
    // IoU 0.99 at r = 182 bounds the radius error to about 1 px; the mask's centroid checks the centre.
    const [sx, sy, n] = await read(() => {
      const xs = tf.reshape(tf.range(0, c.width), [1, c.width, 1]);
      const ys = tf.reshape(tf.range(0, c.height), [c.height, 1, 1]);
      return tf.stack([tf.sum(tf.mul(mask, xs)), tf.sum(tf.mul(mask, ys)), tf.sum(mask)]);
    });
    expect(Math.abs(sx! / n! - c.cx)).toBeLessThan(1);
    expect(Math.abs(sy! / n! - c.cy)).toBeLessThan(1);
    tf.dispose([image, mask]);
  });

  it('leaves out a black band that cuts the circle flat inside the frame', async () => {
    // The disc spans rows −6…126 (cut by the frame); black bands leave rows 9…111.
    const c = { height: H, width: W, cx: 75, cy: 60, r: 66, band: 15 };
    const image = syntheticDisc(c);
    const mask = fovMask(image);
    const [iou] = await read(() =>
      maskIoU(
        mask,
        tf.mul(discMask(H, W, c.cx, c.cy, c.r), bandMask(H, W, c.cy - c.r + c.band, c.cy + c.r - c.band)),
      ),
    );
    expect(iou).toBeGreaterThanOrEqual(0.98);
    const rows = await read(() => tf.sum(mask, [1, 2]));
    expect(rows[0]).toBe(0); // the frame's top row is surround
    expect(rows[c.cy - c.r + c.band - 2]).toBe(0); // inside the band
    expect(rows[c.cy - c.r + c.band + 2]).toBeGreaterThan(0);
    tf.dispose([image, mask]);
  });

  it('keeps the rank, takes grey and int32 images, scales the radius and uses a given circle', async () => {
    const c = CASES.black!;
    const rgb = syntheticDisc(c);
    const grey = tf.tidy(() => tf.mean(rgb, -1, true) as tf.Tensor3D);
    const ints = tf.tidy(() => tf.cast(tf.round(rgb), 'int32') as tf.Tensor3D);
    const masks = await expectNoLeaks(() => [
      fovMask(rgb),
      fovMask(grey),
      fovMask(ints),
      fovMask(rgb, { circle: { cx: c.cx, cy: c.cy, r: c.r }, radiusScale: 0.5 }),
      fovMask(rgb, { circle: { cx: 20, cy: 30, r: 10.5 } }),
    ]);
    for (const m of masks) {
      expect(m.shape).toEqual([H, W, 1]);
      expect(m.dtype).toBe('float32');
    }
    const [fromRgb, fromGrey, fromInts, half, given] = masks as tf.Tensor3D[];
    for (const m of [fromRgb!, fromGrey!, fromInts!]) {
      const [iou] = await read(() => maskIoU(m, discMask(H, W, c.cx, c.cy, c.r)));
      expect(iou).toBeGreaterThanOrEqual(0.98);
    }
    expect(Array.from(await half!.data())).toEqual(await read(() => discMask(H, W, c.cx, c.cy, c.r * 0.5)));
    expect(Array.from(await given!.data())).toEqual(await read(() => discMask(H, W, 20, 30, 10.5)));
    tf.dispose([rgb, grey, ints, ...masks]);
  });

  it('gives an all-zero mask (NaN circle) when there is no field of view, NaN for a NaN image; fovCircle throws', async () => {
    const flat = tf.fill([40, 50, 3], 128) as tf.Tensor3D;
    const disc = syntheticDisc({ height: 40, width: 50, cx: 25, cy: 20, r: 16 });
    const withNaN = tf.tidy(
      () => tf.where(tf.equal(tf.reshape(tf.range(0, 50), [1, 50, 1]), 30), NaN, disc) as tf.Tensor3D,
    );
    const [none, nan] = await expectNoLeaks(() => [fovMask(flat), fovMask(withNaN)]);
    expect(await read(() => tf.sum(none!))).toEqual([0]);
    expect(Array.from(await nan!.data()).every(Number.isNaN)).toBe(true);
    const error = await fovCircle(flat).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('image');
    expect((error as Error).message).toBe(
      'fovCircle: no field of view found: nothing differs from the surround (the image corners) by at least minContrast = 10.',
    );
    await expect(fovCircle(withNaN)).rejects.toThrow('fovCircle: image holds NaN values.');
    const black = tf.zeros([40, 50, 3]);
    const batch = tf.stack([disc, black]) as tf.Tensor4D;
    await expect(fovCircle(batch)).rejects.toThrow('no field of view found (image 1 of the batch)');
    // The tensor form cannot throw on data: NaN marks the image without a field of view.
    const circles = await expectNoLeaks(() => fovCircleTensor(batch));
    expect(circles.shape).toEqual([2, 3]);
    const [found, missing] = (await circles.array()) as number[][];
    expect(found![0]).toBeCloseTo(25, 0);
    expect(found![2]).toBeCloseTo(16, 0);
    expect(missing!.every(Number.isNaN)).toBe(true);
    tf.dispose([flat, disc, withNaN, none!, nan!, black, batch, circles]);
  });

  it('names the function and the value for wrong input', () => {
    const flat = tf.zeros([64, 64]);
    const rgba = tf.zeros([64, 64, 4]);
    const tiny = tf.zeros([4, 64, 3]);
    const image = tf.zeros([64, 64, 3]) as tf.Tensor3D;
    expect(() => fovMask(flat as never)).toThrow(ShapeError);
    expect(() => fovMask(flat as never)).toThrow(
      'fovMask: image must be rank 3 or 4, but got rank 2 (shape [64,64]).',
    );
    expect(() => fovMask(rgba as never)).toThrow(
      'fovMask: image must have 1 or 3 channels, but got 4 (shape [64,64,4]).',
    );
    expect(() => fovMask(tiny as never)).toThrow(
      'fovMask: image must be at least 8×8 pixels, but got shape [4,64,3].',
    );
    expect(() => fovMask(image, { radiusScale: 0 })).toThrow(
      'fovMask: radiusScale must be a positive number, but got 0.',
    );
    expect(() => fovMask(image, { workingSize: 8 })).toThrow(InvalidArgumentError);
    expect(() => fovMask(image, { minContrast: Number.NaN })).toThrow(
      'fovMask: minContrast must be a positive number, but got NaN.',
    );
    expect(() => fovMask(image, { circle: { cx: 1, cy: 2, r: -3 } })).toThrow(
      'fovMask: circle must be {cx, cy, r} with finite numbers and r > 0, but got {"cx":1,"cy":2,"r":-3}.',
    );
    tf.dispose([flat, rgba, tiny, image]);
  });
});
