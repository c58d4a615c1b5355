import { type Tensor3D, tensor3d } from '@tensorflow/tfjs-core';
import { ImageDecodeError, InvalidArgumentError } from '../errors.js';

/** Default decompression-bomb guard: 50 megapixels (a 4288×2848 IDRiD photo is 12.2 MP). */
export const DEFAULT_MAX_PIXELS = 50_000_000;

/** Arguments shared by every `readImage`. */
export interface ReadImageArgs {
  /**
   * Largest image (width × height) that will be decoded; bigger ones throw before their pixels are
   * allocated, guarding against decompression bombs.
   * @defaultValue 50 000 000
   */
  maxPixels?: number;
}

export function maxPixelsOf(fn: string, args: ReadImageArgs): number {
  const max = args.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isFinite(max) || max < 1) {
    throw new InvalidArgumentError(
      'maxPixels',
      `${fn}: maxPixels must be a positive number, but got ${max}.`,
      max,
    );
  }
  return max;
}

export function checkPixelLimit(source: string, width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new ImageDecodeError(
      source,
      `readImage: ${source} is ${width}×${height} = ${((width * height) / 1e6).toFixed(1)} MP, over the limit of ` +
        `${(maxPixels / 1e6).toFixed(1)} MP (raise maxPixels if the image is trusted).`,
    );
  }
}

/**
 * Interleaved pixels with `channels` per pixel → RGB float32 [H, W, 3] in 0-255. Grey is replicated; alpha
 * is dropped (fundus photos carry no meaningful transparency). `scale` maps 16-bit samples to 0-255.
 */
export function rgbTensor(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  scale = 1,
): Tensor3D {
  if (channels === 3 && scale === 1) return tensor3d(Float32Array.from(data), [height, width, 3]);
  const out = new Float32Array(width * height * 3);
  const grey = channels < 3;
  for (let p = 0, i = 0; p < width * height; p++, i += channels) {
    const r = data[i]! * scale;
    out[p * 3] = r;
    out[p * 3 + 1] = grey ? r : data[i + 1]! * scale;
    out[p * 3 + 2] = grey ? r : data[i + 2]! * scale;
  }
  return tensor3d(out, [height, width, 3]);
}

/** A short description of a source for error messages. */
export function describeSource(source: unknown): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  const name = (source as { name?: unknown })?.name;
  if (typeof name === 'string' && name !== '') return name;
  const ctor = (source as object)?.constructor?.name ?? typeof source;
  const size =
    (source as { byteLength?: number; size?: number })?.byteLength ?? (source as { size?: number })?.size;
  return size === undefined ? `<${ctor}>` : `<${ctor} of ${size} bytes>`;
}
