import type * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Reads a scalar and disposes it. */
export async function readScalar(t: tf.Tensor): Promise<number> {
  const [v] = await t.data();
  t.dispose();
  return v!;
}

/** `|actual − expected| ≤ rel · |expected|` (plus `abs` for values near 0). */
export function expectRelClose(
  actual: number,
  expected: number,
  rel = 1e-5,
  abs = 1e-7,
  label?: string,
): void {
  const err = Math.abs(actual - expected);
  expect(err, `${label ?? ''} ${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}

/** One-hot rows for class indices. */
export function oneHotRows(classes: readonly number[], k: number): number[][] {
  return classes.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));
}

/** Plain-number sigmoid and log-sigmoid for hand-computed references. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
