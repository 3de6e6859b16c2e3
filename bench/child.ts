/** Runs a meetctl command as a child process and measures it: wall time, CPU time, peak RSS. */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ProbeResult } from './probe.js';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'meetctl.js');
const PROBE = join(fileURLToPath(import.meta.url), '..', 'probe.js');

export interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  probe?: ProbeResult;
}

/** `script` defaults to the meetctl binary; any other node script works the same way. */
export function measure(args: string[], env: Record<string, string | undefined>, probeFile: string, script = BIN): Promise<Measured> {
  return new Promise((resolve, reject) => {
    rmSync(probeFile, { force: true });
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', PROBE, script, ...args], {
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...env, MEETCTL_BENCH_PROBE: probeFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      let probe: ProbeResult | undefined;
      try {
        probe = JSON.parse(readFileSync(probeFile, 'utf8')) as ProbeResult;
      } catch {
        probe = undefined;
      }
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), wallMs, probe });
    });
  });
}
