import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Tensor3D } from '@tensorflow/tfjs-core';
import { ImageDecodeError, InvalidArgumentError } from '../../errors.js';
import { checkPixelLimit, describeSource, maxPixelsOf, type ReadImageArgs, rgbTensor } from '../pixels.js';
import { loadSharp } from './load_sharp.js';

/** What Node's `readImage` decodes: a file path or `file:` URL, or the encoded bytes. */
export type NodeImageSource = string | URL | Uint8Array | ArrayBuffer | Blob;

/**
 * Decodes an image file or buffer (JPEG, PNG 8/16-bit, TIFF, GIF, WebP) to an RGB tensor, through sharp.
 * Honours EXIF orientation; grey, grey+alpha, RGBA and CMYK become RGB; 16-bit samples keep their
 * precision (scaled to 0-255, fractional).
 *
 * @returns RGB float32 [H, W, 3], values 0-255.
 * @example
 * ```ts
 * const image = await readImage('../shared/data/drive/images/21_training.png'); // [584, 565, 3]
 * ```
 * @throws {@link ImageDecodeError} naming the source, for a missing, empty, truncated or corrupt file,
 * anything that is not an image, or an image over `maxPixels`.
 * @throws {@link InvalidArgumentError} for a source of another type, or a bad `maxPixels`.
 */
export async function readImage(source: NodeImageSource, args: ReadImageArgs = {}): Promise<Tensor3D> {
  const maxPixels = maxPixelsOf('readImage', args);
  const name = describeSource(source);
  const bytes = await readBytes(source, name);
  if (bytes.byteLength === 0) throw new ImageDecodeError(name, `readImage: ${name} is empty (0 bytes).`);
  const sharp = await loadSharp('readImage');

  let meta: { width?: number; height?: number; depth?: string; orientation?: number };
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ImageDecodeError(name, `readImage: ${name} is not a decodable image (${firstLine(e)}).`, e);
  }
  if (!meta.width || !meta.height)
    throw new ImageDecodeError(name, `readImage: ${name} has no image dimensions.`);
  checkPixelLimit(name, meta.width, meta.height, maxPixels);

  const sixteenBit = meta.depth === 'ushort';
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning' })
      .rotate() // apply EXIF orientation
      .toColourspace(sixteenBit ? 'rgb16' : 'srgb')
      .raw({ depth: sixteenBit ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const samples = sixteenBit ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : data;
    return rgbTensor(samples, info.width, info.height, info.channels, sixteenBit ? 255 / 65535 : 1);
  } catch (e) {
    throw new ImageDecodeError(name, `readImage: ${name} could not be decoded (${firstLine(e)}).`, e);
  }
}

async function readBytes(source: NodeImageSource, name: string): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob)
    return new Uint8Array(await source.arrayBuffer());
  if (typeof source === 'string' || source instanceof URL) {
    const path = source instanceof URL ? fileURLToPath(source) : source;
    try {
      return await readFile(path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : firstLine(e);
      throw new ImageDecodeError(name, `readImage: cannot read ${name}: ${why}.`, e);
    }
  }
  throw new InvalidArgumentError(
    'source',
    `readImage: source must be a path, file: URL, Uint8Array/Buffer, ArrayBuffer or Blob, but got ${name}.`,
    source,
  );
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
