import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration suites start servers (dynalite, fauxqs, ib-sim) on free ports.
    pool: 'forks',
    maxWorkers: 2,
  },
});
