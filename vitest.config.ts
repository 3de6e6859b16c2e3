import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end suites start their own emulator on port 0, so files can run in parallel.
    fileParallelism: true,
    // More workers than the 2 cores: the slow files mostly wait (Retry-After pauses, backoff,
    // emulator latency, CLI processes), and a waiting worker leaves its core to another. Measured on
    // the 2-core machine (whole suite): 3 workers 123-128 s, 4 workers 97-118 s, 5 workers 106 s.
    maxWorkers: 4,
    // A worker keeps the modules it has loaded from one file to the next (no test mocks a module or
    // changes the process), instead of loading the sources again for each of the 100-odd files.
    isolate: false,
  },
});
