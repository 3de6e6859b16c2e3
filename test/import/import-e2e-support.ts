/** What the import end-to-end tests share: the clock, one emulator per test, and checks of what import wrote and sent. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { formatInZone } from '../../meetings/time.js';

export const NOW = '2027-01-15T09:00:00Z';

/** Every listing import sent states the parameters whose server defaults would change the answer. */
export function expectExplicitLists(log: readonly { method: string; path: string }[]): void {
  const lists = log.filter((r) => r.method === 'GET' && /\/meetings\?/.test(r.path) && !/cursor=/.test(r.path));
  expect(lists.length).toBeGreaterThan(0);
  for (const r of lists) {
    const q = new URL(r.path, 'http://x').searchParams;
    expect({ path: r.path, current: q.get('current'), meetingType: q.get('meetingType') !== null, from: q.get('from') !== null, to: q.get('to') !== null, max: q.get('max') }).toEqual({
      path: r.path,
      current: 'false',
      meetingType: true,
      from: true,
      to: true,
      // Full pages, but for the connection check (the very first request), which asks for one item.
      max: r === log[0] ? '1' : '100',
    });
  }
}

/** One emulator per test (the last one started), closed after the test. */
export function emulatorPerTest() {
  let current: Emulator | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    /** The emulator at NOW with `meetings`, and the environment that points meetctl at it as an admin. */
    async start(meetings: SeedMeeting[]) {
      current = await startEmulator({ seed: { now: NOW, meetings: structuredClone(meetings) }, now: NOW });
      return { emu: current, env: { WEBEX_BASE_URL: current.baseUrl, WEBEX_ACCESS_TOKEN: current.adminToken } };
    },
    /** An emulator the test started itself, closed after it as the others are. */
    track(e: Emulator): Emulator {
      current = e;
      return e;
    },
    get emu(): Emulator | undefined {
      return current;
    },
  };
}

/** The same instant, written with the zone's offset. */
export function inZone(value: string, zone: string): string {
  return formatInZone(Date.parse(value), zone);
}

export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk('');
  return out.sort();
}
