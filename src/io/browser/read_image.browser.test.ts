import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../test/support/backends.js';
import { ImageDecodeError, InvalidArgumentError, ShapeError } from '../../errors.js';
import { readImage } from './read_image.js';
import { toBlob, toCanvas } from './to_canvas.js';

/** A 2×1 RGBA ImageData: red, then half-transparent blue (alpha must be dropped, not blended). */
const pixels = () => new ImageData(new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]), 2, 1);

beforeAll(() => useBackend('cpu'));

describe('readImage (browser)', () => {
  it('reads ImageData, canvases and ImageBitmaps exactly', async () => {
    const canvas = new OffscreenCanvas(2, 1);
    canvas.getContext('2d')!.putImageData(pixels(), 0, 0);
    const bitmap = await createImageBitmap(canvas);
    for (const source of [pixels(), canvas, bitmap]) {
      const image = await readImage(source);
      expect(image.shape).toEqual([1, 2, 3]);
      expect(Array.from(await image.data())).toEqual([255, 0, 0, 0, 0, 255]);
      image.dispose();
    }
  });

  it('decodes a PNG Blob and a fetched URL', async () => {
    const blob = await toBlob(tf.tensor3d([10, 20, 30, 200, 100, 50], [1, 2, 3]));
    expect(blob.type).toBe('image/png');
    const image = await readImage(blob);
    expect(Array.from(await image.data())).toEqual([10, 20, 30, 200, 100, 50]);
    const url = URL.createObjectURL(blob);
    const fetched = await readImage(url);
    expect(Array.from(await fetched.data())).toEqual([10, 20, 30, 200, 100, 50]);
    URL.revokeObjectURL(url);
    tf.dispose([image, fetched]);
  });

  it('draws tensors on a canvas (grey replicated, RGBA kept)', async () => {
    const grey = await toCanvas(tf.tensor3d([0, 128], [1, 2, 1]));
    expect(Array.from(grey.getContext('2d')!.getImageData(0, 0, 2, 1).data)).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255,
    ]);
    const rgba = await toCanvas(tf.tensor3d([1, 2, 3, 255], [1, 1, 4]));
    expect(Array.from(rgba.getContext('2d')!.getImageData(0, 0, 1, 1).data)).toEqual([1, 2, 3, 255]);
    await expect(toCanvas(tf.zeros([2, 2]))).rejects.toThrow(ShapeError);
  });

  it('names the source when it cannot decode', async () => {
    const corrupt = new File([new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3])], 'broken.jpg', {
      type: 'image/jpeg',
    });
    const error = await readImage(corrupt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).source).toBe('broken.jpg');
    expect((error as Error).message).toMatch(/^readImage: broken\.jpg is not a decodable image/);
    await expect(readImage(new File([], 'empty.png'))).rejects.toThrow(
      'readImage: empty.png is empty (0 bytes).',
    );
    await expect(readImage(`${location.origin}/no/such/image.png`)).rejects.toThrow(ImageDecodeError);
    await expect(readImage(pixels(), { maxPixels: 1 })).rejects.toThrow(/over the limit/);
    await expect(readImage(42 as never)).rejects.toThrow(InvalidArgumentError);
  });
});
