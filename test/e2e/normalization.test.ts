/**
 * A meeting that matches its file plans no change, however either side writes the values: one
 * test per normalization case, each against the emulator. Each case also has a twin that really
 * differs, so the test would notice a planner that found no change because it compared nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const WEEKLY = 'aa11bb22cc33dd44ee55ff6600112233'; // Europe/Berlin, summer time (+02:00) in its first week
const MONTHLY = 'bb22cc33dd44ee55ff66001122334455'; // monthly on the 1st
const ONE_OFF = 'cc33dd44ee55ff660011223344556677'; // America/New_York, winter (-05:00)

const seed = {
  now: NOW,
  meetings: [
    {
      id: WEEKLY,
      title: 'Summer Standup',
      timezone: 'Europe/Berlin',
      start: '2027-06-01T09:00:00+02:00',
      end: '2027-06-01T09:15:00+02:00',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10',
      enabledJoinBeforeHost: false,
      joinBeforeHostMinutes: 0,
    },
    {
      id: MONTHLY,
      title: 'Monthly Review',
      timezone: 'UTC',
      start: '2027-02-01T15:00:00Z',
      end: '2027-02-01T16:00:00Z',
      recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=6',
    },
    {
      id: ONE_OFF,
      title: 'Design Review',
      timezone: 'America/New_York',
      start: '2027-02-10T14:00:00-05:00',
      end: '2027-02-10T15:00:00-05:00',
    },
  ],
};

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
});
afterAll(async () => {
  await emu.close();
});

async function planOne(file: string): Promise<{ code: number | null; summary: Record<string, number>; patch?: Record<string, unknown>; warnings: string[]; stderr: string }> {
  const dir = writeTree(tempDir(), { 'meeting.yaml': file });
  const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });
  const plan = JSON.parse(res.stdout || '{"summary":{},"changes":[]}') as { summary: Record<string, number>; changes: { action: string; patch?: Record<string, unknown>; warnings?: string[] }[] };
  const update = plan.changes.find((c) => c.action === 'update');
  return { code: res.code, summary: plan.summary, patch: update?.patch, warnings: plan.changes.flatMap((c) => c.warnings ?? []), stderr: res.stderr };
}

const weekly = (start: string, end: string, extra = '') =>
  `id: ${WEEKLY}\ntitle: Summer Standup\ntimezone: Europe/Berlin\nstart: ${start}\nend: ${end}\n${extra}`;
/** The same meeting in a file that declares no zone (so any offset may be written). */
const weeklyNoZone = (start: string, end: string) => `id: ${WEEKLY}\nstart: ${start}\nend: ${end}\n`;

/** [case, a file that matches the live meeting, a twin that differs, the patch the twin needs] */
const cases: [string, string, string, Record<string, unknown>][] = [
  [
    'start/end with the zone offset, as the API writes them',
    weekly('2027-06-01T09:00:00+02:00', '2027-06-01T09:15:00+02:00'),
    weekly('2027-06-01T09:00:00+02:00', '2027-06-01T09:30:00+02:00'),
    { end: '2027-06-01T09:30:00+02:00', timezone: 'Europe/Berlin' },
  ],
  [
    'start/end in UTC (Z) for a meeting in another zone: compared as instants',
    weekly('2027-06-01T07:00:00Z', '2027-06-01T07:15:00Z'),
    weekly('2027-06-01T07:00:00Z', '2027-06-01T07:20:00Z'),
    { end: '2027-06-01T09:20:00+02:00', timezone: 'Europe/Berlin' },
  ],
  [
    'start/end in a third offset (-04:00) in a file that leaves the zone to the meeting',
    weeklyNoZone('2027-06-01T03:00:00-04:00', '2027-06-01T03:15:00-04:00'),
    weeklyNoZone('2027-06-01T04:00:00-04:00', '2027-06-01T04:15:00-04:00'),
    // No zone in the file and none revealed by the read: the instants are sent in UTC, with no zone.
    { start: '2027-06-01T08:00:00.000Z', end: '2027-06-01T08:15:00.000Z' },
  ],
  [
    'wall-clock times without an offset, read in the meeting zone during summer time (DST)',
    weekly('2027-06-01T09:00:00', '2027-06-01T09:15:00'),
    weekly('2027-06-01T08:00:00', '2027-06-01T08:15:00'),
    { start: '2027-06-01T08:00:00+02:00', end: '2027-06-01T08:15:00+02:00', timezone: 'Europe/Berlin' },
  ],
  [
    'wall-clock times in winter time for a zone west of UTC',
    `id: ${ONE_OFF}\ntimezone: America/New_York\nstart: 2027-02-10T14:00\nend: 2027-02-10T15:00\n`,
    `id: ${ONE_OFF}\ntimezone: America/New_York\nstart: 2027-02-10T14:00\nend: 2027-02-10T15:30\n`,
    { end: '2027-02-10T15:30:00-05:00', timezone: 'America/New_York' },
  ],
  [
    'seconds below the minute (Webex keeps minutes)',
    weekly('2027-06-01T09:00:45+02:00', '2027-06-01T09:15:10+02:00'),
    weekly('2027-06-01T09:01:45+02:00', '2027-06-01T09:15:10+02:00'),
    { start: '2027-06-01T09:01:00+02:00', timezone: 'Europe/Berlin' },
  ],
  [
    'recurrence with parts in another order, lower case and INTERVAL=1 left out',
    weekly('2027-06-01T09:00', '2027-06-01T09:15', 'recurrence: count=10;byday=tu;freq=weekly\n'),
    weekly('2027-06-01T09:00', '2027-06-01T09:15', 'recurrence: count=12;byday=tu;freq=weekly\n'),
    { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=12', timezone: 'Europe/Berlin' },
  ],
  [
    'a MONTHLY rule with several BYMONTHDAY values, of which Webex keeps the first',
    `id: ${MONTHLY}\nrecurrence: FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=6\n`,
    `id: ${MONTHLY}\nrecurrence: FREQ=MONTHLY;BYMONTHDAY=2,15;COUNT=6\n`,
    { recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=2;COUNT=6' },
  ],
  [
    'API defaults written out (joinBeforeHostMinutes: 0 with join-before-host off)',
    weekly('2027-06-01T09:00', '2027-06-01T09:15', 'enabledJoinBeforeHost: false\njoinBeforeHostMinutes: 0\n'),
    weekly('2027-06-01T09:00', '2027-06-01T09:15', 'enabledJoinBeforeHost: true\njoinBeforeHostMinutes: 5\n'),
    { enabledJoinBeforeHost: true, joinBeforeHostMinutes: 5 },
  ],
  [
    'a request-only control (hostEmail) and the fields the file leaves out are not compared',
    `id: ${ONE_OFF}\nhostEmail: host@example.com\ntitle: Design Review\n`,
    `id: ${ONE_OFF}\nhostEmail: host@example.com\ntitle: Design Review (v2)\n`,
    { title: 'Design Review (v2)' },
  ],
];

describe('an unchanged meeting plans no change in every normalization case', () => {
  test.each(cases)('%s', async (_name, same, differs, patch) => {
    const unchanged = await planOne(same);
    expect(unchanged.stderr).not.toMatch(/error/i);
    expect(unchanged.summary).toMatchObject({ update: 0, error: 0 });
    expect(unchanged.code).toBe(0);

    const changed = await planOne(differs);
    expect(changed.code).toBe(2);
    expect(changed.summary).toMatchObject({ update: 1, error: 0 });
    expect(changed.patch).toEqual(patch);
  });
});
