/**
 * A file's hostEmail is the meeting's host, checked against the host every read returns: an
 * admin's list "as" a user holds the meetings that user is only invited to, and a token without
 * admin-level scopes reads its own view whatever hostEmail says ("only used if the user or
 * application calling the API has the admin-level scopes"). Either way the plan says so, by the
 * list and by GET alike, instead of planning updates Webex refuses or calling a stranger's meeting in sync.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedFile } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const ALICES = 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1';
const BOBS = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';
const seed: SeedFile = {
  now: NOW,
  tokens: [{ token: 'admin-token', admin: true }, { token: 'bob-token', hostEmail: 'bob@example.com' }],
  meetings: [
    { id: ALICES, title: 'Alice weekly', hostEmail: 'alice@example.com', invitees: ['bob@example.com'], start: '2027-02-01T10:00:00Z', end: '2027-02-01T10:30:00Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10' },
    { id: BOBS, title: 'Bob sync', hostEmail: 'bob@example.com', start: '2027-02-02T10:00:00Z', end: '2027-02-02T10:30:00Z' },
  ],
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('the live host against the file\'s hostEmail', () => {
  test('an admin: a series the named host is only invited to is an error by the list and by GET, never an update', async () => {
    emu = await startEmulator({ seed: structuredClone(seed) });
    const dir = writeTree(tempDir(), { 'alice.yaml': `id: ${ALICES}\nhostEmail: bob@example.com\ntitle: Alice weekly (renamed)\n` });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: 'admin-token' };
    const byList = await runCli(['plan', '--dir', dir, '--fetch', 'list'], env);
    expect(byList.code).toBe(1);
    expect(byList.stdout).toContain(`${ALICES} is hosted by alice@example.com, not bob@example.com as the file says: set hostEmail: alice@example.com`);
    // An admin token is told nothing about lacking admin scopes; the scopes are named only as the cause when the host is the token's own user.
    expect(byList.stdout).toContain("if alice@example.com is the token's own user, the token may lack the admin-level scopes");
    expect(byList.stdout).not.toContain('or plan with a token that has admin-level scopes');
    const byGet = await runCli(['plan', '--dir', dir, '--fetch', 'get'], env);
    expect(byGet.code).toBe(1);
    expect(emu.requestLog().filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  test('a token without admin scopes: its own meeting named as another host\'s is an error, not "in sync"', async () => {
    emu = await startEmulator({ seed: structuredClone(seed) });
    const dir = writeTree(tempDir(), { 'bob.yaml': `id: ${BOBS}\nhostEmail: alice@example.com\ntitle: Bob sync\n` });
    const res = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: 'bob-token' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`${BOBS} is hosted by bob@example.com, not alice@example.com as the file says`);
  });

  test('a modified meeting two named hosts both list (one hosts it, one is invited) is read once', async () => {
    const withOverride = structuredClone(seed);
    withOverride.meetings![0].occurrences = [{ id: `${ALICES}_20270208T100000Z`, isModified: true, title: 'Alice weekly (demo)' }];
    emu = await startEmulator({ seed: withOverride });
    const dir = writeTree(tempDir(), {
      // The series moves an hour: its modified meeting is cancelled, and the plan says which.
      'alice.yaml': `id: ${ALICES}\nhostEmail: alice@example.com\nstart: 2027-02-01T11:00:00Z\nend: 2027-02-01T11:30:00Z\noccurrences:\n  - id: ${ALICES}_20270215T100000Z\n    title: Alice weekly (review)\n`,
      'bob.yaml': `id: ${BOBS}\nhostEmail: bob@example.com\ntitle: Bob sync\n`,
    });
    const res = await runCli(['plan', '--dir', dir, '--fetch', 'list'], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: 'admin-token' });
    expect(res.stdout).toContain(`cancels its 1 modified scheduled meeting: ${ALICES}_20270208T100000Z`);
  });

  test('the host\'s own case does not matter', async () => {
    emu = await startEmulator({ seed: structuredClone(seed) });
    const dir = writeTree(tempDir(), { 'bob.yaml': `id: ${BOBS}\nhostEmail: Bob@Example.com\ntitle: Bob sync\n` });
    const res = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: 'admin-token' });
    expect(res.code).toBe(0);
  });
});

describe('one host, several spellings of its email', () => {
  test('is listed once, and each file is planned as that host', async () => {
    emu = await startEmulator({ seed: structuredClone(seed) });
    const dir = writeTree(tempDir(), {
      'a.yaml': `id: ${ALICES}\nhostEmail: alice@example.com\ntitle: Alice weekly\n`,
      'b.yaml': `key: alice-new\nhostEmail: Alice@Example.com\ntitle: Alice new\nstart: 2027-03-01T10:00:00Z\nend: 2027-03-01T10:30:00Z\n`,
      'c.yaml': `key: alice-other\nhostEmail: ALICE@EXAMPLE.COM\ntitle: Alice other\nstart: 2027-03-02T10:00:00Z\nend: 2027-03-02T10:30:00Z\n`,
    });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: 'admin-token' };
    emu.clearRequestLog();
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    expect(res.code).toBe(0);
    const seriesLists = emu.requestLog().filter((r) => r.method === 'GET' && /[?&]meetingType=meetingSeries/.test(r.path) && /hostEmail=/i.test(r.path));
    expect(seriesLists.map((r) => decodeURIComponent(/hostEmail=([^&]*)/.exec(r.path)![1]).toLowerCase())).toEqual(['alice@example.com']);
    const plan = JSON.parse(res.stdout) as { changes: { action: string; key?: string }[] };
    expect(plan.changes.filter((c) => c.action === 'create').map((c) => c.key).sort()).toEqual(['alice-new', 'alice-other']);
  });
});

describe('plan --prune says whose meetings it looked at for orphans', () => {
  test('the hosts the files name and the token\'s own user; nothing of it without --prune', async () => {
    emu = await startEmulator({ seed: structuredClone(seed) });
    const dir = writeTree(tempDir(), {
      'a.yaml': `id: ${ALICES}\nhostEmail: alice@example.com\ntitle: Alice weekly\n`,
      'b.yaml': `id: ${BOBS}\nhostEmail: bob@example.com\ntitle: Bob sync\n`,
      'own.yaml': `key: own-1\ntitle: Own\nstart: 2027-03-01T10:00:00Z\nend: 2027-03-01T10:30:00Z\n`,
    });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: 'admin-token' };
    const notes = async (args: string[]) => (JSON.parse((await runCli(['plan', '--dir', dir, '--format', 'json', ...args], env)).stdout) as { notes: string[] }).notes;
    expect((await notes(['--prune'])).filter((n) => n.startsWith('prune:'))).toEqual([
      "prune: orphans are looked for among the meetings of 2 hosts the files name and the token's own user; an owned meeting of a host no file names is neither listed nor deleted",
    ]);
    expect((await notes([])).filter((n) => n.startsWith('prune:'))).toEqual([]);
  });
});

describe('drift says whose meetings it looked at for orphans', () => {
  test('in its text, Markdown and JSON reports', async () => {
    emu = await startEmulator({ seed: structuredClone(seed) });
    const dir = writeTree(tempDir(), {
      'a.yaml': `id: ${ALICES}\nhostEmail: alice@example.com\ntitle: Alice weekly\n`,
      'b.yaml': `id: ${BOBS}\nhostEmail: bob@example.com\ntitle: Bob sync\n`,
    });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: 'admin-token' };
    const NOTE = 'orphans: owned meetings that no file declares are looked for among the meetings of 2 hosts the files name; an owned meeting of a host no file names is not seen';
    const json = await runCli(['drift', '--dir', dir, '--format', 'json'], env);
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes.filter((n) => n.startsWith('orphans:'))).toEqual([NOTE]);
    expect((await runCli(['drift', '--dir', dir], env)).stdout).toContain(`i ${NOTE}\n`);
    expect((await runCli(['drift', '--dir', dir, '--format', 'markdown'], env)).stdout).toContain(`> ${NOTE}\n`);
  });
});
