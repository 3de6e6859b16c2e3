/**
 * "If an optional tracking code is missing from the trackingCodes array and there's a default
 * option for this tracking code, the default option is assigned automatically." A file listing
 * some codes must not differ forever on a site with defaults: meetctl reads the site's codes once
 * per host, compares the file's list completed with those defaults, and sends the list as written.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedFile } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const MINE = 'c0de0000000000000000000000000001';
const ALICE = 'c0de0000000000000000000000000002';
const NO_CODES = 'c0de0000000000000000000000000003';

const meeting = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Meeting ${id.slice(-1)}`,
  timezone: 'UTC',
  start: '2027-02-10T14:00:00Z',
  end: '2027-02-10T15:00:00Z',
  ...extra,
});

const seed: SeedFile = {
  now: NOW,
  trackingCodes: [
    { name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Engineering' }, { value: 'Sales', defaultValue: true }] },
    { name: 'Region', inputMode: 'select', type: 'optional', options: [{ value: 'EMEA' }, { value: 'APAC' }] },
  ],
  meetings: [meeting(MINE), meeting(ALICE, { hostEmail: 'alice@example.com' }), meeting(NO_CODES)],
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const codesFile = (id: string, host?: string) =>
  `id: ${id}\n${host ? `hostEmail: ${host}\n` : ''}trackingCodes:\n  - name: Region\n    value: EMEA\n`;

describe('tracking codes on a site with default options', () => {
  test('a list that leaves out a code with a default converges: sent as written, then no change', async () => {
    emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
    const dir = writeTree(tempDir(), {
      'mine.yaml': codesFile(MINE),
      'alice.yaml': codesFile(ALICE, 'alice@example.com'),
      'plain.yaml': `id: ${NO_CODES}\ntitle: Meeting 3\n`,
    });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const first = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    const plan = JSON.parse(first.stdout) as { changes: { id: string; action: string; patch: Record<string, unknown> }[] };
    for (const id of [MINE, ALICE]) {
      expect(plan.changes.find((c) => c.id === id)).toMatchObject({ action: 'update', patch: { trackingCodes: [{ name: 'Region', value: 'EMEA' }] } });
    }
    // Once per host of a file that declares trackingCodes, with that host.
    const reads = emu.requestLog().filter((r) => r.path.startsWith('/v1/meetings/trackingCodes'));
    expect(reads.map((r) => r.path).sort()).toEqual([
      '/v1/meetings/trackingCodes?service=MeetingCenter',
      '/v1/meetings/trackingCodes?service=MeetingCenter&hostEmail=alice%40example.com',
    ]);

    const applied = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], env);
    expect(applied.code).toBe(0);
    const report = JSON.parse(applied.stdout) as { counts: Record<string, number>; outcomes: { warnings?: string[] }[] };
    expect(report.counts).toMatchObject({ applied: 2, failed: 0 });
    // Webex added the default: apply does not report that as a value it stored differently.
    expect(report.outcomes.flatMap((o) => o.warnings ?? [])).toEqual([]);
    expect(emu.getMeeting(MINE)?.trackingCodes).toEqual(expect.arrayContaining([{ name: 'Department', value: 'Sales' }, { name: 'Region', value: 'EMEA' }]));

    const second = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], env);
    const again = JSON.parse(second.stdout) as { changes: { action: string }[] };
    expect(again.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'noop']);
    expect(second.code).toBe(0);
  });

  test('a file that names the defaulted code itself is compared as written', async () => {
    emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
    const dir = writeTree(tempDir(), { 'mine.yaml': `id: ${MINE}\ntrackingCodes:\n  - name: Department\n    value: Engineering\n` });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    expect((await runCli(['apply', '--dir', dir, '--auto-approve'], env)).code).toBe(0);
    const second = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(second.code).toBe(0);
  });

  test('a saved plan knows the default Webex will add: a code edited by hand since the plan is stale, not "already applied"', async () => {
    emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
    const dir = writeTree(tempDir(), { 'mine.yaml': codesFile(MINE) });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const planFile = `${dir}/plan.json`;
    expect((await runCli(['plan', '--dir', dir, '--out', planFile], env)).code).toBe(0);
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as { changes: { id: string; expected?: unknown }[] };
    expect(saved.changes.find((c) => c.id === MINE)?.expected).toEqual({ trackingCodes: [{ name: 'Region', value: 'EMEA' }, { name: 'Department', value: 'Sales' }] });
    // By hand in Webex: the planned code, and another value than the site's default for the other one.
    emu.editMeeting(MINE, { trackingCodes: [{ name: 'Region', value: 'EMEA' }, { name: 'Department', value: 'Engineering' }] });
    const applied = await runCli(['apply', planFile, '--format', 'json'], env);
    const report = JSON.parse(applied.stdout) as { outcomes: { id: string; status: string }[] };
    expect(report.outcomes.find((o) => o.id === MINE)?.status).toBe('stale');
    expect(emu.requestLog().filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  test('no file declares trackingCodes: the site codes are not read', async () => {
    emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
    const dir = writeTree(tempDir(), { 'plain.yaml': `id: ${NO_CODES}\ntitle: Renamed\n` });
    await runCli(['plan', '--dir', dir], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });
    expect(emu.requestLog().filter((r) => r.path.includes('trackingCodes'))).toEqual([]);
  });

  test('import reads the site codes as plan does: what it writes plans as no change, and a list Webex would complete or refuse is left out', async () => {
    const LACKS_DEFAULT = 'c0de0000000000000000000000000004';
    const OLD_CHOICE = 'c0de0000000000000000000000000005';
    const COMPLETE = 'c0de0000000000000000000000000006';
    const imported: SeedFile = {
      ...structuredClone(seed),
      meetings: [
        // Held before the site gave Department a default: any list sent now gets Department: Sales added.
        meeting(LACKS_DEFAULT, { trackingCodes: [{ name: 'Region', value: 'APAC' }] }),
        // A select value the site no longer offers: Webex refuses it in any update that carries the list.
        meeting(OLD_CHOICE, { trackingCodes: [{ name: 'Department', value: 'Legacy' }] }),
        meeting(COMPLETE, { trackingCodes: [{ name: 'Department', value: 'Sales' }, { name: 'Region', value: 'EMEA' }] }),
      ],
    };
    emu = await startEmulator({ seed: imported, now: NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const dir = tempDir();
    const res = await runCli(['import', '--id', LACKS_DEFAULT, OLD_CHOICE, COMPLETE, '--out', dir], env);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/meeting-4\.yaml: left out trackingCodes: the planner would read it back differently/);
    expect(res.stderr).toMatch(/meeting-5\.yaml: left out trackingCodes: tracking code Department is a select: .*not 'Legacy'/);
    expect(res.stderr).not.toMatch(/meeting-6\.yaml: left out/);
    const plan = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], env);
    const planned = JSON.parse(plan.stdout) as { changes: { id: string; action: string }[] };
    expect(planned.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'noop']);
    expect(plan.code).toBe(0);
    // The complete list is kept and managed.
    expect(emu.requestLog().filter((r) => r.path.startsWith('/v1/meetings/trackingCodes')).length).toBeGreaterThanOrEqual(2);
  });
});
