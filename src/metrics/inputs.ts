import { Tensor } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.js';

/**
 * One value per sample: a plain array, a typed array, or a rank-1 tensor (a `[n, 1]` tensor counts as a
 * vector too). Tensors are read synchronously (`dataSync`); on WebGL/WebGPU prefer `await t.data()` first.
 */
export type MetricVector = ArrayLike<number> | Tensor;

/**
 * One row per sample, one column per class or label: an array of rows (plain or typed arrays, all the same
 * length) or a rank-2 tensor `[n, k]`.
 */
export type MetricMatrix = readonly ArrayLike<number>[] | Tensor;

/** Samples in row-major order. `k` = 1 for a vector. */
export interface Table {
  n: number;
  k: number;
  rank: 1 | 2;
  data: Float64Array;
}

function describe(value: unknown): string {
  if (value instanceof Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'number' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `'${value}'`;
  return typeof value;
}

function isRowList(x: unknown): x is readonly ArrayLike<number>[] {
  if (!Array.isArray(x) || x.length === 0) return false;
  const first = x[0] as unknown;
  return typeof first === 'object' && first !== null && 'length' in first;
}

/** Reads a vector or a matrix into a {@link Table}; checks it is non-empty and finite. */
export function readTable(fn: string, name: string, x: unknown): Table {
  let table: Table;
  if (x instanceof Tensor) {
    if (x.rank !== 1 && x.rank !== 2) {
      throw new InvalidArgumentError(
        name,
        `${fn}: ${name} must be a rank-1 or rank-2 tensor, but got rank ${x.rank} (shape [${x.shape.join(', ')}]).`,
        x.shape,
      );
    }
    const data = Float64Array.from(x.dataSync());
    const [n = 0, k = 1] = x.shape;
    table = { n, k: x.rank === 1 ? 1 : k, rank: x.rank === 1 ? 1 : 2, data };
  } else if (isRowList(x)) {
    const k = x[0]!.length;
    const data = new Float64Array(x.length * k);
    x.forEach((row, i) => {
      if (row === null || typeof row !== 'object' || row.length !== k) {
        throw new InvalidArgumentError(
          name,
          `${fn}: every row of ${name} must have ${k} values (as row 0), but row ${i} has ${row?.length}.`,
          row,
        );
      }
      for (let j = 0; j < k; j++) data[i * k + j] = Number(row[j]);
    });
    table = { n: x.length, k, rank: 2, data };
  } else if (x !== null && typeof x === 'object' && 'length' in x && typeof x.length === 'number') {
    const list = x as ArrayLike<unknown>;
    const data = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new InvalidArgumentError(
          name,
          `${fn}: ${name} must hold numbers, but element ${i} is ${describe(v)}.`,
          v,
        );
      }
      data[i] = Number(v);
    }
    table = { n: list.length, k: 1, rank: 1, data };
  } else {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must be an array, a typed array or a tensor, but got ${describe(x)}.`,
      x,
    );
  }
  if (table.n === 0 || table.k === 0) {
    throw new InvalidArgumentError(name, `${fn}: ${name} is empty; a metric needs at least one sample.`, x);
  }
  for (let i = 0; i < table.data.length; i++) {
    if (!Number.isFinite(table.data[i])) {
      throw new InvalidArgumentError(
        name,
        `${fn}: ${name} must hold finite numbers, but element ${i} is ${table.data[i]}.`,
        table.data[i],
      );
    }
  }
  return table;
}

/** A vector (a `[n, 1]` matrix is accepted as one). */
export function readVector(fn: string, name: string, x: unknown): Float64Array {
  const t = readTable(fn, name, x);
  if (t.k !== 1) {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must be one value per sample, but got ${t.n} rows of ${t.k} values.`,
      x,
    );
  }
  return t.data;
}

/** Integer class labels. */
export function readLabels(fn: string, name: string, x: unknown): Float64Array {
  const v = readVector(fn, name, x);
  const bad = v.findIndex((l) => !Number.isInteger(l));
  if (bad >= 0) {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must hold integer class labels, but element ${bad} is ${v[bad]}.`,
      v[bad],
    );
  }
  return v;
}

/** 0/1 values (binary targets or a multi-label indicator matrix). */
export function checkBinary(fn: string, name: string, data: Float64Array): void {
  const bad = data.findIndex((l) => l !== 0 && l !== 1);
  if (bad >= 0) {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must hold 0 or 1, but element ${bad} is ${data[bad]}.`,
      data[bad],
    );
  }
}

/** Throws unless `count` samples were given for `name`, as many as `yTrue` has. */
export function checkSameLength(fn: string, name: string, count: number, expected: number): void {
  if (count !== expected) {
    throw new InvalidArgumentError(
      name,
      `${fn}: ${name} must have as many samples as yTrue (${expected}), but got ${count}.`,
      count,
    );
  }
}

/** The sorted distinct values of the given label vectors, or `labels` checked to be distinct integers. */
export function resolveLabels(
  fn: string,
  labels: readonly number[] | undefined,
  ...vectors: Float64Array[]
): number[] {
  if (labels !== undefined) {
    const ok =
      Array.isArray(labels) &&
      labels.length > 0 &&
      labels.every((l) => Number.isInteger(l)) &&
      new Set(labels).size === labels.length;
    if (!ok) {
      throw new InvalidArgumentError(
        'labels',
        `${fn}: labels must be a non-empty list of distinct integers, but got ${JSON.stringify(labels)}.`,
        labels,
      );
    }
    return [...labels];
  }
  const seen = new Set<number>();
  for (const v of vectors) for (const l of v) seen.add(l);
  return [...seen].sort((a, b) => a - b);
}

/** Index of each sample's label in `labels`; throws for a label not in the list. */
export function labelIndices(
  fn: string,
  name: string,
  v: Float64Array,
  labels: readonly number[],
): Int32Array {
  const index = new Map(labels.map((l, i) => [l, i]));
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const j = index.get(v[i]!);
    if (j === undefined) {
      throw new InvalidArgumentError(
        name,
        `${fn}: ${name}[${i}] = ${v[i]} is not one of labels [${labels.join(', ')}].`,
        v[i],
      );
    }
    out[i] = j;
  }
  return out;
}

/** `a / b`, or `zero` when b is 0. */
export function divide(a: number, b: number, zero: number): number {
  return b === 0 ? zero : a / b;
}
