import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { generateSeed, startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { formatInZone } from '../../meetings/time.js';
import { runCli, tempDir } from '../support/cli.js';
import { startProxy } from '../support/proxy.js';
import { ADMIN, ALICE, BOB, HOSTED, HOSTS } from './hosts-fixture.js';
import { EXTRA, ID, occ, RUN, RUNNING } from './import-seeds.js';

const NOW = '2027-01-15T09:00:00Z';

/** Every listing import sent states the parameters whose server defaults would change the answer. */
function expectExplicitLists(log: readonly { method: string; path: string }[]): void {
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

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(meetings: SeedMeeting[]) {
  emu = await startEmulator({ seed: { now: NOW, meetings: structuredClone(meetings) }, now: NOW });
  return { emu, env: { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken } };
}

/** The same instant, written with the zone's offset. */
function inZone(value: string, zone: string): string {
  return formatInZone(Date.parse(value), zone);
}

function yamlFiles(dir: string): string[] {
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

describe('meetctl import then plan: no changes', () => {
  // 200 series (generated, the hard cases, the running ones), so that plan reads them by listing (over 100 files).
  for (const zone of [undefined, 'Europe/Berlin'] as const) {
    test(`200 varied series round-trip, running ones and DST edges among them (--timezone ${zone ?? 'default: UTC'})`, async () => {
      const generated = generateSeed({ series: 200 - EXTRA.length - RUNNING.length }).meetings ?? [];
      // The generator must cover what the round trip is about; what it lacks, EXTRA and RUNNING add.
      expect(generated.some((m) => m.recurrence)).toBe(true);
      expect(generated.some((m) => !m.recurrence)).toBe(true);
      expect(generated.some((m) => m.scheduledType === 'webinar')).toBe(true);
      expect(generated.some((m) => (m.occurrences?.length ?? 0) > 0)).toBe(true);
      expect(generated.some((m) => Array.isArray(m.integrationTags) && m.integrationTags.length > 0)).toBe(true);
      expect(generated.some((m) => Array.isArray(m.trackingCodes) && m.trackingCodes.length > 0)).toBe(true);
      expect(new Set(generated.map((m) => m.timezone)).size).toBeGreaterThanOrEqual(5);
      const all = [...generated, ...EXTRA, ...RUNNING];
      expect(all).toHaveLength(200);
      const { env } = await start(all);
      const dir = join(tempDir(), 'meetings');

      const imported = await runCli(['import', '--all', '--out', dir, ...(zone ? ['--timezone', zone] : [])], env);
      expect(imported.stderr).not.toMatch(/^error:/m);
      expect(imported.code).toBe(0);
      expectExplicitLists(emu!.requestLog());
      expect(imported.stdout.trim().split('\n')).toHaveLength(200);
      expect(yamlFiles(dir)).toHaveLength(200);
      expect(imported.stderr).toContain('imported 200 meeting series');
      // No secret value ever reaches a file or the output.
      for (const secret of ['Berlin-Secret-1', 'Web-Secret-2', 'Panel-Secret-3']) {
        expect(imported.stdout + imported.stderr).not.toContain(secret);
        for (const f of yamlFiles(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(secret);
      }
      const files = new Map(yamlFiles(dir).map((f) => [parse(readFileSync(join(dir, f), 'utf8')).id as string, parse(readFileSync(join(dir, f), 'utf8'))]));
      // The running series start where they began, not at today's or the next occurrence.
      for (const m of RUNNING) expect({ id: m.id, start: Date.parse(files.get(m.id).start) }).toEqual({ id: m.id, start: Date.parse(m.start) });
      // Every file states the chosen zone and writes its times with that zone's offset at the instant.
      for (const data of files.values()) {
        expect(data.timezone).toBe(zone ?? 'UTC');
        for (const t of [data.start, data.end]) expect(t).toBe(inZone(t, zone ?? 'UTC'));
      }
      if (zone === 'Europe/Berlin') {
        expect(files.get(RUN.berlinWeekly).start).toBe('2026-09-07T09:00:00+02:00');
        // Its overrides keep their ids (the original starts). (Whether the past one is listed depends on
        // the local clock, which the default window starts from, against the emulator's.)
        expect(files.get(RUN.berlinWeekly).occurrences).toEqual(
          expect.arrayContaining([
            { id: occ(RUN.berlinWeekly, '2027-01-18T08:00:00Z'), title: 'Running weekly Berlin (kick-off)' },
            { id: occ(RUN.berlinWeekly, '2027-04-05T07:00:00Z'), start: '2027-04-05T10:00:00+02:00', end: '2027-04-05T10:45:00+02:00' },
          ]),
        );
      } else {
        expect(files.get(RUN.utcOngoing).start).toBe('2026-11-02T08:30:00+00:00');
        expect(files.get(RUN.kolkataDaily).occurrences).toEqual([
          { id: occ(RUN.kolkataDaily, '2027-02-01T04:30:00Z'), start: '2027-02-01T05:30:00+00:00', end: '2027-02-01T05:45:00+00:00' },
        ]);
      }

      emu!.clearRequestLog();
      const plan = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
      if (plan.code !== 0) console.error(plan.stdout.slice(0, 4000), plan.stderr.slice(0, 2000));
      expect(plan.code).toBe(0);
      expect(plan.stdout).toMatch(/No changes/);
      const log = emu!.requestLog();
      expect(new Set(log.map((r) => r.method))).toEqual(new Set(['GET']));
      // Over 100 files: plan read the series through lists, not one GET each.
      expect(log.filter((r) => /\/meetings\?/.test(r.path)).length).toBeGreaterThan(0);
      expect(log.filter((r) => /\/meetings\/[^/?]+(\?|$)/.test(r.path)).length).toBeLessThan(100);

      // validate is clean too (the plan above would not have run otherwise, but say it plainly).
      const validate = await runCli(['validate', '--dir', dir], env);
      expect(validate.code).toBe(0);
    });
  }

  test('a running series is imported with its own first start, not its next occurrence, by --all and --id alike', async () => {
    const { env } = await start(RUNNING);
    for (const select of [['--all'], ['--id', RUN.berlinWeekly, RUN.utcOngoing]]) {
      const dir = join(tempDir(), 'meetings');
      const res = await runCli(['import', ...select, '--out', dir], env);
      expect(res.code).toBe(0);
      const berlin = parse(readFileSync(join(dir, 'running-weekly-berlin.yaml'), 'utf8'));
      expect([berlin.start, berlin.end].map(Date.parse)).toEqual(['2026-09-07T09:00:00+02:00', '2026-09-07T09:45:00+02:00'].map(Date.parse));
      // Today's occurrence is in progress: still the series' own first start.
      const ongoing = parse(readFileSync(join(dir, 'running-daily-utc-in-progress-now.yaml'), 'utf8'));
      expect(Date.parse(ongoing.start)).toBe(Date.parse('2026-11-02T08:30:00Z'));
      const plan = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
      if (plan.code !== 0) console.error(plan.stdout.slice(0, 3000));
      expect(plan.code).toBe(0);
    }
  });

  test('the files hold what a reviewer expects: modeline, secrets as references, overrides, skipped settings', async () => {
    const { env } = await start(EXTRA);
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--all', '--out', dir, '--timezone', 'Europe/London'], env);
    expect(res.code).toBe(0);

    const london = readFileSync(join(dir, 'defaults-a1000000.yaml'), 'utf8');
    expect(london.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\.\.?\/.*schemas\/meeting\.schema\.json$/);
    const schemaPath = london.split('\n')[0].replace(/^.*\$schema=/, '');
    expect(existsSync(join(dir, schemaPath))).toBe(true);
    const data = parse(london);
    expect(data.id).toBe(ID.london);
    expect(data.timezone).toBe('Europe/London');
    expect(data.hostEmail).toBe('host@example.com'); // the item's own host: the seeds' default, the admin token's user
    expect(data.visualWatermarkOpacity).toBe(40);
    expect(data.meetingOptions.noteType).toBe('allowOne');
    expect(data.integrationTags).toEqual(['ONE', 'TWO', 'THREE']);
    expect(data.agenda).toBe('Line one\nLine two: with a colon # and a hash');
    expect(data.occurrences).toEqual([
      { id: occ(ID.london, '2027-03-11T15:00:00Z'), start: expect.stringMatching(/^2027-03-11T16:00/), end: expect.stringMatching(/^2027-03-11T16:45/) },
      { id: occ(ID.london, '2027-03-18T15:00:00Z'), agenda: 'Special edition', meetingOptions: { enabledNote: false } },
      { id: occ(ID.london, '2027-04-01T14:00:00Z'), title: 'Defaults (long)', end: expect.stringMatching(/^2027-04-01T16:30:00\+01:00/) },
    ]);
    expect(statSync(join(dir, 'defaults-a1000000.yaml')).mode & 0o777).toBe(0o644);

    const webinar = readFileSync(join(dir, 'hidden-webinar.yaml'), 'utf8');
    expect(webinar).toContain('# password: ${env:MEETING_HIDDEN_WEBINAR_PASSWORD}');
    expect(webinar).toContain('# panelistPassword: ${env:MEETING_HIDDEN_WEBINAR_PANELIST_PASSWORD}');
    const w = parse(webinar);
    expect(w.requireAttendeeLogin).toBe(true);
    expect(w.restrictToInvitees).toBe(true);
    expect(w.joinBeforeHostMinutes).toBe(30);
    expect(w.meetingOptions.enabledPolling).toBe(true);
    expect(w.attendeePrivileges).toBeUndefined();

    const single = parse(readFileSync(join(dir, 'etc-passwd.yaml'), 'utf8'));
    expect(single.start).toBe('2027-11-07T05:30:00+00:00'); // in the chosen zone, London, not the meeting's own
    // In its own zone: the first 01:30 of the fall-back night keeps its -04:00, the end is after the change.
    const ny = join(tempDir(), 'ny');
    expect((await runCli(['import', '--id', ID.nyFallBack, '--out', ny, '--timezone', 'America/New_York'], env)).code).toBe(0);
    const nyData = parse(readFileSync(join(ny, 'etc-passwd.yaml'), 'utf8'));
    expect([nyData.timezone, nyData.start, nyData.end]).toEqual(['America/New_York', '2027-11-07T01:30:00-04:00', '2027-11-07T01:15:00-05:00']);
    // A single meeting states it has no rule, so that drift sees one added in Webex.
    expect(single).toHaveProperty('recurrence', null);
    expect(single.joinBeforeHostMinutes).toBeUndefined(); // join-before-host is off

    // A meeting file never holds webinar-only options.
    const berlin = parse(readFileSync(join(dir, 'reunion-d-equipe-paris.yaml'), 'utf8'));
    expect(berlin.requireAttendeeLogin).toBeUndefined();
    expect(berlin.meetingOptions?.enabledPolling).toBeUndefined();
  });
});

describe('file names', () => {
  test('titles with /, .., unicode and duplicates give safe, distinct names inside --out', async () => {
    const { env } = await start(EXTRA);
    const root = tempDir();
    const dir = join(root, 'meetings');
    const res = await runCli(['import', '--all', '--out', dir], env);
    expect(res.code).toBe(0);
    expect(readdirSync(root)).toEqual(['meetings']);
    const files = yamlFiles(dir);
    expect(files).toEqual(
      [
        'a1000000000000000000000000000003.yaml', // 会议: nothing left of the title, so the id
        'defaults-a1000000.yaml', // a loader reads defaults.yaml as folder defaults: never that name
        'etc-passwd.yaml',
        'hidden-webinar.yaml',
        expect.stringMatching(/^quarterly-planning-quarterly-planning-[a-z0-9-]*\.yaml$/),
        'reunion-d-equipe-paris.yaml',
        expect.stringMatching(/^standup-a1000000[a-z0-9]*\.yaml$/),
        expect.stringMatching(/^standup-a1000000[a-z0-9]*\.yaml$/),
      ].sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? a.localeCompare(b) : 0)),
    );
    expect(new Set(files).size).toBe(files.length);
    for (const f of files) {
      expect(f.replace(/\.yaml$/, '').length).toBeLessThanOrEqual(60);
      expect(f).toMatch(/^[a-z0-9][a-z0-9-]*\.yaml$/);
    }
    // The stdout lines name exactly the files written.
    expect(res.stdout.trim().split('\n').map((l) => relative(dir, l)).sort()).toEqual(files);
  });
});

describe('existing files', () => {
  test('are skipped (exit 1) unless --force, and a file of another meeting is never clobbered', async () => {
    const { env } = await start(EXTRA.slice(0, 2));
    const dir = join(tempDir(), 'meetings');
    expect((await runCli(['import', '--all', '--out', dir], env)).code).toBe(0);
    // The same import again (after a partial one, say): files already as it would write them are no conflict.
    const same = await runCli(['import', '--all', '--out', dir], env);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toMatch(/imported 0 meeting series into .*, 2 already as imported \(left as they were\)/);
    const file = join(dir, 'etc-passwd.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Edited by hand'));

    const again = await runCli(['import', '--all', '--out', dir], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/skipped: etc-passwd\.yaml already exists \(use --force/);
    expect(again.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toContain('title: Edited by hand');

    const forced = await runCli(['import', '--all', '--out', dir, '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain(`replaced: ${file} held something else, which --force wrote over (git diff shows what it held)`);
    expect(forced.stderr).toMatch(/1 already as imported \(left as they were\), 1 existing file replaced \(--force\)/);
    expect(readFileSync(file, 'utf8')).toContain('title: ../../etc/passwd');
    expect(yamlFiles(dir)).toHaveLength(2);

    // Another meeting's file holds the name: the new series takes an id-suffixed name instead.
    writeFileSync(file, `id: ffff0000000000000000000000000000\ntitle: Somebody else\n`);
    const other = await runCli(['import', '--id', ID.nyFallBack, '--out', dir, '--force'], env);
    expect(other.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('Somebody else');
    expect(other.stdout.trim()).toBe(join(dir, 'etc-passwd-a1000000.yaml'));
  });

  test('a file already declaring the series is rewritten in place, wherever it lives', async () => {
    const { env } = await start(EXTRA.slice(0, 1));
    const dir = join(tempDir(), 'meetings');
    const moved = join(dir, 'team', 'berlin.yaml');
    await runCli(['import', '--all', '--out', dir], env);
    const text = readFileSync(join(dir, 'reunion-d-equipe-paris.yaml'), 'utf8');
    (await import('node:fs')).mkdirSync(join(dir, 'team'));
    (await import('node:fs')).renameSync(join(dir, 'reunion-d-equipe-paris.yaml'), moved);
    expect(text.length).toBeGreaterThan(0);
    const res = await runCli(['import', '--all', '--out', dir, '--force'], env);
    expect(res.code).toBe(0);
    expect(yamlFiles(dir)).toEqual(['team/berlin.yaml']);
    expect(lstatSync(moved).isFile()).toBe(true);
  });
});

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
    await emu!.close();
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
    emu = await startEmulator({ seed: { now: serverNow.toISOString(), meetings }, now: serverNow.toISOString() });
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
