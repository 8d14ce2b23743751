// The one place where arrays from users become the typed arrays handed to the core: element
// types, detached buffers and SharedArrayBuffers are decided here, for every caller.
import { types } from 'node:util';
import { LightFMError, invalidArg } from './errors.js';

/** Anything array-like of numbers: a typed array, a plain array. */
export type NumericArray = ArrayLike<number>;

/** The typed arrays whose elements are JS numbers (not the bigint ones). */
type NumberTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/**
 * Whether `buffer` was detached (its contents transferred with `postMessage` or
 * `structuredClone(x, { transfer })`). A detached buffer reads as empty, which would silently
 * turn a matrix into an empty one.
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (types.isSharedArrayBuffer(buffer)) return false; // never detachable
  const detached = (buffer as { detached?: unknown }).detached;
  if (typeof detached === 'boolean') return detached;
  // Node < 22 has no `ArrayBuffer.prototype.detached`: a detached buffer has length 0, and
  // viewing it throws, while viewing a genuinely empty buffer does not.
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * `view`, checked to be usable as input: a detached buffer is an `ERR_INVALID_ARG`, and a view
 * of a `SharedArrayBuffer` is copied once, so another thread writing to it later cannot change
 * data that was already validated.
 */
export function ownedView<T extends ArrayBufferView>(what: string, view: T): T {
  if (isDetached(view.buffer)) {
    throw invalidArg(
      `${what}'s ArrayBuffer was transferred (detached), so it reads as empty; keep a copy (e.g. x.slice()) before transferring`,
    );
  }
  if (!types.isSharedArrayBuffer(view.buffer)) return view;
  return (view as unknown as { slice(): T }).slice();
}

/**
 * A typed array of exactly the kind the core takes (`Int32Array` or `Float32Array`), checked
 * by {@link ownedView}; `hint` says how to build one from other input.
 */
export function typedArrayArg<T extends Int32Array | Float32Array>(
  what: string,
  value: unknown,
  kind: 'Int32Array' | 'Float32Array',
  hint: string,
): T {
  const ok = kind === 'Int32Array' ? types.isInt32Array(value) : types.isFloat32Array(value);
  if (!ok) throw invalidArg(`${what} must be an ${kind}, got ${describe(value)}; ${hint}`);
  return ownedView(what, value as T);
}

/**
 * `values` checked to be an array of numbers: a plain array (or array-like) whose every
 * element is a `number` (strings, booleans, null, undefined, nested arrays, bigints and holes
 * are `ERR_INVALID_ARG` naming the index, never coerced), or a typed array of numbers
 * (bigint typed arrays are refused), checked by {@link ownedView}. NaN and infinities pass
 * here; the core rejects them where they matter (`ERR_NOT_FINITE`).
 *
 * @param what - How the argument is named in errors, e.g. `fromTriplets: data`.
 * @param notNumber - A more helpful error for element `i` (e.g. a string id), if it has one.
 * @returns `values` itself, or a private copy of a shared typed array.
 */
export function numericArray(what: string, values: unknown, notNumber?: (i: number, v: unknown) => Error | undefined): ArrayLike<number> {
  if (ArrayBuffer.isView(values)) {
    if (types.isBigInt64Array(values) || types.isBigUint64Array(values)) {
      throw invalidArg(
        `${what} must hold numbers, got a ${values.constructor.name} (its elements are bigints); convert it first, e.g. Float64Array.from(x, Number)`,
      );
    }
    if (types.isDataView(values)) {
      throw invalidArg(`${what} must be an array of numbers, got a DataView; pass a typed array such as a Float32Array`);
    }
    return ownedView(what, values as NumberTypedArray);
  }
  const length = (values as { length?: unknown } | null | undefined)?.length;
  if (values === null || typeof values !== 'object' || !Number.isSafeInteger(length) || (length as number) < 0) {
    throw invalidArg(`${what} must be an array of numbers, got ${describe(values)}`);
  }
  const array = values as ArrayLike<unknown>;
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (typeof v !== 'number') {
      throw notNumber?.(i, v) ?? invalidArg(`${what}[${i}] must be a number, got ${describe(v)}; convert the values to numbers first (e.g. Number(x))`);
    }
  }
  return array as ArrayLike<number>;
}

/**
 * An `Int32Array` of ids: reused without copying when it already is one (unless it is shared,
 * see {@link ownedView}), otherwise checked by {@link numericArray}, then copied with every
 * value checked to be an integer in `0 .. 2^31-1`.
 */
export function toIndexArray(what: string, values: NumericArray | number): Int32Array {
  if (typeof values === 'string') throw invalidArg(`${what} must be integer indices, got ${describe(values)}: ${indexHint(what)}`);
  // A string among the ids is someone's own id: say how to map it to an index.
  const notIndex = (i: number, v: unknown) =>
    typeof v === 'string' ? invalidArg(`${what}[${i}] must be a number (an index), got ${describe(v)}: ${indexHint(what)}`) : undefined;
  const checked = numericArray(what, typeof values === 'number' ? [values] : values, notIndex);
  if (types.isInt32Array(checked)) return checked;
  const out = new Int32Array(checked.length);
  for (let i = 0; i < checked.length; i++) {
    const v = checked[i] as number;
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

/** How to get indices from the caller's own ids, for the argument named `what`. */
function indexHint(what: string): string {
  const side = /item/i.test(what) ? 'item' : /user/i.test(what) ? 'user' : undefined;
  return side === undefined
    ? 'indices are positions (0, 1, ...), not your ids; map ids to indices with a Dataset (dataset.buildInteractions(tuples))'
    : `indices are positions (0, 1, ...), not your ids; map each id with dataset.${side}Index(id) (the Dataset that built the training data)`;
}

/**
 * A `Float32Array` of values (data, weights): reused when it already is one (unless it is
 * shared, see {@link ownedView}), otherwise checked by {@link numericArray} and copied.
 *
 * @throws {LightFMError} `ERR_INVALID_ARG` for anything but numbers, naming `what` and the index
 */
export function toFloat32(what: string, values: NumericArray): Float32Array {
  const checked = numericArray(what, values);
  return types.isFloat32Array(checked) ? checked : Float32Array.from(checked);
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return String(v);
}
