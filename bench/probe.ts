/**
 * Loaded with `node --import` into a meetctl process under measurement: at exit it writes the
 * process's CPU time and peak RSS to the file named by MEETCTL_BENCH_PROBE.
 */
import { writeFileSync } from 'node:fs';

export interface ProbeResult {
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssMB: number;
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
    writeFileSync(target, JSON.stringify(result));
  });
}
