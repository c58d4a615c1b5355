import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/** A matrix or vector given as a tensor, nested arrays or a flat array. */
export type Values2D = tf.Tensor | readonly (readonly number[])[] | readonly number[] | Float32Array;

/** Reads `[N, C]` (or `[N]`, read as C = 1) values, row-major. */
export async function readMatrix(
  fn: string,
  name: string,
  x: Values2D,
): Promise<{ rows: number; cols: number; values: Float32Array | Float64Array | Int32Array | Uint8Array }> {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 1 && x.rank !== 2) {
      throw new ShapeError(`${fn}: ${name} must be [N] or [N, C], but got shape [${x.shape}].`, x.shape);
    }
    const values = (await x.data()) as Float32Array | Int32Array | Uint8Array;
    return { rows: x.shape[0]!, cols: x.rank === 2 ? x.shape[1]! : 1, values };
  }
  if (x instanceof Float32Array) return { rows: x.length, cols: 1, values: x };
  if (!Array.isArray(x)) throw invalid(fn, name, 'a tensor or an array of numbers', x);
  if (x.length > 0 && Array.isArray(x[0])) {
    const rows = x as readonly (readonly number[])[];
    const cols = rows[0]!.length;
    if (!rows.every((r) => Array.isArray(r) && r.length === cols)) {
      throw invalid(fn, name, `rows of equal length (${cols})`, x);
    }
    return { rows: rows.length, cols, values: Float64Array.from(rows.flat()) };
  }
  return { rows: x.length, cols: 1, values: Float64Array.from(x as readonly number[]) };
}
