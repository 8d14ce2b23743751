// Argument checks shared by the LightFM methods (types at the TS edge; rules about the data
// itself are the core's). Options objects are read by `option-reader.ts`.
import type { Binding } from './native.js';
import { type SparseMatrix, asCsr } from './sparse.js';

/** An optional matrix argument in the binding's CSR form. */
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
