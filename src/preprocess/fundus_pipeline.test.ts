import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { benGraham } from './ben_graham.js';
import { cropToFov } from './fov/crop_to_fov.js';
import { fundusPipeline } from './fundus_pipeline.js';
import { resize } from './resize.js';
import { IMAGENET_BGR_MEAN } from './vgg_preprocess.js';

// A hand-made photo: 80×120, a flat disc of colour C (radius 30, centre row 40, column 70) on black.
const H = 80;
const W = 120;
const CY = 40;
const CX = 70;
const R = 30;
const C = [200, 100, 50];

function disc(channels: 1 | 3 = 3): tf.Tensor3D {
  const data = new Float32Array(H * W * channels);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if ((y - CY) ** 2 + (x - CX) ** 2 > R * R) continue;
      for (let c = 0; c < channels; c++) data[(y * W + x) * channels + c] = C[c]!;
    }
  }
  return tf.tensor3d(data, [H, W, channels]);
}

async function pixel(image: tf.Tensor3D, y: number, x: number): Promise<number[]> {
  const [, w, c] = image.shape;
  const data = await image.data();
  return Array.from(data.slice((y * w + x) * c, (y * w + x + 1) * c));
}

describeEachBackend('fundusPipeline', () => {
  it('crops to the field of view: the disc fills a size × size square, centred, with its circle and box', async () => {
    const photo = disc();
    const { image, circle, box, originalSize } = await fundusPipeline({ size: 32 })(photo);
    expect(image.shape).toEqual([32, 32, 3]);
    expect(originalSize).toEqual([H, W]);
    expect(Math.abs(circle!.cx - CX)).toBeLessThan(1);
    expect(Math.abs(circle!.cy - CY)).toBeLessThan(1);
    expect(Math.abs(circle!.r - R)).toBeLessThan(1);
    expect(box!.height).toBe(box!.width);
    expect(Math.abs(box!.height - 2 * R)).toBeLessThanOrEqual(2);
    const centre = await pixel(image, 16, 16);
    for (const [i, v] of centre.entries()) expect(v).toBeCloseTo(C[i]!, 3);
    expect(await pixel(image, 0, 0)).toEqual([0, 0, 0]); // the square's corner lies outside the disc
    tf.dispose([photo, image]);
  });

  it('masks outside maskRadius · r to black before the colour step', async () => {
    const photo = disc();
    const { image } = await fundusPipeline({ size: 32, mask: true, maskRadius: 0.5 })(photo);
    // 0.5 r = 8 output pixels: row 16 column 16 + 6 is inside, + 11 outside.
    expect((await pixel(image, 16, 22))[0]).toBeCloseTo(C[0]!, 3);
    expect(await pixel(image, 16, 27)).toEqual([0, 0, 0]);
    tf.dispose([photo, image]);
  });

  it('without crop, resizes the whole photo and masks an ellipse (the circle stretched)', async () => {
    const photo = disc();
    const { image, box, circle } = await fundusPipeline({ size: 32, crop: false, mask: true })(photo);
    expect(box).toBeNull();
    expect(circle).not.toBeNull();
    // The disc's centre in output pixels: x (70.5)·32/120 − 0.5 = 18.3, y (40.5)·32/80 − 0.5 = 15.7; radii 8 (x), 12 (y).
    expect((await pixel(image, 16, 18))[0]).toBeCloseTo(C[0]!, 3);
    expect((await pixel(image, 16, 29))[0]).toBe(0); // 10.7 px right of the centre: outside rx = 8
    expect((await pixel(image, 26, 18))[0]).toBeGreaterThan(0); // 10.3 px below: inside ry = 12
    tf.dispose([photo, image]);
  });

  it('greyscale gives BT.601 luma in three equal channels; a one-channel photo gives three channels', async () => {
    const photo = disc();
    const { image } = await fundusPipeline({ size: 16, colour: 'greyscale' })(photo);
    const luma = 0.299 * C[0]! + 0.587 * C[1]! + 0.114 * C[2]!;
    for (const v of await pixel(image, 8, 8)) expect(v).toBeCloseTo(luma, 2);
    const grey = disc(1);
    const fromGrey = await fundusPipeline({ size: 16 })(grey);
    expect(fromGrey.image.shape).toEqual([16, 16, 3]);
    tf.dispose([photo, image, grey, fromGrey.image]);
  });

  it("'vgg' is Keras's caffe mode and normalize applies the chosen formula", async () => {
    const photo = disc();
    const vgg = await fundusPipeline({ size: 16, colour: 'vgg' })(photo);
    const bgr = [C[2]!, C[1]!, C[0]!];
    for (const [i, v] of (await pixel(vgg.image, 8, 8)).entries())
      expect(v).toBeCloseTo(bgr[i]! - IMAGENET_BGR_MEAN[i]!, 2);
    const tfMode = await fundusPipeline({ size: 16, normalize: 'tf' })(photo);
    for (const [i, v] of (await pixel(tfMode.image, 8, 8)).entries())
      expect(v).toBeCloseTo(C[i]! / 127.5 - 1, 4);
    tf.dispose([photo, vgg.image, tfMode.image]);
  });

  it("'benGraham' is mid-grey on a flat disc and 128 outside 0.9 r", async () => {
    const photo = disc();
    const { image } = await fundusPipeline({ size: 32, colour: 'benGraham' })(photo);
    for (const v of await pixel(image, 16, 16)) expect(v).toBeCloseTo(128, 1);
    for (const v of await pixel(image, 16, 31)) expect(v).toBe(128);
    tf.dispose([photo, image]);
  });

  it("area + 'benGraham' (resized straight from the photo, mask fused) equals the step-by-step composition", async () => {
    // A textured disc cut by the frame's bottom edge, so the crop box leaves the photo (zero padding) and
    // 63 px → 24 is not a whole factor (the banded area products).
    const [h, w, cy, cx, r] = [66, 90, 36, 44, 31];
    const data = new Float32Array(h * w * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if ((y - cy) ** 2 + (x - cx) ** 2 > r * r) continue;
        const t = 0.6 + 0.4 * Math.sin(x / 3) * Math.cos(y / 5);
        for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = C[c]! * t;
      }
    }
    const photo = tf.tensor3d(data, [h, w, 3]);
    const size = 24;
    const prepare = fundusPipeline({ size, colour: 'benGraham', fov: { workingSize: 64 } });
    const got = await prepare(photo);
    const { image: crop, box, circle } = await cropToFov(photo, { workingSize: 64, square: true });
    expect(got.box).toEqual(box);
    expect(box.top + box.height).toBeGreaterThan(h); // the box does leave the frame
    const radius = (circle.r * size) / box.height;
    const want = tf.tidy(() =>
      benGraham(resize(crop, size, { method: 'area' }), { radius, maskRadius: null }),
    );
    const [ours, theirs] = [await got.image.data(), await want.data()];
    // The mask by its formula: pixel centres within 0.9 r of the circle mapped to output pixels.
    const ocy = (circle.cy - box.top + 0.5) * (size / box.height) - 0.5;
    const ocx = (circle.cx - box.left + 0.5) * (size / box.width) - 0.5;
    let inside = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const e = ((y - ocy) ** 2 + (x - ocx) ** 2) / (0.9 * radius) ** 2;
        if (Math.abs(e - 1) < 1e-4) continue;
        inside += e < 1 ? 1 : 0;
        for (let c = 0; c < 3; c++) {
          const i = (y * size + x) * 3 + c;
          if (e < 1) expect(Math.abs(ours[i]! - theirs[i]!)).toBeLessThan(0.02);
          else expect(ours[i]).toBe(128);
        }
      }
    }
    expect(inside).toBeGreaterThan(300);
    tf.dispose([photo, got.image, crop, want]);
  });

  it('leaves no tensors behind and does not dispose its input', async () => {
    const photo = disc();
    const prepare = fundusPipeline({ size: 16, colour: 'clahe', mask: true });
    const ben = fundusPipeline({ size: 24, colour: 'benGraham' }); // the fused area path
    await expectNoLeaks(async () => {
      const { image } = await prepare(photo);
      image.dispose();
      (await ben(photo)).image.dispose();
    });
    expect(photo.isDisposed).toBe(false);
    photo.dispose();
  });

  it('rejects bad arguments and photos with typed errors naming them', async () => {
    expect(() => fundusPipeline({ colour: 'sepia' as 'original' })).toThrow(InvalidArgumentError);
    expect(() => fundusPipeline({ colour: 'sepia' as 'original' })).toThrow(/colour/);
    expect(() => fundusPipeline({ colour: 'vgg', normalize: 'tf' })).toThrow(/normalize/);
    expect(() => fundusPipeline({ size: 0 })).toThrow(/size/);
    const batch = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    await expect(fundusPipeline()(batch as unknown as tf.Tensor3D)).rejects.toThrow(ShapeError);
    const black = tf.zeros([32, 32, 3]) as tf.Tensor3D;
    await expect(fundusPipeline()(black)).rejects.toThrow(InvalidArgumentError); // no field of view
    expect(() => fundusPipeline({ margin: -1 })).toThrow(/margin/);
    expect(() => fundusPipeline({ benGraham: { scale: Number.NaN } })).toThrow(/benGraham.scale/);
    // NaN in the last rows, past the working copy's whole blocks (83 = 10 · 8 + 3), is still found.
    const holed = tf.tidy(() => tf.concat([disc(), tf.fill([3, W, 3], Number.NaN)], 0)) as tf.Tensor3D;
    await expect(fundusPipeline({ fov: { workingSize: 16 } })(holed)).rejects.toThrow(/NaN/);
    holed.dispose();
    tf.dispose([batch, black]);
  });
});
