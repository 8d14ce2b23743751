import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // @lightfm-ts/core loads a native addon, which is not safe under worker threads.
    pool: 'forks',
    testTimeout: 300_000,
    include: ['test/**/*.test.ts'],
  },
});
