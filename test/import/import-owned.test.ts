/**
 * Import of series meetctl owns: a series whose integration tags hold `meetctl:<key>` (as this
 * token's integration sees them) is written as a keyed file that adopts it (`id:` and `key:`),
 * without the ownership tag in `integrationTags`; validate accepts what import wrote.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const ADMIN_TOKEN = 'admin-of-the-default-client';
const OTHER_TOKEN = 'admin-of-another-integration';

const ID = {
  weekly: 'e1000000000000000000000000000001',
  standup: 'e1000000000000000000000000000002',
  planning: 'e1000000000000000000000000000003',
  forged: 'e1000000000000000000000000000004',
};

const slot = (day: number) => ({ timezone: 'UTC', start: `2027-02-${String(day).padStart(2, '0')}T10:00:00Z`, end: `2027-02-${String(day).padStart(2, '0')}T10:30:00Z` });

// A seed's integration tags are the default client's (emulator/seed.ts): ADMIN_TOKEN's integration.
const MEETINGS: SeedMeeting[] = [
  { id: ID.weekly, title: 'Weekly Sync (team)', ...slot(1), recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=8', integrationTags: ['JIRA-1', 'meetctl:weekly-sync'] },
  { id: ID.standup, title: 'Standup', ...slot(2), integrationTags: ['meetctl:daily.standup'] },
  { id: ID.planning, title: 'Planning', ...slot(3), integrationTags: ['ONE'] },
  // Not an ownership tag meetctl would set (the key pattern refuses it): no key, and the tags are left out, since validate refuses the prefix.
  { id: ID.forged, title: 'Forged', ...slot(4), integrationTags: ['meetctl:Not A Key', 'TWO'] },
];

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start() {
  emu = await startEmulator({
    seed: {
      now: NOW,
      meetings: structuredClone(MEETINGS),
      tokens: [
        { token: ADMIN_TOKEN, admin: true },
        { token: OTHER_TOKEN, admin: true, clientId: 'another-integration' },
      ],
    },
    now: NOW,
  });
  const env = (token: string) => ({ WEBEX_BASE_URL: emu!.baseUrl, WEBEX_ACCESS_TOKEN: token });
  return { own: env(ADMIN_TOKEN), other: env(OTHER_TOKEN) };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('import of series meetctl owns', () => {
  test('writes id: and key:, names the file after the key, and leaves the ownership tag out of integrationTags', async () => {
    const { own } = await start();
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--all', '--out', dir], own);
    expect(res.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['daily-standup.yaml', 'forged.yaml', 'planning.yaml', 'weekly-sync.yaml']);

    const weekly = read(dir, 'weekly-sync.yaml');
    // The modeline, then the id and the key: the file adopts exactly that meeting and keeps it by its key.
    expect(weekly.split('\n').slice(1, 3)).toEqual([`id: ${ID.weekly}`, 'key: weekly-sync']);
    expect(weekly).not.toContain('meetctl:');
    const w = parse(weekly);
    expect(w.integrationTags).toEqual(['JIRA-1']);
    expect(w.title).toBe('Weekly Sync (team)');

    // Its only tag was the ownership tag: no integrationTags at all (an empty list would delete every tag).
    const standup = parse(read(dir, 'daily-standup.yaml'));
    expect([standup.id, standup.key, standup.integrationTags]).toEqual([ID.standup, 'daily.standup', undefined]);

    // Not owned: as before, no key.
    const planning = parse(read(dir, 'planning.yaml'));
    expect([planning.key, planning.integrationTags]).toEqual([undefined, ['ONE']]);

    const forged = parse(read(dir, 'forged.yaml'));
    expect([forged.key, forged.integrationTags]).toEqual([undefined, undefined]);
    expect(res.stderr).toMatch(/forged\.yaml: left out integrationTags/);

    const validate = await runCli(['validate', '--dir', dir], own);
    expect(validate.stderr + validate.stdout).not.toMatch(/error/i);
    expect(validate.code).toBe(0);
  });

  test('import then plan: the owned series plan as unchanged, and none of them is an orphan', async () => {
    const { own } = await start();
    const dir = join(tempDir(), 'meetings');
    expect((await runCli(['import', '--all', '--out', dir], own)).code).toBe(0);
    const plan = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], own);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const parsed = JSON.parse(plan.stdout) as { summary: Record<string, number>; orphans: unknown[] };
    expect(parsed.summary).toMatchObject({ create: 0, update: 0, delete: 0, error: 0 });
    expect(parsed.orphans).toEqual([]);
  });

  test('another integration does not see the ownership tag: its import writes no key', async () => {
    const { other } = await start();
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', '--id', ID.weekly, '--out', dir], other);
    expect(res.code).toBe(0);
    const file = parse(read(dir, 'weekly-sync-team.yaml'));
    expect(file.id).toBe(ID.weekly);
    expect(file.key).toBeUndefined();
    expect(file.integrationTags).toBeUndefined();
  });

  test('a file that declares the key without an id is the series\' file: skipped, or rewritten in place with --force', async () => {
    const { own } = await start();
    const dir = join(tempDir(), 'meetings');
    mkdirSync(join(dir, 'team'), { recursive: true });
    const created = join(dir, 'team', 'sync.yaml');
    const text = 'key: weekly-sync\ntitle: Weekly Sync (team)\nstart: 2027-02-01T10:00:00Z\nend: 2027-02-01T10:30:00Z\n';
    writeFileSync(created, text);

    const kept = await runCli(['import', '--id', ID.weekly, '--out', dir], own);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(/skipped: team\/sync\.yaml already exists \(use --force/);
    expect(readFileSync(created, 'utf8')).toBe(text);

    const forced = await runCli(['import', '--id', ID.weekly, '--out', dir, '--force'], own);
    expect(forced.code).toBe(0);
    expect(forced.stdout.trim()).toBe(created);
    expect(readdirSync(dir).sort()).toEqual(['team']);
    const rewritten = parse(readFileSync(created, 'utf8'));
    expect([rewritten.id, rewritten.key, rewritten.integrationTags]).toEqual([ID.weekly, 'weekly-sync', ['JIRA-1']]);
    expect((await runCli(['validate', '--dir', dir], own)).code).toBe(0);
  });
});
