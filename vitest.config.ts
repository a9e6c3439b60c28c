import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    setupFiles: ['./tests/setup-node.ts'],
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
