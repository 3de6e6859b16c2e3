/**
 * The site's tracking codes as plan reads them: once per host, and when that read fails the plan
 * says so once and compares the lists as written. The client is the real one against the emulator;
 * only its tracking-code read is made to fail (the emulator has no way to refuse that one alone).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedFile, type SeedMeeting } from '../../emulator/index.js';
import { createWebexClient, type WebexClient } from '../../meetings/client.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { planAgainstLive } from '../../meetings/fetch.js';

const NOW = '2027-01-15T09:00:00Z';
const ids = ['c0de0000000000000000000000000011', 'c0de0000000000000000000000000012'];

let emu: Emulator | undefined;
const clients: WebexClient[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
  await emu?.close();
  emu = undefined;
});

async function plan(failCodes: boolean) {
  emu = await startEmulator({
    now: NOW,
    seed: {
      now: NOW,
      trackingCodes: [{ name: 'Department', type: 'optional', options: [{ value: 'Sales', defaultValue: true }] }, { name: 'Region', type: 'optional', options: [{ value: 'EMEA' }] }],
      // As Webex stored them after a write of [Region: EMEA]: the default was added.
      meetings: ids.map((id) => ({ id, title: 'T', start: '2027-02-10T14:00:00Z', end: '2027-02-10T15:00:00Z', trackingCodes: [{ name: 'Region', value: 'EMEA' }, { name: 'Department', value: 'Sales' }] })),
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'meetctl-codes-'));
  for (const id of ids) writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\ntrackingCodes:\n  - name: Region\n    value: EMEA\n`);
  const loaded = await loadDesiredState(dir);
  const real = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken });
  clients.push(real);
  const client: WebexClient = failCodes
    ? Object.assign(Object.create(real) as WebexClient, {
        listTrackingCodes: async () => ({ ok: false as const, error: { code: 'http' as const, status: 403, message: 'Not allowed to read tracking codes.', retryable: false } }),
      })
    : real;
  return planAgainstLive({ client, desired: loaded.meetings, env: {}, concurrency: 4 });
}

const HOSTS = ['host@example.com', 'alice@example.com'];

/** One file per id, hosted by HOSTS[i] and declaring `codes` (YAML list items), planned against an emulator with `seed`'s codes. */
async function planTwoHosts(seed: Pick<SeedFile, 'trackingCodes' | 'userTrackingCodes'>, codes: string, stored: (i: number) => SeedMeeting['trackingCodes'] = () => undefined) {
  const meetings = ids.map((id, i) => ({ id, hostEmail: HOSTS[i], title: 'T', start: '2027-02-10T14:00:00Z', end: '2027-02-10T15:00:00Z', timezone: 'UTC', trackingCodes: stored(i) }));
  emu = await startEmulator({ now: NOW, seed: { now: NOW, ...seed, meetings } });
  const dir = mkdtempSync(join(tmpdir(), 'meetctl-codes-'));
  ids.forEach((id, i) => writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\nhostEmail: ${HOSTS[i]}\ntrackingCodes:\n${codes}`));
  const loaded = await loadDesiredState(dir);
  const client = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken });
  clients.push(client);
  return planAgainstLive({ client, desired: loaded.meetings, env: {}, concurrency: 4 });
}

describe('user-level tracking codes', () => {
  test("a select code's value must be one of the options the host's read offers: the plan says so, where apply would be refused", async () => {
    // The site offers Sales and Marketing, Alice's own value is Research; each file asks for Research.
    const result = await planTwoHosts(
      {
        trackingCodes: [{ name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Sales', defaultValue: true }, { value: 'Marketing' }] }],
        userTrackingCodes: [{ email: 'alice@example.com', name: 'Department', value: 'Research' }],
      },
      '  - name: department\n    value: Research\n',
    );
    const [hostOwn, alices] = result.changes;
    expect(hostOwn.action).toBe('error');
    expect(hostOwn.reason).toMatch(/tracking code department is a select: its value must be one of 'Sales', 'Marketing' .*not 'Research'/);
    expect(hostOwn.reason).toMatch(/c0de0000000000000000000000000011\.yaml:4:3\)$/);
    // Alice's own value is one of hers.
    expect(alices).toMatchObject({ action: 'update', patch: { trackingCodes: [{ name: 'department', value: 'Research' }] } });
  });


  test("each host's codes are read as that host, so a host's own default for a code left out is no change", async () => {
    // As Webex stored them after a write of [Region: EMEA]: each got its own host's default Department.
    const result = await planTwoHosts(
      {
        trackingCodes: [{ name: 'Department', type: 'optional', options: [{ value: 'Sales', defaultValue: true }, { value: 'Marketing' }] }, { name: 'Region', type: 'optional', options: [{ value: 'EMEA' }] }],
        userTrackingCodes: [{ email: 'alice@example.com', name: 'Department', value: 'Marketing' }],
      },
      '  - name: Region\n    value: EMEA\n',
      (i) => [{ name: 'Region', value: 'EMEA' }, { name: 'Department', value: i === 0 ? 'Sales' : 'Marketing' }],
    );
    expect(result.changes.map((c) => c.action)).toEqual(['noop', 'noop']);
    const reads = emu!.requestLog().filter((r) => r.path.startsWith('/v1/meetings/trackingCodes'));
    expect(reads.map((r) => new URL(r.path, 'http://x').searchParams.get('hostEmail')).sort()).toEqual(['alice@example.com', 'host@example.com']);
  });
});

describe('site tracking codes', () => {
  test('read once for the host, and a list that leaves out a defaulted code is unchanged', async () => {
    const result = await plan(false);
    expect(result.changes.map((c) => c.action)).toEqual(['noop', 'noop']);
    expect(emu!.requestLog().filter((r) => r.path.startsWith('/v1/meetings/trackingCodes'))).toHaveLength(1);
    expect(result.notes.filter((n) => n.startsWith('trackingCodes:'))).toEqual([]);
  });

  test('a failed read is said once, and the lists are compared as written', async () => {
    const result = await plan(true);
    expect(result.notes.filter((n) => n.startsWith('trackingCodes:'))).toEqual([
      "trackingCodes: could not read the site's tracking codes (the token's user: Not allowed to read tracking codes. (403)), so lists are compared as written, without the defaults Webex adds",
    ]);
    expect(result.changes.map((c) => [c.action, c.patch])).toEqual([
      ['update', { trackingCodes: [{ name: 'Region', value: 'EMEA' }] }],
      ['update', { trackingCodes: [{ name: 'Region', value: 'EMEA' }] }],
    ]);
  });
});
