import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import fixtures from '../../../test/fixtures/io/opencv_decodes.json' with { type: 'json' };
import { useBackend } from '../../../test/support/backends.js';
import { dataPath } from '../../../test/support/shared_data.js';
import { ImageDecodeError, InvalidArgumentError, ShapeError } from '../../errors.js';
import { readImage } from './read_image.js';
import { writeImage } from './write_image.js';

const tmp = mkdtempSync(join(tmpdir(), 'fundus-io-'));

/** Encodes raw interleaved bytes with sharp (the encoder under test is not ours: readImage decodes). */
function encode(pixels: number[], width: number, height: number, channels: 1 | 2 | 3 | 4) {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels } });
}

beforeAll(() => useBackend('cpu'));

describe('readImage (Node) on real photos', () => {
  it.each(fixtures.images)(
    'decodes $file like OpenCV does',
    async ({ file, shape, channelMeans, pixels }) => {
      const image = await readImage(dataPath(file));
      expect(image.shape).toEqual(shape);
      const data = await image.data();
      const sums = [0, 0, 0];
      for (let i = 0; i < data.length; i++) sums[i % 3]! += data[i]!;
      const means = sums.map((sum) => sum / (data.length / 3));
      // PNG is lossless (exact); JPEG decoders may round IDCT output differently (±1 grey level at most here).
      const lossless = file.endsWith('.png');
      for (let c = 0; c < 3; c++)
        expect(Math.abs(means[c]! - channelMeans[c]!)).toBeLessThan(lossless ? 1e-6 : 0.5);
      for (const { y, x, rgb } of pixels) {
        const got = Array.from(data.slice((y * shape[1]! + x) * 3, (y * shape[1]! + x) * 3 + 3));
        for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - rgb[c]!)).toBeLessThanOrEqual(lossless ? 0 : 2);
      }
      image.dispose();
    },
  );
});

describe('readImage (Node) formats and colour layouts', () => {
  it('reads grey, grey+alpha, RGB and RGBA PNGs as RGB, dropping alpha', async () => {
    const cases: [1 | 2 | 3 | 4, number[], number[]][] = [
      [1, [10, 200], [10, 10, 10, 200, 200, 200]],
      [2, [10, 255, 200, 0], [10, 10, 10, 200, 200, 200]],
      [3, [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]],
      [4, [1, 2, 3, 0, 4, 5, 6, 255], [1, 2, 3, 4, 5, 6]],
    ];
    for (const [channels, pixels, rgb] of cases) {
      const image = await readImage(await encode(pixels, 2, 1, channels).png().toBuffer());
      expect(image.shape).toEqual([1, 2, 3]);
      expect(Array.from(await image.data()), `${channels} channels`).toEqual(rgb);
      image.dispose();
    }
  });

  it('keeps the precision of 16-bit PNGs (scaled to 0-255)', async () => {
    const samples = new Uint16Array([0, 257, 65535, 1000, 30000, 65280]);
    // A Uint16Array input tells sharp the raw samples are 16-bit.
    const png = await sharp(samples, { raw: { width: 2, height: 1, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).depth).toBe('ushort');
    const image = await readImage(png);
    const got = Array.from(await image.data());
    for (const [i, s] of samples.entries()) expect(got[i]).toBeCloseTo((s * 255) / 65535, 3);
    image.dispose();
  });

  it('applies EXIF orientation (6 = rotate 90° clockwise)', async () => {
    // 3 wide × 2 high, distinct red values per pixel, tagged "rotate 90° CW to display".
    const jpeg = await encode([10, 0, 0, 60, 0, 0, 110, 0, 0, 160, 0, 0, 210, 0, 0, 250, 0, 0], 3, 2, 3)
      .withMetadata({ orientation: 6 })
      .png()
      .toBuffer();
    const image = await readImage(jpeg);
    expect(image.shape).toEqual([3, 2, 3]);
    // After a clockwise turn the bottom-left pixel (160) is top-left, the top-left (10) is top-right.
    const red = Array.from(await image.data()).filter((_, i) => i % 3 === 0);
    expect(red).toEqual([160, 10, 210, 60, 250, 110]);
    image.dispose();
  });

  it('converts CMYK JPEGs to RGB', async () => {
    const cmyk = await encode([200, 30, 30, 30, 200, 30], 2, 1, 3)
      .toColourspace('cmyk')
      .jpeg({ quality: 100 })
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const image = await readImage(cmyk);
    const got = Array.from(await image.data());
    // Colour-managed CMYK round trips shift hues a little; red must stay reddest, green greenest.
    expect(got[0]).toBeGreaterThan(Math.max(got[1]!, got[2]!) + 50);
    expect(got[4]).toBeGreaterThan(Math.max(got[3]!, got[5]!) + 50);
    image.dispose();
  });

  it.each(['tiff', 'gif', 'webp'] as const)('reads %s', async (format) => {
    const lossless = { tiff: { compression: 'lzw' as const }, gif: {}, webp: { lossless: true } }[format];
    const bytes = await encode([255, 0, 0, 0, 0, 255], 2, 1, 3)[format](lossless).toBuffer();
    const image = await readImage(bytes);
    expect(image.shape).toEqual([1, 2, 3]);
    const got = Array.from(await image.data());
    expect(got[0]).toBeGreaterThan(200);
    expect(got[5]).toBeGreaterThan(200);
    image.dispose();
  });

  it('reads a 1×1 image, file: URLs, ArrayBuffers and Blobs', async () => {
    const png = await encode([7, 8, 9], 1, 1, 3).png().toBuffer();
    const path = join(tmp, 'one.png');
    writeFileSync(path, png);
    const arrayBuffer = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength);
    for (const source of [path, new URL(`file://${path}`), arrayBuffer, new Blob([png])]) {
      const image = await readImage(source);
      expect(Array.from(await image.data())).toEqual([7, 8, 9]);
      image.dispose();
    }
  });
});

describe('readImage (Node) failures name the source', () => {
  const expectDecodeError = async (source: Parameters<typeof readImage>[0], message: RegExp, args = {}) => {
    const error = await readImage(source, args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as Error).message).toMatch(message);
    return error as ImageDecodeError;
  };

  it('truncated JPEG', async () => {
    const jpeg = readFileSync(dataPath('eyepacs/images/10_left.jpg'));
    const path = join(tmp, 'truncated.jpg');
    writeFileSync(path, jpeg.subarray(0, jpeg.length / 2));
    const error = await expectDecodeError(path, /truncated\.jpg could not be decoded/);
    expect(error.source).toBe(path);
  });

  it('zero-byte file, text file named .jpg, missing file, directory', async () => {
    const empty = join(tmp, 'empty.jpg');
    writeFileSync(empty, '');
    await expectDecodeError(empty, /empty\.jpg is empty \(0 bytes\)/);
    const text = join(tmp, 'notes.jpg');
    writeFileSync(text, 'this is not a photo\n');
    await expectDecodeError(text, /notes\.jpg is not a decodable image/);
    await expectDecodeError(join(tmp, 'missing.jpg'), /cannot read .*missing\.jpg: no such file/);
    await expectDecodeError(tmp, /it is a directory/);
  });

  it('dimensions over the pixel limit, before decoding the pixels', async () => {
    await expectDecodeError(
      dataPath('drive/images/21_training.png'),
      /565×584 = 0\.3 MP, over the limit of 0\.1 MP/,
      {
        maxPixels: 100_000,
      },
    );
  });

  it('a source of another type, or a bad maxPixels', async () => {
    await expect(readImage(42 as never)).rejects.toThrow(InvalidArgumentError);
    await expect(readImage(42 as never)).rejects.toThrow(/source must be a path, file: URL/);
    await expect(readImage(tmp, { maxPixels: 0 })).rejects.toThrow(
      'readImage: maxPixels must be a positive number, but got 0.',
    );
  });
});

describe('writeImage (Node)', () => {
  it('round-trips a PNG exactly and a JPEG closely, and creates no stray tensors', async () => {
    const image = tf.tensor3d([0, 64, 128, 255, 12.4, 300], [1, 2, 3]);
    const before = tf.memory().numTensors;
    const png = join(tmp, 'out.png');
    await writeImage(png, image);
    expect(tf.memory().numTensors).toBe(before);
    const back = await readImage(png);
    expect(Array.from(await back.data())).toEqual([0, 64, 128, 255, 12, 255]); // rounded and clipped
    const jpg = join(tmp, 'out.jpg');
    await writeImage(jpg, tf.fill([8, 8, 3], 100), { quality: 95 });
    const jpeg = await readImage(jpg);
    expect(Math.abs((await tf.mean(jpeg).data())[0]! - 100)).toBeLessThan(2);
    tf.dispose([image, back, jpeg]);
  });

  it('rejects other extensions and shapes', async () => {
    const image = tf.zeros([2, 2, 3]);
    await expect(writeImage(join(tmp, 'x.bmp'), image)).rejects.toThrow(
      /writeImage: path must end in \.png, \.jpg or \.jpeg, but got '.*x\.bmp'\./,
    );
    await expect(writeImage(join(tmp, 'x.png'), tf.zeros([2, 2]))).rejects.toThrow(ShapeError);
    await expect(writeImage(join(tmp, 'x.png'), tf.zeros([2, 2, 2]))).rejects.toThrow(
      'writeImage: image must be [H, W, 1|3|4], but got shape [2,2,2].',
    );
    await expect(writeImage(join(tmp, 'x.jpg'), image, { quality: 0 })).rejects.toThrow(InvalidArgumentError);
    image.dispose();
  });
});
