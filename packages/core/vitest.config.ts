import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Native addons are not safe under worker threads; forks is the vitest 4 default.
    pool: 'forks',
    testTimeout: 120_000,
    include: ['test/**/*.test.ts'],
  },
});
