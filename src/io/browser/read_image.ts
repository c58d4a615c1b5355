import type { Tensor3D } from '@tensorflow/tfjs-core';
import { ImageDecodeError, InvalidArgumentError } from '../../errors.js';
import { checkPixelLimit, describeSource, maxPixelsOf, type ReadImageArgs, rgbTensor } from '../pixels.js';

/** What the browser `readImage` accepts: decoded images, canvases, pixel data, encoded files, or a URL. */
export type BrowserImageSource =
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | ImageBitmap
  | ImageData
  | Blob
  | string
  | URL;

/**
 * Reads an image in the browser (or a worker) to an RGB tensor. Blobs/Files and URLs are decoded with
 * `createImageBitmap`, which applies EXIF orientation; alpha is dropped.
 *
 * @returns RGB float32 [H, W, 3], values 0-255.
 * @example
 * ```ts
 * const image = await readImage(fileInput.files[0]);
 * ```
 * @throws {@link ImageDecodeError} naming the source for an empty, corrupt or unreachable input, or one over
 * `maxPixels`; {@link InvalidArgumentError} for another type of source.
 */
export async function readImage(source: BrowserImageSource, args: ReadImageArgs = {}): Promise<Tensor3D> {
  const maxPixels = maxPixelsOf('readImage', args);
  const name = describeSource(source);
  if (typeof ImageData !== 'undefined' && source instanceof ImageData) {
    checkPixelLimit(name, source.width, source.height, maxPixels);
    return rgbTensor(source.data, source.width, source.height, 4);
  }
  const drawable = await toDrawable(source, name);
  const { width, height } = drawable;
  if (!width || !height)
    throw new ImageDecodeError(name, `readImage: ${name} has no pixels (${width}×${height}).`);
  checkPixelLimit(name, width, height, maxPixels);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(drawable, 0, 0);
  if (drawable !== source && drawable instanceof ImageBitmap) drawable.close();
  return rgbTensor(context.getImageData(0, 0, width, height).data, width, height, 4);
}

type Drawable = Exclude<BrowserImageSource, ImageData | Blob | string | URL>;

async function toDrawable(source: BrowserImageSource, name: string): Promise<Drawable> {
  if (typeof source === 'string' || source instanceof URL) return decode(await fetchBlob(source, name), name);
  if (source instanceof Blob) return decode(source, name);
  if (
    (typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement) ||
    (typeof HTMLCanvasElement !== 'undefined' && source instanceof HTMLCanvasElement) ||
    (typeof OffscreenCanvas !== 'undefined' && source instanceof OffscreenCanvas) ||
    (typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap)
  ) {
    if (source instanceof HTMLImageElement && !source.complete) await source.decode();
    return source as Drawable;
  }
  throw new InvalidArgumentError(
    'source',
    `readImage: source must be an image element, canvas, ImageBitmap, ImageData, Blob/File or URL, but got ${name}.`,
    source,
  );
}

async function fetchBlob(url: string | URL, name: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ImageDecodeError(name, `readImage: cannot fetch ${name} (${(e as Error).message}).`, e);
  }
  if (!response.ok)
    throw new ImageDecodeError(name, `readImage: cannot fetch ${name} (HTTP ${response.status}).`);
  return response.blob();
}

async function decode(blob: Blob, name: string): Promise<ImageBitmap> {
  if (blob.size === 0) throw new ImageDecodeError(name, `readImage: ${name} is empty (0 bytes).`);
  try {
    return await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch (e) {
    throw new ImageDecodeError(
      name,
      `readImage: ${name} is not a decodable image (${(e as Error).message}).`,
      e,
    );
  }
}
