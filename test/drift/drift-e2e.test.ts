import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir } from '../support/cli.js';
import { startProxy } from '../support/proxy.js';
import { createWebexClient } from '../../meetings/client.js';
import { findUnmanaged } from '../../meetings/unmanaged.js';
import { ADMIN, ALICE, BOB, HOSTED, HOSTS } from '../import/hosts-fixture.js';

const NOW = '2027-01-15T09:00:00Z';
const SYNC = '2b000000000000000000000000000001';
const REVIEW = '2b000000000000000000000000000002';
const EXTRA = '2b000000000000000000000000000003';
const PASSWORD = 'Live-Pass-7731';

const meetings: SeedMeeting[] = [
  {
    id: SYNC,
    title: 'Sales Sync',
    timezone: 'Europe/Berlin',
    start: '2027-03-02T09:00:00+01:00',
    end: '2027-03-02T09:30:00+01:00',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10',
    password: PASSWORD,
    meetingOptions: { enabledChat: true },
  },
  { id: REVIEW, title: 'Design Review', timezone: 'America/New_York', start: '2027-02-10T14:00:00-05:00', end: '2027-02-10T15:00:00-05:00' },
];

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** An emulator with the two series (and `extra`), and a directory that declares the two. */
async function setup(extra: SeedMeeting[] = []) {
  emu = await startEmulator({ seed: { now: NOW, meetings: structuredClone([...meetings, ...extra]) }, now: NOW });
  const dir = join(tempDir(), 'meetings');
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SYNC_PW: PASSWORD };
  const imported = await runCli(['import', '--id', SYNC, REVIEW, '--out', dir], env);
  expect(imported.code).toBe(0);
  // Manage the password too, as a reference, so that secret masking is exercised.
  const syncFile = join(dir, 'sales-sync.yaml');
  const { readFileSync } = await import('node:fs');
  writeFileSync(syncFile, readFileSync(syncFile, 'utf8').replace(/^# password: .*$/m, 'password: ${env:SYNC_PW}'));
  return { emu, dir, env };
}

describe('meetctl drift', () => {
  test('in sync: exit 0, one status line on stderr', async () => {
    const { dir, env } = await setup();
    const res = await runCli(['drift', '--dir', dir], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('No drift: every managed meeting matches its file.');
    expect(res.stderr.trim().split('\n')).toEqual(['meetctl drift: in sync (2 managed meetings)']);
  });

  test('a change made in Webex is drift: exit 2, the field with live and desired values', async () => {
    const { emu, dir, env } = await setup();
    emu.editMeeting(SYNC, { title: 'Sales Sync (moved to Thursday?)', meetingOptions: { enabledChat: false } });
    const res = await runCli(['drift', '--dir', dir], env);
    expect(res.code).toBe(2);
    expect(res.stdout).toContain('title: live "Sales Sync (moved to Thursday?)", desired "Sales Sync"');
    expect(res.stdout).toContain('meetingOptions.enabledChat: live false, desired true');
    expect(res.stdout).not.toContain(REVIEW);
    expect(res.stderr.trim()).toBe('meetctl drift: 1 meeting drifted (exit 2)');

    const json = JSON.parse((await runCli(['drift', '--dir', dir, '--format', 'json'], env)).stdout);
    expect(json.inSync).toBe(false);
    expect(json.drifted).toHaveLength(1);
    expect(json.drifted[0]).toMatchObject({ id: SYNC, file: join(dir, 'sales-sync.yaml') });
    expect(json.drifted[0].fields).toEqual(
      expect.arrayContaining([
        { field: 'title', live: 'Sales Sync (moved to Thursday?)', desired: 'Sales Sync' },
        { field: 'meetingOptions.enabledChat', live: false, desired: true },
      ]),
    );
    expect(json.unmanaged).toEqual([]);
    expect(json.notUpdatable).toEqual([]);
    expect(json.errors).toEqual([]);
  });

  test('drift never sends a write', async () => {
    const { emu, dir, env } = await setup();
    emu.editMeeting(SYNC, { title: 'Changed' });
    emu.clearRequestLog();
    expect((await runCli(['drift', '--dir', dir, '--report-unmanaged'], env)).code).toBe(2);
    expect(new Set(emu.requestLog().map((r) => r.method))).toEqual(new Set(['GET']));
  });

  test('a changed password is reported masked: neither the live nor the desired value is printed', async () => {
    const { emu, dir, env } = await setup();
    emu.editMeeting(SYNC, { password: 'Changed-Pass-9' });
    for (const format of ['text', 'json', 'markdown']) {
      const res = await runCli(['drift', '--dir', dir, '--format', format], env);
      expect(res.code).toBe(2);
      expect(res.stdout).toContain('(sensitive)');
      for (const secret of [PASSWORD, 'Changed-Pass-9']) expect(res.stdout + res.stderr).not.toContain(secret);
    }
  });

  test('--report-unmanaged lists the series no file declares', async () => {
    const { dir, env } = await setup([
      { id: EXTRA, title: 'Side Project', timezone: 'UTC', start: '2027-02-01T10:00:00Z', end: '2027-02-01T10:30:00Z' },
    ]);
    expect((await runCli(['drift', '--dir', dir], env)).code).toBe(0);
    const res = await runCli(['drift', '--dir', dir, '--report-unmanaged', '--format', 'json'], env);
    expect(res.code).toBe(2);
    const json = JSON.parse(res.stdout);
    expect(json.unmanaged).toEqual([expect.objectContaining({ id: EXTRA, title: 'Side Project', start: expect.stringMatching(/^2027-02-01T10:00/) })]);
    expect(json.drifted).toEqual([]);
    const text = await runCli(['drift', '--dir', dir, '--report-unmanaged'], env);
    expect(text.stdout).toMatch(/Unmanaged series/);
    expect(text.stdout).toContain(EXTRA);
  });

  test('--report-unmanaged says which of them meetctl created (its ownership tag): an orphan the lists of the files\' hosts missed', async () => {
    const ORPHAN = 'ab000000000000000000000000000042';
    emu = await startEmulator({ seed: { now: NOW, meetings: [{ id: ORPHAN, title: 'Old retro', timezone: 'UTC', start: '2027-02-03T10:00:00Z', end: '2027-02-03T10:30:00Z', integrationTags: ['meetctl:old-retro'] }, { id: EXTRA, title: 'Side Project', timezone: 'UTC', start: '2027-02-01T10:00:00Z', end: '2027-02-01T10:30:00Z' }] }, now: NOW });
    const client = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken });
    try {
      const { unmanaged } = await findUnmanaged(client, new Set(), [undefined], { from: '2027-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' });
      expect(Object.fromEntries(unmanaged.map((u) => [u.id, u.key]))).toEqual({ [EXTRA]: undefined, [ORPHAN]: 'old-retro' });
    } finally {
      await client.close();
    }
  });

  test('markdown: summary table first, details folded', async () => {
    const { emu, dir, env } = await setup();
    // An agenda added in Webex is drift: import stated the series had none (agenda: null).
    emu.editMeeting(REVIEW, { agenda: 'Added in Webex' });
    const added = await runCli(['drift', '--dir', dir], env);
    expect(added.code).toBe(2);
    expect(added.stdout).toMatch(/agenda/);
    emu.editMeeting(REVIEW, { agenda: null });
    expect((await runCli(['drift', '--dir', dir], env)).code).toBe(0);
    emu.editMeeting(REVIEW, { title: 'Design Review | `v2`' });
    const res = await runCli(['drift', '--dir', dir, '--format', 'markdown'], env);
    expect(res.code).toBe(2);
    expect(res.stdout.startsWith('### meetctl drift\n\n| Drifted | In sync | Not updatable | Errors |\n| ---: | ---: | ---: | ---: |\n| 1 | 1 | 0 | 0 |\n')).toBe(true);
    expect(res.stdout).toMatch(/<details><summary>~ series <code>2b000000000000000000000000000002<\/code> “Design Review”/);
    expect(res.stdout).toContain('| `title` | ``"Design Review \\| `v2`"`` | `"Design Review"` |');
  });

  test('a meeting Webex will not let us update is reported apart, with the reason; still drift (exit 2)', async () => {
    const { emu, dir, env } = await setup();
    // A series whose meeting runs now can still be updated (only the running instance cannot):
    // one whose every scheduled meeting has passed cannot.
    emu.editMeeting(REVIEW, { title: 'Renamed during the meeting' });
    emu.setState(REVIEW, 'expired');
    const res = await runCli(['drift', '--dir', dir, '--format', 'json'], env);
    expect(res.code).toBe(2);
    const json = JSON.parse(res.stdout);
    expect(json.drifted).toEqual([]);
    // The status line counts it as the headline does: not updatable, not drifted.
    expect(res.stderr.trim()).toBe('meetctl drift: 0 meetings drifted, 1 not updatable (exit 2)');
    expect(json.notUpdatable).toEqual([
      expect.objectContaining({ id: REVIEW, reason: expect.stringMatching(/every scheduled meeting of the series has passed/), fields: [{ field: 'title', live: 'Renamed during the meeting', desired: 'Design Review' }] }),
    ]);
  });

  test('a meeting that cannot be read is an error: exit 1', async () => {
    const { emu, dir, env } = await setup();
    emu.deleteMeeting(REVIEW);
    const res = await runCli(['drift', '--dir', dir, '--format', 'json'], env);
    expect(res.code).toBe(1);
    const json = JSON.parse(res.stdout);
    expect(json.errors).toEqual([expect.objectContaining({ id: REVIEW, message: expect.stringMatching(/not found/) })]);
    expect(res.stderr).toMatch(/^meetctl drift: 1 error/m);
  });

  test('a series list that fails hides what it would show (orphans): an error (exit 1), never "No drift"', async () => {
    const { dir, env } = await setup();
    // The preflight's one-item list passes; the list of the host's series (max=100) is refused.
    const proxy = await startProxy(env.WEBEX_BASE_URL, {
      answer: (req) =>
        /^\/v1\/meetings\?/.test(req.url ?? '') && /meetingType=meetingSeries/.test(req.url ?? '') && !/max=1(&|$)/.test(req.url ?? '')
          ? { status: 403, body: { message: 'Forbidden', errors: [{ description: 'Not allowed' }], trackingId: 'T-1' } }
          : undefined,
    });
    try {
      const viaProxy = { ...env, WEBEX_BASE_URL: proxy.baseUrl };
      const text = await runCli(['drift', '--dir', dir], viaProxy);
      expect(text.code, text.stderr + text.stdout).toBe(1);
      expect(text.stdout).not.toContain('No drift');
      expect(text.stdout).toMatch(/could not list the meeting series of host@example.com/);
      const res = await runCli(['drift', '--dir', dir, '--format', 'json'], viaProxy);
      expect(res.code).toBe(1);
      const json = JSON.parse(res.stdout);
      expect(json.inSync).toBe(false);
      expect(json.errors).toEqual([{ message: expect.stringMatching(/^could not list the meeting series of host@example.com: their owned meetings/) }]);
      // Said once, as the error it is, not again among the notes.
      expect(json.notes.filter((n: string) => /could not list/.test(n))).toEqual([]);
      expect(res.stderr).toMatch(/^meetctl drift: 1 error/m);
    } finally {
      await proxy.close();
    }
  });

  test('usage errors exit 1 before any request', async () => {
    const { emu, dir, env } = await setup();
    emu.clearRequestLog();
    const bad = await runCli(['drift', '--dir', dir, '--format', 'yaml'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--format must be text, json, markdown or github/);
    const combined = await runCli(['drift', '--dir', dir, '--report-unmanaged', '--target', SYNC], env);
    expect(combined.code).toBe(1);
    expect(emu.requestLog()).toHaveLength(0);
  });
});

describe('meetctl drift --report-unmanaged with other hosts', () => {
  test("a host's invitations are not reported as that host's meetings; a series is reported once, under its real host", async () => {
    emu = await startEmulator({ seed: { now: NOW, meetings: structuredClone(HOSTED) }, now: NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const dir = join(tempDir(), 'meetings');
    expect((await runCli(['import', '--host', ALICE, '--out', dir], env)).code).toBe(0);
    // Leave Alice's invitation to the admin undeclared: the admin's own listing and Alice's both hold it.
    rmSync(join(dir, 'alice-invites-admin.yaml'));
    emu.clearRequestLog();
    const res = await runCli(['drift', '--dir', dir, '--report-unmanaged', '--format', 'json'], env);
    expect(res.code).toBe(2);
    const json = JSON.parse(res.stdout);
    expect(json.unmanaged).toEqual([
      { id: HOSTS.adminOwn, title: 'Admin own', start: expect.stringMatching(/^2027-02-01T10:00/), hostEmail: ADMIN },
      { id: HOSTS.aliceInvitesAdmin, title: 'Alice invites admin', start: expect.stringMatching(/^2027-02-02T10:00/), hostEmail: ALICE },
    ]);
    // Bob's meeting Alice is only invited to is neither Alice's nor visible to the admin as itself.
    expect(JSON.stringify(json.unmanaged)).not.toContain(HOSTS.bobInvitesAlice);
    expect(JSON.stringify(json.unmanaged)).not.toContain(BOB);
    // The listings state current=false: a running series would otherwise be listed with its next occurrence.
    const lists = emu.requestLog().filter((r) => r.method === 'GET' && /\/meetings\?/.test(r.path) && /meetingType=meetingSeries/.test(r.path));
    expect(lists.length).toBeGreaterThan(0);
    for (const r of lists) expect(new URL(r.path, 'http://x').searchParams.get('current')).toBe('false');
  });
});
