/**
 * Against the emulator in its default (Webex-like) mode: a list shows a series with its current
 * occurrence's times unless asked `current=false`, times come in the zone of the `timezone`
 * header (UTC without one) and the response's `timezone` is that zone, not the meeting's.
 * Repositories whose files declare zones around the world, with DST edges, must converge:
 * an empty second plan after apply and `drift` in sync, whether series are read one by one
 * or listed; renaming a running series touches only its title, so Webex keeps its exceptions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function env(e: Emulator): Record<string, string> {
  return { WEBEX_BASE_URL: e.baseUrl, WEBEX_ACCESS_TOKEN: e.adminToken };
}

const hex = (n: number, tag: string) => `${tag}${n.toString(16).padStart(32 - tag.length, '0')}`;

interface PlanJson {
  summary: Record<string, number>;
  notes: string[];
  changes: { id: string; action: string; patch: Record<string, unknown>; reason?: string; warnings: string[] }[];
}

async function planJson(dir: string, e: Emulator, extra: string[] = []): Promise<PlanJson & { code: number | null; stderr: string }> {
  const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode', ...extra], env(e));
  return { ...(JSON.parse(res.stdout || '{"summary":{},"notes":[],"changes":[]}') as PlanJson), code: res.code, stderr: res.stderr };
}

/** Nothing went wrong (apply and plan --out print progress and the plan on stderr). */
function clean(stderr: string): void {
  expect(stderr).not.toMatch(/✗|error:|meetctl:|Error/);
}

function yaml(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n') + '\n';
}

describe('files in zones around the world converge', () => {
  const NOW = '2027-01-15T09:00:00Z';
  const BERLIN = hex(1, 'be');
  const NEW_YORK = hex(2, 'ny');
  const KOLKATA = hex(3, 'ko');
  const SYDNEY = hex(4, 'sy');
  const SEEDED_UTC = hex(5, 'ut');
  const seed: SeedMeeting[] = [
    // Weekly across Berlin's spring change (2027-03-28), scheduled in UTC: the file moves it to 10:00 Berlin time.
    { id: BERLIN, title: 'Berlin Sync', timezone: 'UTC', start: '2027-03-02T08:00:00Z', end: '2027-03-02T08:30:00Z', recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10' },
    // On the morning of New York's spring change (2027-03-14, 02:00 → 03:00): the file renames it.
    { id: NEW_YORK, title: 'NY Review', timezone: 'America/New_York', start: '2027-03-14T09:00:00-04:00', end: '2027-03-14T10:00:00-04:00' },
    // Daily in a half-hour zone: the file renames it.
    { id: KOLKATA, title: 'Kolkata Daily', timezone: 'Asia/Kolkata', start: '2027-02-01T10:00:00+05:30', end: '2027-02-01T10:15:00+05:30', recurrence: 'FREQ=DAILY;INTERVAL=1;COUNT=10' },
    // Weekly across Sydney's autumn change (2027-04-04): the file lengthens the rule.
    { id: SYDNEY, title: 'Sydney Weekly', timezone: 'Australia/Sydney', start: '2027-03-25T18:00:00+11:00', end: '2027-03-25T18:45:00+11:00', recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;COUNT=4' },
    // Scheduled in UTC; the file names Berlin with the same instants: nothing to send (the zone cannot be checked).
    { id: SEEDED_UTC, title: 'Town Hall', timezone: 'UTC', start: '2027-02-10T16:00:00Z', end: '2027-02-10T17:00:00Z' },
  ];
  const files = {
    'berlin.yaml': yaml({ id: BERLIN, title: 'Berlin Sync', timezone: 'Europe/Berlin', start: '2027-03-02T10:00:00', end: '2027-03-02T10:30:00', recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=10' }),
    'new-york.yaml': yaml({ id: NEW_YORK, title: 'NY Review (spring)', timezone: 'America/New_York', start: '2027-03-14T09:00', end: '2027-03-14T10:00' }),
    'kolkata.yaml': yaml({ id: KOLKATA, title: 'Kolkata Standup', timezone: 'Asia/Kolkata', start: '2027-02-01T10:00:00', end: '2027-02-01T10:15:00', recurrence: 'FREQ=DAILY;COUNT=10' }),
    'sydney.yaml': yaml({ id: SYDNEY, title: 'Sydney Weekly', timezone: 'Australia/Sydney', start: '2027-03-25T18:00', end: '2027-03-25T18:45', recurrence: 'FREQ=WEEKLY;BYDAY=TH;COUNT=6' }),
    'town-hall.yaml': yaml({ id: SEEDED_UTC, title: 'Town Hall', timezone: 'Europe/Berlin', start: '2027-02-10T17:00', end: '2027-02-10T18:00' }),
  };

  test.each(['get', 'list'])('--fetch %s: apply, then an empty plan and drift in sync; the zone goes only with time changes', async (fetch) => {
    emu = await startEmulator({ seed: { now: NOW, meetings: structuredClone(seed) }, now: NOW });
    const dir = writeTree(tempDir(), files);
    const first = await planJson(dir, emu, ['--fetch', fetch]);
    clean(first.stderr);
    expect(first.code).toBe(2);
    const patches = Object.fromEntries(first.changes.filter((c) => c.action === 'update').map((c) => [c.id, c.patch]));
    expect(patches).toEqual({
      [BERLIN]: { start: '2027-03-02T10:00:00+01:00', end: '2027-03-02T10:30:00+01:00', timezone: 'Europe/Berlin' },
      [NEW_YORK]: { title: 'NY Review (spring)' },
      [KOLKATA]: { title: 'Kolkata Standup' },
      [SYDNEY]: { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;COUNT=6', timezone: 'Australia/Sydney' },
    });
    // Said once for the plan, not per meeting.
    expect(first.notes).toHaveLength(1);
    expect(first.notes[0]).toMatch(/^timezone: Webex does not reveal .* so 5 files' `timezone` cannot be checked/);

    const applied = await runCli(['apply', '--dir', dir, '--auto-approve', '--fetch', fetch], env(emu));
    clean(applied.stderr);
    expect(applied.code).toBe(0);
    expect(applied.stdout).not.toMatch(/adjusted|stored .* instead/);
    // The zone went with the new start: Webex now keeps the series at 10:00 Berlin time after the DST change
    // (08:00Z; scheduled in UTC it would stay at 09:00Z).
    expect(emu.getMeeting(BERLIN)).toMatchObject({ start: '2027-03-02T09:00:00Z' });
    expect(emu.getMeeting(`${BERLIN}_20270330T080000Z`)).toMatchObject({ start: '2027-03-30T08:00:00Z' });
    expect(emu.getMeeting(`${BERLIN}_20270330T090000Z`)).toBeUndefined();

    const second = await planJson(dir, emu, ['--fetch', fetch]);
    expect(second.changes.filter((c) => c.action !== 'noop')).toEqual([]);
    expect(second.code).toBe(0);
    const text = await runCli(['plan', '--dir', dir, '--fetch', fetch], env(emu));
    expect(text.stdout).toMatch(/No changes/);
    expect(text.stdout.match(/Webex does not reveal the zone/g)).toHaveLength(1);

    const drift = await runCli(['drift', '--dir', dir], env(emu));
    // No zone drifts; the report's notes say once that the zone cannot be checked.
    const reported = (drift.stdout + drift.stderr).split('\n').filter((line) => !line.startsWith('i '));
    expect(reported.join('\n')).not.toMatch(/timezone/);
    expect(drift.stdout.match(/Webex does not reveal the zone/g)).toHaveLength(1);
    expect(drift.code).toBe(0);

    // Every read asked for UTC and for the series itself.
    for (const r of emu.requestLog().filter((e) => e.method === 'GET')) {
      expect(r.timezone).toBe('UTC');
      expect(r.path).toContain('current=false');
    }
  });
});

/** Series that started months ago, with a scheduled meeting running now and modified ones ahead. */
describe('running series', () => {
  // Tuesday 09:10 in Berlin, 14:40 in Kolkata: both series have a scheduled meeting in progress.
  const NOW = '2027-01-19T08:10:00Z';
  const WEEKLY = hex(1, 'wk');
  const DAILY = hex(2, 'dl');
  const seed = (): SeedMeeting[] => [
    {
      id: WEEKLY,
      title: 'Team Sync',
      timezone: 'Europe/Berlin',
      start: '2026-09-01T09:00:00+02:00',
      end: '2026-09-01T09:30:00+02:00',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU',
      occurrences: [
        { originalStart: '2027-01-19T08:00:00Z', state: 'inProgress' },
        { originalStart: '2027-01-26T08:00:00Z', start: '2027-01-26T11:00:00+01:00', end: '2027-01-26T11:30:00+01:00' },
        { originalStart: '2027-02-02T08:00:00Z', title: 'Team Sync (planning)', agenda: 'Q1 planning' },
      ],
    },
    {
      id: DAILY,
      title: 'Ops Daily',
      timezone: 'Asia/Kolkata',
      start: '2026-10-01T14:30:00+05:30',
      end: '2026-10-01T14:45:00+05:30',
      recurrence: 'FREQ=DAILY;INTERVAL=1;COUNT=300',
      occurrences: [
        { originalStart: '2027-01-19T09:00:00Z', state: 'inProgress' },
        { originalStart: '2027-01-21T09:00:00Z', start: '2027-01-21T16:00:00+05:30', end: '2027-01-21T16:30:00+05:30' },
      ],
    },
  ];
  const exceptions = [
    { id: `${WEEKLY}_20270126T080000Z`, start: '2027-01-26T10:00:00Z' },
    { id: `${WEEKLY}_20270202T080000Z`, title: 'Team Sync (planning)' },
    { id: `${DAILY}_20270121T090000Z`, start: '2027-01-21T10:30:00Z' },
  ];
  const files = {
    'weekly.yaml': yaml({ id: WEEKLY, title: 'Team Sync (renamed)', timezone: 'Europe/Berlin', start: '2026-09-01T09:00', end: '2026-09-01T09:30', recurrence: 'FREQ=WEEKLY;BYDAY=TU' }),
    'daily.yaml': yaml({ id: DAILY, title: 'Ops Daily (renamed)', timezone: 'Asia/Kolkata', start: '2026-10-01T14:30', end: '2026-10-01T14:45', recurrence: 'FREQ=DAILY;COUNT=300' }),
  };

  test.each(['get', 'list'])('--fetch %s: renaming patches only the title, and every exceptional occurrence survives', async (fetch) => {
    emu = await startEmulator({ seed: { now: NOW, meetings: seed() }, now: NOW });
    const dir = writeTree(tempDir(), files);
    const plan = await planJson(dir, emu, ['--fetch', fetch]);
    clean(plan.stderr);
    expect(plan.changes.map((c) => [c.id, c.action, c.patch])).toEqual([
      [DAILY, 'update', { title: 'Ops Daily (renamed)' }],
      [WEEKLY, 'update', { title: 'Team Sync (renamed)' }],
    ]);
    expect(plan.changes.flatMap((c) => c.warnings).join('\n')).not.toMatch(/cancels/);

    const applied = await runCli(['apply', '--dir', dir, '--auto-approve', '--fetch', fetch], env(emu));
    clean(applied.stderr);
    expect(applied.code).toBe(0);
    const bodies = emu.requestLog().filter((r) => r.method === 'PATCH').map((r) => r.body as { title: string });
    expect(bodies.sort((x, y) => x.title.localeCompare(y.title))).toEqual([
      { title: 'Ops Daily (renamed)', sendEmail: false },
      { title: 'Team Sync (renamed)', sendEmail: false },
    ]);
    for (const e of exceptions) {
      const live = emu.getMeeting(e.id);
      expect(live, e.id).toMatchObject({ isModified: true });
      if (e.start) expect(Date.parse(String(live?.start))).toBe(Date.parse(e.start));
      if (e.title) expect(live?.title).toBe(e.title);
    }
    expect(emu.getMeeting(WEEKLY)).toMatchObject({ title: 'Team Sync (renamed)', start: '2026-09-01T07:00:00Z' });

    const second = await planJson(dir, emu, ['--fetch', fetch]);
    expect(second.changes.filter((c) => c.action !== 'noop')).toEqual([]);
    expect(second.code).toBe(0);
  });

  test('a plan saved from list reads applies whole: its fingerprints match the GET apply re-reads', async () => {
    emu = await startEmulator({ seed: { now: NOW, meetings: seed() }, now: NOW });
    const dir = writeTree(tempDir(), files);
    const out = join(tempDir(), 'plan.json');
    const plan = await runCli(['plan', '--dir', dir, '--fetch', 'list', '--out', out], env(emu));
    clean(plan.stderr);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.update).toBe(2);
    expect(emu.requestLog().some((r) => r.path.startsWith('/v1/meetings?'))).toBe(true);
    const applied = await runCli(['apply', out, '--auto-approve', '--format', 'json'], env(emu));
    clean(applied.stderr);
    const report = JSON.parse(applied.stdout) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ applied: 2, stale: 0, skipped: 0, failed: 0 });
    expect(applied.code).toBe(0);
  });
});

describe('more than 100 files are listed, and converge', () => {
  const NOW = '2027-01-15T09:00:00Z';
  const ZONES: [string, string][] = [
    ['Europe/Berlin', '+01:00'],
    ['America/New_York', '-05:00'],
    ['Asia/Kolkata', '+05:30'],
    ['Australia/Sydney', '+11:00'],
    ['UTC', 'Z'],
  ];

  test('120 series in five zones, most of them running for months: apply, then an empty plan and drift in sync', async () => {
    const meetings: SeedMeeting[] = [];
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) {
      const [zone, offset] = ZONES[i % ZONES.length];
      const id = hex(i, 'ab');
      // Two in three began in the autumn (an occurrence a week is running or ahead); the rest start in February.
      const running = i % 3 !== 0;
      // 2 November 2026 and 1 February 2027 are Mondays. A weekly series (even i) starts on a Monday or a
      // Wednesday, a day of its rule: MeetingSeriesObject.start is "the date and time the first meeting of the series starts".
      const shift = i % 2 === 0 ? i % 4 : i % 5;
      const day = running ? `2026-11-${String(2 + shift).padStart(2, '0')}` : `2027-02-${String(1 + shift).padStart(2, '0')}`;
      const hour = String(8 + (i % 9)).padStart(2, '0');
      const rule = i % 2 === 0 ? 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE' : 'FREQ=DAILY;INTERVAL=1;COUNT=200';
      meetings.push({ id, title: `Series ${i}`, timezone: zone, start: `${day}T${hour}:00:00${offset}`, end: `${day}T${hour}:30:00${offset}`, recurrence: rule });
      files[`s${i}.yaml`] = yaml({
        id,
        title: i % 4 === 0 ? `Series ${i} (renamed)` : `Series ${i}`,
        timezone: zone,
        start: `${day}T${hour}:00`,
        end: `${day}T${hour}:30`,
        recurrence: rule,
      });
    }
    emu = await startEmulator({ seed: { now: NOW, meetings }, now: NOW });
    const dir = writeTree(tempDir(), files);
    const first = await planJson(dir, emu);
    clean(first.stderr);
    const updates = first.changes.filter((c) => c.action === 'update');
    expect(updates).toHaveLength(30);
    for (const c of first.changes.filter((x) => x.action === 'update')) expect(Object.keys(c.patch)).toEqual(['title']);
    expect(emu.requestLog().some((r) => r.path.startsWith('/v1/meetings?'))).toBe(true);

    const applied = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], env(emu));
    clean(applied.stderr);
    expect((JSON.parse(applied.stdout) as { counts: Record<string, number> }).counts).toMatchObject({ applied: 30, stale: 0, failed: 0 });
    expect(applied.code).toBe(0);

    const second = await planJson(dir, emu);
    expect(second.changes.filter((c) => c.action !== 'noop')).toEqual([]);
    expect(second.code).toBe(0);
    const drift = await runCli(['drift', '--dir', dir], env(emu));
    expect(drift.code).toBe(0);
  });
});
