// Argument checks shared by the LightFM methods (types and ranges at the TS edge; rules about
// the data itself are the core's).
import type { Binding } from './native.js';
import { invalidArg } from './errors.js';
import { describe } from './arrays.js';
import { type SparseMatrix, asCsr } from './sparse.js';

/** An optional integer option in `min .. 2^32-1`; `fallback` when omitted. */
export function positiveInt(where: string, name: string, v: unknown, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > 0xffffffff) {
    throw invalidArg(`${where}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
  }
  return v as number;
}

/** An optional matrix option in the binding's CSR form. */
export function optionalCsr(where: string, name: string, m: SparseMatrix | undefined): Binding.CsrArg | undefined {
  return m === undefined ? undefined : asCsr(`${where}: ${name}`, m).toNative();
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get;

/**
 * Whether `v` is a real AbortSignal: `instanceof` alone also accepts
 * `Object.create(AbortSignal.prototype)`, whose `aborted` getter then throws a TypeError.
 */
export function isAbortSignal(v: unknown): v is AbortSignal {
  if (!(v instanceof AbortSignal) || abortedGetter === undefined) return false;
  try {
    abortedGetter.call(v);
    return true;
  } catch {
    return false;
  }
}

/** An optional `signal` option, checked to be an AbortSignal. */
export function optionalSignal(where: string, v: unknown): AbortSignal | undefined {
  if (v === undefined || isAbortSignal(v)) return v;
  throw invalidArg(
    `${where}: signal must be an AbortSignal (e.g. AbortSignal.timeout(ms) or new AbortController().signal), got ${describe(v)}`,
  );
}

/** The options object of a method, checked to be an object. */
export function optionsObject<T extends object>(where: string, o: T | undefined): T {
  if (o === undefined) return {} as T;
  if (o === null || typeof o !== 'object') throw invalidArg(`${where}: options must be an object, got ${describe(o)}`);
  return o;
}
