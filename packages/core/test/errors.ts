// Asserting on the typed errors the API throws.
import { expect } from 'vitest';
import { LightFMError } from '../src/index.js';

/** The `LightFMError` that `f` throws; fails the test if it throws something else or nothing. */
export function thrown(f: () => unknown): LightFMError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(LightFMError);
    return err as LightFMError;
  }
  throw new Error('expected a LightFMError');
}

/** The `code` of the `LightFMError` that `f` throws. */
export const errorCode = (f: () => unknown): string => thrown(f).code;

/** The `LightFMError` that `f` throws or its promise rejects with. */
export async function rejected(f: () => unknown): Promise<LightFMError> {
  try {
    await f();
  } catch (err) {
    expect(err).toBeInstanceOf(LightFMError);
    return err as LightFMError;
  }
  throw new Error('expected a LightFMError');
}

/** The `code` of the `LightFMError` that `f` throws or its promise rejects with. */
export async function rejectedCode(f: () => unknown): Promise<string> {
  return (await rejected(f)).code;
}
