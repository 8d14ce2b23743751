import { brand, foreignBrand } from './brand.js';

/** Stable error codes; branch on `error.code`, never on the message. */
export type ErrorCode =
  | 'ERR_SHAPE'
  | 'ERR_INDEX_RANGE'
  | 'ERR_NOT_FINITE'
  | 'ERR_NOT_FITTED'
  | 'ERR_DIVERGED'
  | 'ERR_INVALID_ARG'
  | 'ERR_BUSY'
  | 'ERR_ABORTED'
  | 'ERR_CORRUPT_FILE'
  | 'ERR_PARSE'
  | 'ERR_IO'
  | 'ERR_CHECKSUM'
  | 'ERR_FILE_NOT_FOUND'
  | 'ERR_DOWNLOAD'
  | 'ERR_OUT_OF_MEMORY'
  | 'ERR_NATIVE_LOAD'
  | 'ERR_INTERNAL';

/**
 * Every error lightfm-ts throws on purpose. `code` is stable across versions; the message
 * says what was wrong and what to do.
 *
 * @example
 * ```ts
 * try { model.predict(0, [99999]); } catch (e) { if (e instanceof LightFMError && e.code === 'ERR_INDEX_RANGE') { ... } }
 * ```
 *
 * `instanceof LightFMError` is also true for the errors of another copy of `@lightfm-ts/core`
 * loaded in the same program (a companion package that installed its own copy).
 */
export class LightFMError extends Error {
  /** What went wrong, stable across versions: branch on it, not on the message. */
  readonly code: ErrorCode;

  /** Whether `v` is a `LightFMError` of this copy of `@lightfm-ts/core` or of another one. */
  static [Symbol.hasInstance](v: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, v) || (this === LightFMError && foreignBrand(v, 'LightFMError') !== undefined);
  }

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // Aborts look like every other aborted Node API.
    this.name = code === 'ERR_ABORTED' ? 'AbortError' : 'LightFMError';
  }
}

brand(LightFMError, 'LightFMError');

const CODED = /^\[(ERR_[A-Z_]+)\] ([\s\S]*)$/;

/** Turns an error thrown by the native binding into a `LightFMError`. */
export function fromNative(err: unknown): unknown {
  if (err instanceof Error) {
    const m = CODED.exec(err.message);
    if (m) return new LightFMError(m[1] as ErrorCode, m[2] as string);
    // napi's own argument conversion errors (wrong JS types).
    if ((err as { code?: unknown }).code === 'InvalidArg' || err instanceof TypeError) {
      return new LightFMError('ERR_INVALID_ARG', err.message, { cause: err });
    }
  }
  return err;
}

/** Runs a native call and translates its errors. */
export function call<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw fromNative(err);
  }
}

export function invalidArg(message: string): LightFMError {
  return new LightFMError('ERR_INVALID_ARG', message);
}
