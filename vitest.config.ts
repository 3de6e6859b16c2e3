import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end suites start their own emulator on port 0, so files can run in parallel.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
