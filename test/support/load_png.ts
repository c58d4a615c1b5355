import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { isNode } from '../../src/backend/platform.js';

/**
 * Decodes a committed 8-bit PNG test fixture (a path under test/fixtures/, e.g. `'opencv/drive_grey.png'`)
 * to a float32 [H, W, channels] tensor of 0-255 values, in Node (sharp) and in the browser (canvas), so a
 * suite compares against the same pixels on every backend.
 */
export async function loadPng(path: string, channels: 1 | 3): Promise<tf.Tensor3D> {
  const { data, width, height, stride } = isNode() ? await decodeInNode(path) : await decodeInBrowser(path);
  if (stride < channels) throw new Error(`loadPng: ${path} has ${stride} channels, not ${channels}`);
  const pixels = new Float32Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < channels; c++) pixels[i * channels + c] = data[i * stride + c]!;
  }
  return tf.tensor3d(pixels, [height, width, channels]);
}

interface Decoded {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** Interleaved channels per pixel in `data`. */
  stride: number;
}

async function decodeInNode(path: string): Promise<Decoded> {
  // Through variables so the browser bundle never tries to resolve Node-only modules.
  const urlModule = 'node:url';
  const sharpModule = 'sharp';
  const { fileURLToPath } = (await import(/* @vite-ignore */ urlModule)) as typeof import('node:url');
  const sharp = ((await import(/* @vite-ignore */ sharpModule)) as typeof import('sharp')).default;
  const file = fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, stride: info.channels };
}

async function decodeInBrowser(path: string): Promise<Decoded> {
  // Through a variable: Vite rewrites `new URL(`…${x}`, import.meta.url)` into an asset glob, which misses.
  const here = import.meta.url;
  const response = await fetch(new URL(`../fixtures/${path}`, here));
  if (!response.ok) throw new Error(`loadPng: fetching ${response.url} gave HTTP ${response.status}`);
  // No colour management or premultiplication: the test needs the stored 8-bit values.
  const bitmap = await createImageBitmap(await response.blob(), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  return { data, width: canvas.width, height: canvas.height, stride: 4 };
}

/** Mean and largest absolute difference between two same-shape tensors (e.g. a transform and its fixture). */
export async function absDiff(
  actual: tf.Tensor,
  expected: tf.Tensor,
): Promise<{ mean: number; max: number }> {
  expect(actual.shape).toEqual(expected.shape);
  const [mean, max] = tf.tidy(() => {
    const d = tf.abs(tf.sub(actual, expected));
    return [tf.mean(d), tf.max(d)];
  });
  const values = await Promise.all([mean.data(), max.data()]);
  tf.dispose([mean, max]);
  return { mean: values[0][0]!, max: values[1][0]! };
}

/**
 * The OpenCV fixture photos a suite compares on `backend`: all of them on the fast backends (wasm, tensorflow);
 * the first on cpu (plain JS) and on WebGL/WebGPU, which run on SwiftShader here, where compiling shaders for
 * every new shape dominates. Every backend is still checked against OpenCV on a real photo.
 */
export function fixturePhotos<T>(photos: readonly T[], backend: string): readonly T[] {
  return backend === 'wasm' || backend === 'tensorflow' ? photos : photos.slice(0, 1);
}
