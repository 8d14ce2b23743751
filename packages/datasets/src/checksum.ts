import { createHash } from 'node:crypto';
import { LightFMError } from '@lightfm-ts/core';

/** Hex sha256 of `bytes`. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Checks `bytes` against a pinned sha256.
 * @throws LightFMError `ERR_CHECKSUM` with the expected and found digests.
 */
export function verifySha256(what: string, bytes: Uint8Array, expected: string): void {
  const found = sha256(bytes);
  if (found !== expected) {
    throw new LightFMError('ERR_CHECKSUM', `${what}: sha256 mismatch, expected ${expected}, found ${found}`);
  }
}
