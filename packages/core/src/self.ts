// What this copy of @lightfm-ts/core knows about itself, wherever its code runs: from its own
// package folder, or bundled into an application's file.
import { pathToFileURL } from 'node:url';

declare const __PACKAGE_VERSION__: string;

export const PACKAGE_NAME = '@lightfm-ts/core';

/**
 * This copy's version, written in when the package is built (scripts/bundle.mjs, and
 * vitest.config.ts for the tests), so a bundle still knows it without its package.json.
 */
export const VERSION: string = __PACKAGE_VERSION__;

/**
 * The URL of the file this code runs in: `import.meta.url`, or, when a bundler turned the
 * package into CommonJS and emptied `import.meta` (esbuild `--format=cjs` does), the bundle's
 * `__filename`. Undefined when neither exists.
 */
export function moduleUrl(): string | undefined {
  const url: unknown = import.meta.url;
  if (typeof url === 'string') return url;
  return typeof __filename === 'string' ? pathToFileURL(__filename).href : undefined;
}
