import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { mergeDeep } from '../../core/load.js';
import { generateSeed, startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(meetings: SeedMeeting[]) {
  emu = await startEmulator({ seed: { now: NOW, meetings: structuredClone(meetings) }, now: NOW });
  return { emu, env: { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken } };
}

const yamlFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const read = (dir: string, f: string) => parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
const bytes = (dir: string, files: string[]) => files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);

describe('import --defaults', () => {
  test('writes the shared values once to defaults.yaml: smaller files, validate clean, plan shows no changes', async () => {
    const { env } = await start(generateSeed({ series: 40, hosts: ['alice@example.com'] }).meetings ?? []);
    const full = join(tempDir(), 'full');
    const dir = join(tempDir(), 'meetings');
    expect((await runCli(['import', '--host', 'alice@example.com', '--out', full, '--timezone', 'Europe/Berlin'], env)).code).toBe(0);
    const res = await runCli(['import', '--host', 'alice@example.com', '--out', dir, '--timezone', 'Europe/Berlin', '--defaults'], env);
    expect(res.stderr).not.toMatch(/^error:/m);
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toContain(join(dir, 'defaults.yaml'));
    expect(res.stderr).toMatch(/imported 40 meeting series into .*, \d+ shared values in .*defaults\.yaml/);

    const defaultsText = readFileSync(join(dir, 'defaults.yaml'), 'utf8');
    expect(defaultsText.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schemas\/defaults\.schema\.json$/);
    expect(existsSync(join(dir, defaultsText.split('\n')[0].replace(/^.*\$schema=/, '')))).toBe(true);
    const defaults = parse(defaultsText) as Record<string, unknown>;
    // What every series shares here: the chosen zone, the one host, settings the generator never varies.
    expect(defaults).toMatchObject({ hostEmail: 'alice@example.com', timezone: 'Europe/Berlin' });
    expect(defaults).not.toHaveProperty('id');
    expect(defaults).not.toHaveProperty('occurrences');

    const files = yamlFiles(dir).filter((f) => f !== 'defaults.yaml');
    expect(files).toEqual(yamlFiles(full));
    // Each file merged with the defaults, as the loader merges them, is exactly what import writes without --defaults.
    for (const f of files) {
      const own = read(dir, f);
      for (const [name, value] of Object.entries(defaults)) if (typeof value !== 'object') expect({ f, [name]: own[name] }).toEqual({ f, [name]: undefined });
      expect({ f, merged: mergeDeep(defaults, own) }).toEqual({ f, merged: read(full, f) });
    }
    expect(bytes(dir, files) + statSync(join(dir, 'defaults.yaml')).size).toBeLessThan(bytes(full, files) * 0.7);

    expect((await runCli(['validate', '--dir', dir], env)).code).toBe(0);
    const plan = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    if (plan.code !== 0) console.error(plan.stdout.slice(0, 3000), plan.stderr.slice(0, 2000));
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/No changes/);
  });

  test('an import that stopped part-way is finished by the same import again, either way it stopped; plan is then empty', async () => {
    const { env } = await start(generateSeed({ series: 6, hosts: ['alice@example.com'] }).meetings ?? []);
    const dir = join(tempDir(), 'meetings');
    const args = ['import', '--host', 'alice@example.com', '--out', dir, '--timezone', 'Europe/Berlin', '--defaults'];
    expect((await runCli(args, env)).code).toBe(0);
    const whole = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const [first, second] = yamlFiles(dir).filter((f) => f !== 'defaults.yaml');
    // Stopped after the defaults file and some meeting files (the order it writes in).
    rmSync(join(dir, first));
    rmSync(join(dir, second));
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);
    const again = await runCli(args, env);
    expect(again.stderr).not.toMatch(/^error:/m);
    expect(again.code).toBe(0);
    expect(new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(whole);
    // Stopped with meeting files but no defaults file (as an earlier meetctl wrote: files first).
    rmSync(join(dir, 'defaults.yaml'));
    rmSync(join(dir, first));
    const third = await runCli(args, env);
    expect(third.stderr).not.toMatch(/^error:/m);
    expect(third.code).toBe(0);
    expect(new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(whole);
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);
  });

  test('an existing defaults.yaml is an error naming it, nothing written; --force overwrites it, and plan is still empty', async () => {
    const { env } = await start(generateSeed({ series: 5 }).meetings ?? []);
    const dir = join(tempDir(), 'meetings');
    (await import('node:fs')).mkdirSync(dir);
    writeFileSync(join(dir, 'defaults.yaml'), 'enabledAutoRecordMeeting: true\n');
    const res = await runCli(['import', '--all', '--out', dir, '--defaults'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`error: --defaults: ${join(dir, 'defaults.yaml')} already exists (use --force to overwrite it); nothing was written`);
    expect(res.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['defaults.yaml']);
    expect(readFileSync(join(dir, 'defaults.yaml'), 'utf8')).toBe('enabledAutoRecordMeeting: true\n');

    const forced = await runCli(['import', '--all', '--out', dir, '--defaults', '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stderr).not.toMatch(/has a defaults file/);
    expect(readFileSync(join(dir, 'defaults.yaml'), 'utf8')).toMatch(/^# yaml-language-server/);
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);
  });

  test('a meeting file the import does not rewrite would take the defaults too: refused, naming it, nothing written', async () => {
    const { env } = await start(generateSeed({ series: 3 }).meetings ?? []);
    const dir = join(tempDir(), 'meetings');
    (await import('node:fs')).mkdirSync(dir);
    const other = 'id: ffff0000000000000000000000000000\ntitle: Somebody else\n';
    writeFileSync(join(dir, 'other.yaml'), other);
    const res = await runCli(['import', '--all', '--out', dir, '--defaults', '--force'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`error: --defaults: ${join(dir, 'other.yaml')} would take the shared values too, but this import does not rewrite it`);
    expect(readdirSync(dir)).toEqual(['other.yaml']);
    // Without --defaults the same import goes ahead as ever.
    expect((await runCli(['import', '--all', '--out', dir], env)).code).toBe(0);
    expect(readFileSync(join(dir, 'other.yaml'), 'utf8')).toBe(other);
  });
});

describe('ended series', () => {
  const slot = (start: string, minutes: number) => ({ timezone: 'UTC', start, end: new Date(Date.parse(start) + minutes * 60_000).toISOString() });
  const SERIES: SeedMeeting[] = [
    { id: 'e1000000000000000000000000000001', title: 'Single, next week', ...slot('2027-01-20T10:00:00Z', 60) },
    { id: 'e1000000000000000000000000000002', title: 'Three weekly', ...slot('2027-01-18T10:00:00Z', 30), recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=3' },
    { id: 'e1000000000000000000000000000003', title: 'Daily, open-ended', ...slot('2027-01-16T08:00:00Z', 15), recurrence: 'FREQ=DAILY;INTERVAL=1' },
    { id: 'e1000000000000000000000000000004', title: 'Single, in March', ...slot('2027-03-01T10:00:00Z', 60) },
  ];
  const ids = SERIES.map((s) => s.id);

  test("are skipped by the server's clock, and the summary says how many", async () => {
    const { emu, env } = await start(SERIES);
    const before = join(tempDir(), 'before');
    const all = await runCli(['import', '--id', ...ids, '--out', before], env);
    expect(all.code).toBe(0);
    expect(yamlFiles(before)).toHaveLength(4);
    expect(all.stderr).not.toMatch(/ended series skipped/);

    // 10 February on the server: the single meeting and the three Mondays are over. The local clock
    // (the test machine's) is not asked: it is long before both.
    emu.clock.set('2027-02-10T00:00:00Z');
    for (const select of [['--id', ...ids], ['--all', '--from', '2027-01-01T00:00:00Z']]) {
      const dir = join(tempDir(), 'after');
      const res = await runCli(['import', ...select, '--out', dir], env);
      expect(res.code).toBe(0);
      expect(yamlFiles(dir)).toEqual(['daily-open-ended.yaml', 'single-in-march.yaml']);
      expect(res.stderr).toMatch(/meetctl import: imported 2 meeting series into .*, 2 ended series skipped$/m);
      expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);
    }
  });

  test('a series Webex reports active is imported, whatever day its rule falls on in UTC', async () => {
    // Mondays 08:00 in Tokyo are Sundays 23:00 UTC: laid out in UTC, the rule's last Monday (18 January,
    // before UNTIL) would look long gone, while its meeting on 17 January 23:00 UTC is still ahead.
    const tokyo: SeedMeeting = {
      id: 'e1000000000000000000000000000005',
      title: 'Tokyo Monday',
      timezone: 'Asia/Tokyo',
      start: '2027-01-04T08:00:00+09:00',
      end: '2027-01-04T08:30:00+09:00',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;UNTIL=20270118T120000Z',
    };
    const { emu, env } = await start([tokyo]);
    expect(emu.getMeeting(tokyo.id)?.state).toBe('active');
    const dir = join(tempDir(), 'tokyo');
    const res = await runCli(['import', '--all', '--from', '2027-01-01T00:00:00Z', '--out', dir], env);
    expect(res.code).toBe(0);
    expect(res.stderr).not.toMatch(/ended series skipped/);
    expect(yamlFiles(dir)).toEqual(['tokyo-monday.yaml']);
  });
});
