/**
 * The create step of the bench: N keyed files whose meetings do not exist yet, spread over the
 * scenario's hosts, so that planning them lists those hosts' series (how keyed files are found)
 * and applying them creates N meetings under the rate limit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BENCH_NOW } from './scenario.js';

const DAY_MS = 24 * 3600_000;

export function writeCreateFiles(dir: string, count: number, hosts: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  const base = Date.parse(BENCH_NOW) + 30 * DAY_MS;
  for (let i = 0; i < count; i++) {
    const start = base + i * 3600_000;
    const doc = {
      key: `bench-create-${String(i).padStart(4, '0')}`,
      hostEmail: hosts[i % hosts.length],
      title: `Bench create ${i}`,
      start: new Date(start).toISOString(),
      end: new Date(start + 30 * 60_000).toISOString(),
      agenda: 'Created by the bench',
    };
    writeFileSync(join(dir, `create-${String(i).padStart(4, '0')}.yaml`), stringify(doc));
  }
}
