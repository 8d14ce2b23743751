import { LightFMError, invalidArg } from './errors.js';

/** Anything array-like of numbers: a typed array, a plain array. */
export type NumericArray = ArrayLike<number>;

/**
 * An `Int32Array` of ids: reused without copying when it already is one, otherwise copied
 * and checked (integers in `0 .. 2^31-1`).
 */
export function toIndexArray(what: string, values: NumericArray | number): Int32Array {
  if (typeof values === 'number') values = [values];
  if (values instanceof Int32Array) return values;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw invalidArg(`${what} must be an array of non-negative integers, got ${describe(values)}`);
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new LightFMError(
        Number.isInteger(v) ? 'ERR_INDEX_RANGE' : 'ERR_INVALID_ARG',
        `${what}[${i}] must be an integer in 0..2147483647, got ${describe(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** A `Float32Array`: reused when it already is one, otherwise copied. */
export function toFloat32(what: string, values: NumericArray): Float32Array {
  if (values instanceof Float32Array) return values;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw invalidArg(`${what} must be an array of numbers, got ${describe(values)}`);
  }
  const out = Float32Array.from(values as ArrayLike<number>);
  return out;
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return String(v);
}
