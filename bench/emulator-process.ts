/**
 * The emulator in its own process, so that its CPU does not mix with meetctl's: started through
 * `meetctl emulator`, its request log read over the control endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RequestLogEntry } from '../emulator/index.js';
import { BIN } from './child.js';

export interface EmulatorProcess {
  baseUrl: string;
  token: string;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  configure(o: { latencyMs?: number; rateLimit?: number; faultRate?: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(o: { seedFile: string; now: string; latencyMs: number; rateLimit: number }): Promise<EmulatorProcess> {
  const args = [BIN, 'emulator', '--port', '0', '--seed', o.seedFile, '--now', o.now, '--latency', String(o.latencyMs), '--rate-limit', String(o.rateLimit), '--log-level', 'warn'];
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=4096', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const { baseUrl, token } = await new Promise<{ baseUrl: string; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^(http:\/\/\S+)\ntoken: (\S+)\n/.exec(out);
      if (m) resolve({ baseUrl: m[1], token: m[2] });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before listening: ${stderr.slice(0, 2000)}`)));
  });
  const control = `${new URL(baseUrl).origin}/_emulator`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    baseUrl,
    token,
    async requests() {
      const res = await fetch(`${control}/requests`);
      return (await res.json()) as RequestLogEntry[];
    },
    async clearRequests() {
      await (await fetch(`${control}/requests`, { method: 'DELETE' })).arrayBuffer();
    },
    async configure(c) {
      await (await fetch(`${control}/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c) })).arrayBuffer();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
