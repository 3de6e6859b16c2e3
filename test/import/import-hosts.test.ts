/** import with an admin token and other hosts, and what it selects: --id, --host, --from/--to, the server's clock, unreadable tracking codes (test/import/import-e2e.test.ts has the round trip). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir } from '../support/cli.js';
import { startProxy } from '../support/proxy.js';
import { ADMIN, ALICE, BOB, HOSTED, HOSTS } from './hosts-fixture.js';
import { EXTRA, ID, occ } from './import-seeds.js';
import { emulatorPerTest, yamlFiles } from './import-e2e-support.js';

const session = emulatorPerTest();
const start = session.start;
function hostsById(dir: string): Record<string, unknown> {
  return Object.fromEntries(yamlFiles(dir).map((f) => parse(readFileSync(join(dir, f), 'utf8'))).map((d) => [d.id, d.hostEmail]));
}

describe('an admin token and other hosts', () => {
  test('--all imports only what the token user hosts or is invited to, each file naming its real host, and says how to import other hosts', async () => {
    const { env } = await start(HOSTED);
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--all', '--out', dir], env);
    expect(res.code).toBe(0);
    expect(hostsById(dir)).toEqual({ [HOSTS.adminOwn]: ADMIN, [HOSTS.aliceInvitesAdmin]: ALICE });
    const notice = res.stderr.split('\n').filter((l) => /--all lists/.test(l));
    expect(notice).toEqual([expect.stringMatching(/hosts or is invited to.*--host EMAIL \(repeatable\)/)]);
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);

    // Said also when nothing is found: that is when it matters most.
    await session.emu!.close();
    const { env: none } = await start(HOSTED.filter((m) => m.hostEmail === BOB && !m.invitees));
    const empty = await runCli(['import', '--all', '--out', join(tempDir(), 'm')], none);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toMatch(/imported 0 meeting series/);
    expect(empty.stderr).toMatch(/--all lists .*--host EMAIL/);
  });

  test('--host X writes only what X hosts, with X as host, and counts the invitations it skipped; several --host dedupe', async () => {
    const { env } = await start(HOSTED);
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--host', ALICE, '--out', dir], env);
    expect(res.code).toBe(0);
    expect(hostsById(dir)).toEqual({ [HOSTS.aliceInvitesAdmin]: ALICE, [HOSTS.aliceOwn]: ALICE });
    expect(res.stderr).toMatch(/skipped 1 meeting series alice@example\.com is only invited to/);
    expect(res.stderr).not.toMatch(/--all lists/);
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);

    const both = join(tempDir(), 'meetings');
    const res2 = await runCli(['import', '--host', ALICE, BOB, 'Alice@Example.com', '--out', both], env);
    expect(res2.code).toBe(0);
    expect(res2.stdout.trim().split('\n')).toHaveLength(4);
    expect(hostsById(both)).toEqual({ [HOSTS.aliceInvitesAdmin]: ALICE, [HOSTS.aliceOwn]: ALICE, [HOSTS.bobInvitesAlice]: BOB, [HOSTS.bobOwn]: BOB });
    // Bob's meeting that Alice is invited to was imported under Bob: nothing was left out.
    expect(res2.stderr).not.toMatch(/only invited to/);
    expect((await runCli(['plan', '--dir', both, '--detailed-exitcode'], env)).code).toBe(0);
  });

  test('--id of a series a named --host hosts, outside the listed window, is read as that host (an admin sees it only so)', async () => {
    const { env } = await start(HOSTED);
    const dir = join(tempDir(), 'meetings');
    // Alice's weekly series ends in March: a list from April leaves it out, so it is read by its id.
    const res = await runCli(['import', '--host', ALICE, '--from', '2027-04-01T00:00:00Z', '--id', HOSTS.aliceOwn, '--out', dir], env);
    expect(res.stderr).not.toMatch(/error/);
    expect(res.code).toBe(0);
    expect(hostsById(dir)).toEqual({ [HOSTS.aliceOwn]: ALICE });
    // Without the host named, the admin cannot see it, and the message says how to.
    const alone = await runCli(['import', '--id', HOSTS.aliceOwn, '--out', join(tempDir(), 'm')], env);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/could not read meeting series .*: .*\(403\).*--host EMAIL/);
  });
});

describe('selection', () => {
  test('--id imports those series; an unknown id or a scheduled meeting id is an error (exit 1)', async () => {
    const { env } = await start(EXTRA);
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--id', ID.kathmandu, 'ffff0000000000000000000000000000', occ(ID.london, '2027-03-18T15:00:00Z'), '--out', dir], env);
    expect(res.code).toBe(1);
    expect(res.stdout.trim().split('\n')).toEqual([join(dir, 'standup.yaml')]);
    expect(res.stderr).toMatch(/error: could not read meeting series ffff0000000000000000000000000000: not found \(404\)/);
    expect(res.stderr).toMatch(/is a scheduledMeeting, not a meeting series/);
  });

  test('--host writes hostEmail, and plan on the result is still empty', async () => {
    const meetings = EXTRA.slice(0, 3).map((m, i) => ({ ...m, hostEmail: i === 0 ? 'alice@example.com' : 'bob@example.com' }));
    const { env } = await start(meetings);
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--host', 'alice@example.com', '--out', dir], env);
    expect(res.code).toBe(0);
    const files = yamlFiles(dir);
    expect(files).toEqual(['reunion-d-equipe-paris.yaml']);
    const data = parse(readFileSync(join(dir, files[0]), 'utf8'));
    expect(data.hostEmail).toBe('alice@example.com');
    const plan = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(plan.code).toBe(0);
  });

  test('nothing selected, or a bad window, is a usage error before any request', async () => {
    const { emu, env } = await start(EXTRA.slice(0, 1));
    const none = await runCli(['import', '--out', join(tempDir(), 'm')], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--id ID…, --all, or --host EMAIL…/);
    const window = await runCli(['import', '--all', '--from', '2027-05-01', '--to', '2027-01-01', '--out', join(tempDir(), 'm')], env);
    expect(window.code).toBe(1);
    expect(window.stderr).toMatch(/--from .* must be before --to/);
    // Date.parse would take these for 2001-01-01 and 2001-03-07 (or the local clock's midnight).
    for (const bad of ['1', 'March 7', '2027-03-07T09:00:00', '2027-13-01']) {
      const res = await runCli(['import', '--all', '--from', bad, '--out', join(tempDir(), 'm')], env);
      expect(res.code, bad).toBe(1);
      expect(res.stderr).toContain(`--from must be an ISO 8601 date (2027-03-07) or a date-time with its offset (2027-03-07T09:00:00Z), not ${bad}`);
    }
    expect(emu.requestLog()).toHaveLength(0);
  });

  test("the default window is placed by the server's clock, not the machine's: a month behind, its upcoming series and overrides are still imported", async () => {
    const DAY = 24 * 3600 * 1000;
    // The server's clock a month behind this machine's (whatever today is), to the second.
    const serverNow = new Date(Math.floor((Date.now() - 30 * DAY) / 1000) * 1000);
    const at = (days: number, hour: number) => new Date(serverNow.getTime() + days * DAY + hour * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const soon = 'b2000000000000000000000000000001';
    const weekly = 'b2000000000000000000000000000002';
    const firstMeeting = at(2, 0);
    const meetings: SeedMeeting[] = [
      { id: soon, title: 'In five days (server time)', timezone: 'UTC', start: at(5, 1), end: at(5, 2) },
      {
        id: weekly,
        title: 'Weekly',
        timezone: 'UTC',
        start: firstMeeting,
        end: at(2, 1),
        recurrence: 'FREQ=WEEKLY;COUNT=4',
        occurrences: [{ id: occ(weekly, at(9, 0)), title: 'Weekly (special)' }],
      },
    ];
    const emu = session.track(await startEmulator({ seed: { now: serverNow.toISOString(), meetings }, now: serverNow.toISOString() }));
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--all', '--out', dir], env);
    expect(res.code, res.stderr).toBe(0);
    expect(yamlFiles(dir)).toEqual(['in-five-days-server-time.yaml', 'weekly.yaml']);
    expect(parse(readFileSync(join(dir, 'weekly.yaml'), 'utf8')).occurrences).toEqual([expect.objectContaining({ title: 'Weekly (special)' })]);
    const lists = emu.requestLog().filter((r) => /\/meetings\?/.test(r.path) && !/max=1(&|$)/.test(r.path));
    for (const r of lists) expect(new URL(r.path, 'http://x').searchParams.get('from'), r.path).toBe(new Date(serverNow.getTime() - DAY).toISOString());
  });

  test("the site's tracking codes unreadable: a series with tracking codes is not written (its list cannot be checked), the others are, exit 1", async () => {
    const { emu, env } = await start(EXTRA.filter((m) => m.id === ID.london || m.id === ID.kathmandu));
    // A stand-in in front of the emulator that refuses the tracking-code read, as a token without its scope would be.
    const proxy = await startProxy(emu.baseUrl, {
      answer: (req) =>
        (req.url ?? '').startsWith('/v1/meetings/trackingCodes')
          ? { status: 403, body: { message: 'The server understood the request, but refused to fulfill it.', errors: [{ description: 'Forbidden' }], trackingId: 'PROXY-1' } }
          : undefined,
    });
    try {
      const dir = join(tempDir(), 'meetings');
      const res = await runCli(['import', '--all', '--out', dir], { ...env, WEBEX_BASE_URL: proxy.baseUrl });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(new RegExp(`error: ${ID.london} was not written: it has tracking codes, and the site's tracking codes could not be read to check them`));
      expect(yamlFiles(dir)).toEqual(['standup.yaml']);
    } finally {
      await proxy.close();
    }
  });

  test('a defaults file in a folder above --out is named in a warning: a plan of that folder applies it to the imported files', async () => {
    const { env } = await start(EXTRA.filter((m) => m.id === ID.kathmandu));
    const root = tempDir();
    writeFileSync(join(root, 'defaults.yaml'), 'agenda: Parent agenda\n');
    const dir = join(root, 'imported', 'team');
    const res = await runCli(['import', '--all', '--out', dir], env);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`warning: ${join(root, 'defaults.yaml')} is a defaults file above ${dir}: a plan of its folder applies it to the imported meetings, which may then show changes`);
  });

  test("what validate will warn of in a written file is said at import, with the likely cause: a monthly rule read in the wrong zone", async () => {
    const tokyo: SeedMeeting = { id: 'b3000000000000000000000000000001', title: 'Tokyo monthly', timezone: 'Asia/Tokyo', start: '2027-03-01T08:00:00+09:00', end: '2027-03-01T09:00:00+09:00', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=6' };
    const { env } = await start([tokyo]);
    const inUtc = await runCli(['import', '--all', '--out', join(tempDir(), 'm')], env);
    expect(inUtc.code).toBe(0);
    expect(inUtc.stderr).toMatch(/warning: tokyo-monthly\.yaml: validate will warn: the start .* is not one of the rule's meetings.*; the rule is read in the file's zone, UTC here: import again with --timezone/);
    const inTokyo = await runCli(['import', '--all', '--timezone', 'Asia/Tokyo', '--out', join(tempDir(), 'm')], env);
    expect(inTokyo.code).toBe(0);
    expect(inTokyo.stderr).not.toMatch(/validate will warn/);
  });

  test('a title with a bidi override is written with it escaped in double quotes: the same title to YAML, visible in a diff; plan right after is empty', async () => {
    const title = 'Budget \u202eweiver\u202c 2027';
    const agenda = 'Room\u200b 4\u00ad';
    const { env } = await start([{ id: 'b6000000000000000000000000000001', title, agenda, timezone: 'UTC', start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z' }]);
    const dir = join(tempDir(), 'meetings');
    expect((await runCli(['import', '--all', '--out', dir], env)).code).toBe(0);
    const [file] = yamlFiles(dir);
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toContain('title: "Budget \\u202eweiver\\u202c 2027"');
    expect(text).toContain('agenda: "Room\\u200b 4\\u00ad"');
    expect(/[\u202a-\u202e\u200b\u00ad]/.test(text)).toBe(false);
    expect(parse(text)).toMatchObject({ title, agenda });
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);
  });

  test('--from/--to narrow the listing window', async () => {
    const { env } = await start(EXTRA);
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--all', '--from', '2027-06-01T00:00:00Z', '--to', '2027-12-31T00:00:00Z', '--out', dir], env);
    expect(res.code).toBe(0);
    // The monthly Lord Howe series runs February to July, so it overlaps the window too.
    expect(yamlFiles(dir)).toEqual(['a1000000000000000000000000000003.yaml', 'etc-passwd.yaml', 'hidden-webinar.yaml']);
  });
});
