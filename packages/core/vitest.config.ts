import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // The tests run src/ directly: give it the version the build writes in (scripts/bundle.mjs).
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  test: {
    // Native addons are not safe under worker threads; forks is the vitest 4 default.
    pool: 'forks',
    testTimeout: 120_000,
    include: ['test/**/*.test.ts'],
  },
});
