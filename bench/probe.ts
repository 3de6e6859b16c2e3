/**
 * Loaded with `node --import` into a meetctl process under measurement: at exit it writes the
 * process's CPU time and peak RSS to the file named by MEETCTL_BENCH_PROBE.
 */
import { writeFileSync } from 'node:fs';
import { threadsSince, type ThreadSplit } from './threads.js';

export interface ProbeResult {
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssMB: number;
  /** Linux only: the main thread's share and V8's background threads'. */
  threads?: ThreadSplit;
}

const target = process.env.MEETCTL_BENCH_PROBE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const result: ProbeResult = {
      cpuUserMs: usage.userCPUTime / 1000,
      cpuSystemMs: usage.systemCPUTime / 1000,
      peakRssMB: usage.maxRSS / 1024,
    };
    const threads = threadsSince();
    if (threads) result.threads = threads;
    writeFileSync(target, JSON.stringify(result));
  });
}
