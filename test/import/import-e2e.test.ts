/** import, then plan on what it wrote: no changes; the files' names and content; existing files (the hosts and the selection: import-hosts.test.ts). */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { generateSeed } from '../../emulator/index.js';
import { runCli, tempDir } from '../support/cli.js';
import { EXTRA, ID, occ, RUN, RUNNING } from './import-seeds.js';
import { expectExplicitLists, emulatorPerTest, inZone, yamlFiles } from './import-e2e-support.js';

const session = emulatorPerTest();
const start = session.start;
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
      expectExplicitLists(session.emu!.requestLog());
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

      session.emu!.clearRequestLog();
      const plan = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
      if (plan.code !== 0) console.error(plan.stdout.slice(0, 4000), plan.stderr.slice(0, 2000));
      expect(plan.code).toBe(0);
      expect(plan.stdout).toMatch(/No changes/);
      const log = session.emu!.requestLog();
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
