import type { Tensor } from '@tensorflow/tfjs-core';
import { imageBytes } from '../to_uint8.js';

/**
 * Draws an image tensor on a canvas (a new OffscreenCanvas unless one is given, resized to fit).
 *
 * @param image [H, W, 1|3|4], values 0-255 (clipped and rounded).
 * @example
 * ```ts
 * await toCanvas(overlay(image, heatmap), document.querySelector('canvas')!);
 * ```
 * @throws {@link ShapeError} for another shape.
 */
export async function toCanvas<C extends HTMLCanvasElement | OffscreenCanvas = OffscreenCanvas>(
  image: Tensor,
  canvas?: C,
): Promise<C> {
  const { data, width, height, channels } = await imageBytes('toCanvas', image);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const i = p * channels;
    rgba[p * 4] = data[i]!;
    rgba[p * 4 + 1] = channels === 1 ? data[i]! : data[i + 1]!;
    rgba[p * 4 + 2] = channels === 1 ? data[i]! : data[i + 2]!;
    rgba[p * 4 + 3] = channels === 4 ? data[i + 3]! : 255;
  }
  const target = canvas ?? (new OffscreenCanvas(width, height) as C);
  target.width = width;
  target.height = height;
  const context = target.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  context.putImageData(new ImageData(rgba, width, height), 0, 0);
  return target;
}

/** Arguments of {@link toBlob}. */
export interface ToBlobArgs {
  /**
   * MIME type of the encoded image.
   * @defaultValue 'image/png'
   */
  type?: 'image/png' | 'image/jpeg' | 'image/webp';
  /**
   * Quality 0-1 for lossy types.
   * @defaultValue 0.92
   */
  quality?: number;
}

/** Encodes an image tensor ([H, W, 1|3|4], 0-255) as a PNG/JPEG/WebP Blob, e.g. for a download link. */
export async function toBlob(image: Tensor, args: ToBlobArgs = {}): Promise<Blob> {
  const canvas = await toCanvas(image);
  return canvas.convertToBlob({ type: args.type ?? 'image/png', quality: args.quality ?? 0.92 });
}
