// The generated napi loader. Only the wrapper modules import values from here; everything
// else imports types.
import { createRequire } from 'node:module';
import type * as Binding from '../binding.cjs';

const require = createRequire(import.meta.url);

function load(): typeof Binding {
  try {
    return require('../binding.cjs') as typeof Binding;
  } catch (cause) {
    const platform = `${process.platform}-${process.arch}`;
    throw new Error(
      `@lightfm-ts/core could not load its native binary for ${platform}. Prebuilt binaries ship as ` +
        `optional dependencies (@lightfm-ts/core-<platform>): reinstall without --no-optional / --omit=optional, ` +
        `and check that your platform is listed under "Supported platforms" in the README.`,
      { cause },
    );
  }
}

export const native = load();
export type { Binding };
