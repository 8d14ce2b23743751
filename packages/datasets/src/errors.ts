import { LightFMError } from '@lightfm-ts/core';

/**
 * Adds what to do next to a file-integrity error (`ERR_CORRUPT_FILE`, `ERR_CHECKSUM`), which
 * depends on where the file came from (the cache or a download). Other errors pass unchanged.
 */
export function withAdvice(err: unknown, advice: string): unknown {
  if (err instanceof LightFMError && (err.code === 'ERR_CORRUPT_FILE' || err.code === 'ERR_CHECKSUM')) {
    return new LightFMError(err.code, `${err.message}. ${advice}`, { cause: err.cause ?? err });
  }
  return err;
}
