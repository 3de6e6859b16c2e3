/**
 * Meetings Webex refuses to update: plan lists each one with its reason and sends nothing; apply
 * sends nothing for them and exits 1 whether or not other changes go with them.
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
    meeting(SPACE, 'Space meeting', { roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vYWJj' }),
    meeting(PERSONAL, 'Personal room', { scheduledType: 'personalRoomMeeting' }),
    meeting(FAR, 'Far ahead', { start: '2037-02-10T14:00:00Z', end: '2037-02-10T15:00:00Z' }),
    meeting(FINE, 'Fine'),
  ],
};

const REASONS: [string, string, RegExp][] = [
  ['ended', ENDED, /has ended/],
  ['in progress', IN_PROGRESS, /in progress/],
  ['an ad-hoc meeting of a space', SPACE, /roomId/],
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
    const plan = JSON.parse(res.stdout) as { summary: Record<string, number>; changes: { meetingId: string; action: string; reason?: string }[] };
    expect(plan.summary).toMatchObject({ update: 1, notUpdatable: 1, error: 0 });
    const change = plan.changes.find((c) => c.meetingId === id)!;
    expect(change.action).toBe('notUpdatable');
    expect(change.reason).toMatch(reason);
    expect(plan.changes.find((c) => c.meetingId === FINE)!.action).toBe('update');
    expect(new Set(emu.requestLog().map((r) => r.method))).toEqual(new Set(['GET']));
  });

  test('apply with only not-updatable differences sends nothing, reports them and exits 1', async () => {
    const { emu, dir, env } = await setup([ENDED, IN_PROGRESS]);
    const res = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], env);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ applied: 0, notUpdatable: 2, failed: 0 });
    expect(res.stderr).toMatch(/Nothing to apply/);
    expect(emu.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
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
