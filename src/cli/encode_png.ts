import type { Tensor3D } from '@tensorflow/tfjs-core';
import { loadSharp } from '../io/node/load_sharp.js';
import { imageBytes } from '../io/to_uint8.js';

/** An RGB 0-255 image as a `data:image/png;base64,…` URI (for reports), scaled so its longer side is ≤ `maxSide`. */
export async function encodePngDataUri(image: Tensor3D, maxSide = 256): Promise<string> {
  const { data, width, height, channels } = await imageBytes('encodePngDataUri', image);
  const sharp = await loadSharp('encodePngDataUri');
  let pipeline = sharp(data, { raw: { width, height, channels } });
  if (Math.max(width, height) > maxSide)
    pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside' });
  const png = await pipeline.png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
