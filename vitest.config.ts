import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time keeps timing-sensitive escalation tests honest.
    maxWorkers: 2,
    include: ['test/**/*.test.ts'],
  },
});
