/**
 * Meetings Webex refuses to update: plan lists each one it can tell from a read with its reason and
 * sends nothing; apply sends nothing for them and exits 1 whether or not other changes go with them.
 * The refusals a read cannot foresee (an ad-hoc meeting: a response has no `adhoc`; one made by a
 * calendar connector) are recognised from the server's reason when apply sends the change.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const ENDED = 'a0000000000000000000000000000001';
const IN_PROGRESS = 'a0000000000000000000000000000002';
const SPACE = 'a0000000000000000000000000000003';
const PERSONAL = 'a0000000000000000000000000000004';
const FAR = 'a0000000000000000000000000000005';
const FINE = 'a0000000000000000000000000000006';
const ADHOC = 'a0000000000000000000000000000007';
const CONNECTOR = 'a0000000000000000000000000000008';
const RUNNING_SERIES = 'a0000000000000000000000000000009';
const RUNNING_NOW = `${RUNNING_SERIES}_20270115T083000Z`;

const meeting = (id: string, title: string, extra: Record<string, unknown> = {}) => ({
  id,
  title,
  timezone: 'UTC',
  start: '2027-02-10T14:00:00Z',
  end: '2027-02-10T15:00:00Z',
  ...extra,
});

const seed = {
  now: NOW,
  meetings: [
    meeting(ENDED, 'Ended', { start: '2027-01-10T14:00:00Z', end: '2027-01-10T15:00:00Z', state: 'ended' }),
    meeting(IN_PROGRESS, 'Running', { start: '2027-01-15T08:30:00Z', end: '2027-01-15T09:30:00Z', state: 'inProgress' }),
    // Scheduled in a space but not ad-hoc: updatable.
    meeting(SPACE, 'Space meeting', { roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vYWJj' }),
    meeting(ADHOC, 'Ad-hoc', { roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vZGVm', adhoc: true }),
    meeting(CONNECTOR, 'From the calendar', { createdByCalendarConnector: true }),
    // Daily, started last week; today's meeting is running.
    meeting(RUNNING_SERIES, 'Daily', {
      start: '2027-01-08T08:30:00Z',
      end: '2027-01-08T09:30:00Z',
      recurrence: 'FREQ=DAILY;INTERVAL=1;COUNT=30',
      occurrences: [{ originalStart: '2027-01-15T08:30:00Z', state: 'inProgress' }],
    }),
    meeting(PERSONAL, 'Personal room', { scheduledType: 'personalRoomMeeting' }),
    meeting(FAR, 'Far ahead', { start: '2037-02-10T14:00:00Z', end: '2037-02-10T15:00:00Z' }),
    meeting(FINE, 'Fine'),
  ],
};

const REASONS: [string, string, RegExp][] = [
  ['ended', ENDED, /has ended/],
  ['a personal room meeting', PERSONAL, /personal room/],
  ['10 or more years ahead', FAR, /10 or more years/],
];

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(ids: string[]) {
  emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
  const files = Object.fromEntries(ids.map((id) => [`${id}.yaml`, `id: ${id}\ntitle: Renamed ${id.slice(-1)}\n`]));
  const dir = writeTree(tempDir(), files);
  return { emu, dir, env: { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken } };
}

describe('meetings Webex refuses to update', () => {
  test.each(REASONS)('plan lists a meeting that is %s as not updatable, with the reason', async (_name, id, reason) => {
    const { emu, dir, env } = await setup([id, FINE]);
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout) as { summary: Record<string, number>; changes: { id: string; action: string; reason?: string }[] };
    expect(plan.summary).toMatchObject({ update: 1, notUpdatable: 1, error: 0 });
    const change = plan.changes.find((c) => c.id === id)!;
    expect(change.action).toBe('notUpdatable');
    expect(change.reason).toMatch(reason);
    expect(plan.changes.find((c) => c.id === FINE)!.action).toBe('update');
    expect(new Set(emu.requestLog().map((r) => r.method))).toEqual(new Set(['GET']));
  });

  test('a personal room series, which series lists leave out, is still read (by id) when the series are listed', async () => {
    const { emu, dir, env } = await setup([PERSONAL, FINE]);
    const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--fetch', 'list'], env);
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout) as { changes: { id: string; action: string; reason?: string }[] };
    expect(plan.changes.find((c) => c.id === PERSONAL)).toMatchObject({ action: 'notUpdatable', reason: expect.stringMatching(/personal room/) });
    const log = emu.requestLog();
    expect(log.some((r) => /meetingType=meetingSeries/.test(r.path))).toBe(true);
    expect(log.some((r) => r.path.startsWith(`/v1/meetings/${PERSONAL}?`))).toBe(true);
  });

  test('apply with only not-updatable differences sends nothing, reports them and exits 1', async () => {
    const { emu, dir, env } = await setup([ENDED, PERSONAL]);
    const res = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], env);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ applied: 0, notUpdatable: 2, failed: 0 });
    expect(res.stderr).toMatch(/Nothing to apply/);
    expect(emu.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test.each([
    ['a meeting scheduled in a space (roomId, not ad-hoc)', SPACE],
    ['a meeting series whose only meeting is running now', IN_PROGRESS],
    ['a series one of whose meetings is running now', RUNNING_SERIES],
  ])('%s is updatable: plan and apply send its change', async (_name, id) => {
    const { emu, dir, env } = await setup([id]);
    const res = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], env);
    const report = JSON.parse(res.stdout) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ applied: 1, notUpdatable: 0, failed: 0 });
    expect(res.code).toBe(0);
    expect(emu.getMeeting(id)?.title).toBe(`Renamed ${id.slice(-1)}`);
  });

  test('the running meeting of a series is not updatable', async () => {
    const { emu, dir, env } = await setup([]);
    writeTree(dir, { 'daily.yaml': `id: ${RUNNING_SERIES}
occurrences:
  - id: ${RUNNING_NOW}
    title: Today
` });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    const plan = JSON.parse(res.stdout) as { changes: { id: string; action: string; reason?: string }[] };
    expect(plan.changes.find((c) => c.id === RUNNING_NOW)).toMatchObject({ action: 'notUpdatable', reason: 'the meeting is in progress' });
    expect(emu.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test.each([
    ['an ad-hoc meeting', ADHOC, 'An ad-hoc meeting cannot be updated.'],
    ['a meeting created by a calendar connector', CONNECTOR, 'created by a calendar connector'],
  ])('%s, which a read cannot show, is reported not updatable from the reason Webex gives', async (_name, id, reason) => {
    const { emu, dir, env } = await setup([id]);
    const res = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], env);
    const report = JSON.parse(res.stdout) as { counts: Record<string, number>; outcomes: { id: string; status: string; message?: string }[] };
    const outcome = report.outcomes.find((o) => o.id === id)!;
    expect(report.counts).toMatchObject({ applied: 0, notUpdatable: 1, failed: 0 });
    // The reason, not the generic "The input parameters contain invalid items."
    expect(outcome.message).toContain(reason);
    expect(outcome.message).not.toMatch(/input parameters contain invalid items/);
    expect(res.code).toBe(1);
    expect(emu.requestLog().filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([400]);
  });

  test('next to a change that applies, the run still exits 1 and names the one left', async () => {
    const { emu, dir, env } = await setup([ENDED, FINE]);
    const res = await runCli(['apply', '--dir', dir, '--auto-approve'], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/1 applied/);
    expect(res.stdout).toMatch(/1 not updatable/);
    expect(res.stdout).toContain(ENDED);
    expect(emu.requestLog().filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/v1/meetings/${FINE}`]);
  });

  test('when nothing differs there is nothing to apply and the exit code is 0', async () => {
    const { dir, env } = await setup([]);
    writeTree(dir, { 'fine.yaml': `id: ${FINE}\ntitle: Fine\n`, 'ended.yaml': `id: ${ENDED}\ntitle: Ended\n` });
    const res = await runCli(['apply', '--dir', dir, '--auto-approve'], env);
    expect(res.stderr).toMatch(/Nothing to apply/);
    expect(res.code).toBe(0);
  });
});
