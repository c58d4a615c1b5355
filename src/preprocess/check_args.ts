import { InvalidArgumentError } from '../errors.js';

/**
 * Argument checks shared by the image transforms. Each throws {@link InvalidArgumentError} whose message names
 * the function, the argument and the value received, e.g. `gaussianBlur: sigma must be a positive number,
 * but got -1.`
 */

/** A received value as it reads in a message: numbers as written, strings quoted, arrays and objects as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || value === undefined || value === null) return String(value);
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  } catch {
    return String(value);
  }
}

export function invalid(fn: string, name: string, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(
    name,
    `${fn}: ${name} must be ${expected}, but got ${describeValue(value)}.`,
    value,
  );
}

/** A finite number (any sign). */
export function finiteNumber(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(fn, name, 'a finite number', value);
  return value;
}

/** A number > 0; `Infinity` only when `allowInfinity`. */
export function positiveNumber(fn: string, name: string, value: unknown, allowInfinity = false): number {
  const ok =
    typeof value === 'number' && value > 0 && (allowInfinity ? !Number.isNaN(value) : Number.isFinite(value));
  if (!ok)
    throw invalid(fn, name, allowInfinity ? 'a positive number or Infinity' : 'a positive number', value);
  return value as number;
}

/** An integer ≥ 1. */
export function positiveInteger(fn: string, name: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw invalid(fn, name, 'a positive integer', value);
  return value as number;
}

/** A boolean (catches `'false'` and other truthy strings). */
export function booleanArg(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(fn, name, 'true or false', value);
  return value;
}

/** A finite number ≥ 0. */
export function nonNegativeNumber(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(fn, name, 'a non-negative number', value);
  }
  return value;
}
