/**
 * The kind and switch rules of the official description, end to end against the emulator: a
 * create is held to them as an update is (meetctl creates regular meetings, whose switches start
 * at their defaults), `noteType: allowAll` is what a meeting with notes off reports, a regular
 * meeting reports the webinar-only switches as off, and turning attendee login off under a
 * webinar restricted to invitees is refused in the plan, not at apply.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const NOW = '2027-01-15T09:00:00Z';
const NOTES_OFF = 'aa000000000000000000000000000001';
const NOTES_ON = 'aa000000000000000000000000000002';
const WEBINAR = 'aa000000000000000000000000000003';
const MEETING = 'aa000000000000000000000000000004';
const times = { start: '2027-03-02T09:00:00Z', end: '2027-03-02T10:00:00Z' };

const SEED: SeedMeeting[] = [
  { id: NOTES_OFF, title: 'Notes off', ...times, meetingOptions: { enabledNote: false } },
  { id: NOTES_ON, title: 'Notes on', ...times, meetingOptions: { enabledNote: true, noteType: 'allowOne' } },
  { id: WEBINAR, title: 'Webinar', scheduledType: 'webinar', ...times, requireAttendeeLogin: true, restrictToInvitees: true },
  { id: MEETING, title: 'Meeting', ...times },
];

async function start(): Promise<{ e: Emulator; env: Record<string, string> }> {
  const e = await startEmulator({ seed: { meetings: SEED }, now: NOW });
  emu = e;
  return { e, env: { WEBEX_BASE_URL: e.baseUrl, WEBEX_ACCESS_TOKEN: e.adminToken } };
}

interface PlanJson {
  summary: Record<string, number>;
  changes: { id: string; key?: string; action: string; patch: Record<string, unknown>; reason?: string }[];
}

async function plan(dir: string, env: Record<string, string>): Promise<PlanJson & { code: number | null }> {
  const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
  return { ...(JSON.parse(res.stdout || '{"summary":{},"changes":[]}') as PlanJson), code: res.code };
}

const keyed = (key: string, extra: string) => `key: ${key}\ntitle: ${key}\nstart: 2027-04-01T10:00:00Z\nend: 2027-04-01T10:30:00Z\n${extra}\n`;

describe('a create is held to the kind and switch rules', () => {
  test('webinar-only values, a value without its switch and a webinar-only number are errors in the plan; the same with its switch is created', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-switch-'), {
      'polling.yaml': keyed('polling', 'meetingOptions:\n  enabledPolling: true'),
      'login.yaml': keyed('login', 'requireAttendeeLogin: true'),
      'minutes.yaml': keyed('minutes', 'joinBeforeHostMinutes: 10'),
      'thirty.yaml': keyed('thirty', 'enabledJoinBeforeHost: true\njoinBeforeHostMinutes: 30'),
      'fine.yaml': keyed('fine', 'enabledJoinBeforeHost: true\njoinBeforeHostMinutes: 10'),
    });
    const planned = await plan(dir, env);
    const byKey = new Map(planned.changes.map((c) => [c.key, c]));
    expect(planned.code).toBe(1);
    expect(byKey.get('polling')).toMatchObject({ action: 'error', reason: expect.stringMatching(/meetingOptions\.enabledPolling applies to webinars only, and meetctl creates regular meetings/) });
    expect(byKey.get('login')).toMatchObject({ action: 'error', reason: expect.stringMatching(/requireAttendeeLogin applies to webinars only/) });
    expect(byKey.get('minutes')).toMatchObject({ action: 'error', reason: expect.stringMatching(/joinBeforeHostMinutes needs enabledJoinBeforeHost: true/) });
    expect(byKey.get('thirty')).toMatchObject({ action: 'error', reason: expect.stringMatching(/joinBeforeHostMinutes must be one of 0, 5, 10, 15 for a meeting/) });
    expect(byKey.get('fine')).toMatchObject({ action: 'create' });

    // The emulator agrees: only the file that passed is accepted.
    const fineOnly = writeTree(tempDir('meetctl-switch-'), { 'fine.yaml': keyed('fine', 'enabledJoinBeforeHost: true\njoinBeforeHostMinutes: 10') });
    const applied = await runCli(['apply', '--dir', fineOnly, '--auto-approve'], env);
    expect(applied.code).toBe(0);
    const posted = e.requestLog().filter((r) => r.method === 'POST');
    expect(posted.map((r) => r.status)).toEqual([200]);
  });
});

describe('noteType', () => {
  test('allowAll on a meeting with notes off is what Webex reports: no change, no error', async () => {
    const { env } = await start();
    const dir = writeTree(tempDir('meetctl-switch-'), { 'm.yaml': `id: ${NOTES_OFF}\nmeetingOptions:\n  noteType: allowAll\n` });
    const planned = await plan(dir, env);
    expect(planned.changes.map((c) => c.action)).toEqual(['noop']);
    expect(planned.code).toBe(0);
  });

  test('turning notes off with allowAll sends only the switch, and the next plan is empty', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-switch-'), { 'm.yaml': `id: ${NOTES_ON}\nmeetingOptions:\n  enabledNote: false\n  noteType: allowAll\n` });
    const planned = await plan(dir, env);
    expect(planned.changes).toMatchObject([{ action: 'update', patch: { meetingOptions: { enabledNote: false } } }]);
    expect(planned.changes[0].patch.meetingOptions).not.toHaveProperty('noteType');
    const applied = await runCli(['apply', '--dir', dir, '--auto-approve'], env);
    expect(applied.code).toBe(0);
    expect(e.getMeeting(NOTES_ON)?.meetingOptions).toMatchObject({ enabledNote: false, noteType: 'allowAll' });
    expect((await plan(dir, env)).changes.map((c) => c.action)).toEqual(['noop']);
  });

  test('allowOne with notes off in the file is still a contradiction', async () => {
    const { env } = await start();
    const dir = writeTree(tempDir('meetctl-switch-'), { 'm.yaml': `id: ${NOTES_ON}\nmeetingOptions:\n  enabledNote: false\n  noteType: allowOne\n` });
    const res = await runCli(['validate', '--dir', dir], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/meetingOptions\.noteType needs meetingOptions\.enabledNote: true, but meetingOptions\.enabledNote is false/);
  });
});

describe('the webinar-only login switches', () => {
  test('false on a regular meeting is what Webex reports: no change', async () => {
    const { env } = await start();
    const dir = writeTree(tempDir('meetctl-switch-'), { 'm.yaml': `id: ${MEETING}\nrequireAttendeeLogin: false\nrestrictToInvitees: false\n` });
    const planned = await plan(dir, env);
    expect(planned.changes.map((c) => c.action)).toEqual(['noop']);
  });

  test('turning attendee login off while the webinar is restricted to invitees is an error in the plan; turning both off applies', async () => {
    const { env } = await start();
    const alone = writeTree(tempDir('meetctl-switch-'), { 'w.yaml': `id: ${WEBINAR}\nrequireAttendeeLogin: false\n` });
    const refused = await plan(alone, env);
    expect(refused.changes).toMatchObject([
      { action: 'error', reason: expect.stringMatching(/requireAttendeeLogin cannot be false while restrictToInvitees is true/) },
    ]);
    const both = writeTree(tempDir('meetctl-switch-'), { 'w.yaml': `id: ${WEBINAR}\nrequireAttendeeLogin: false\nrestrictToInvitees: false\n` });
    expect((await plan(both, env)).changes.map((c) => c.action)).toEqual(['update']);
    expect((await runCli(['apply', '--dir', both, '--auto-approve'], env)).code).toBe(0);
  });
});
