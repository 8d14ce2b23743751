import { defineConfig } from 'vitest/config';

// The release scripts' tests (`pnpm test:scripts`). They start node, pnpm and git, which can
// take seconds on a loaded machine.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    include: ['test/**/*.test.mjs'],
  },
});
