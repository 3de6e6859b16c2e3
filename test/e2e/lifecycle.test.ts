/**
 * The lifecycle from files, end to end against the emulator: create, a second plan that is empty,
 * an edit that updates the created id, an orphan that is listed and not deleted until --prune,
 * the cut-after-create fault, the duplicate guard, adoption, the create quota, the cancel of one
 * scheduled meeting, the delete guard, and the staleness of a saved plan's create and delete.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Plan } from '../../core/plan.js';
import type { ApplyReport } from '../../core/report.js';
import type { Emulator } from '../../emulator/index.js';
import { ownedSeed, SALES } from '../emulator/helpers.js';
import { closeAll, emulator, envFor } from '../faults/support.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

afterEach(closeAll);

const STANDUP = [
  'key: team-standup',
  'title: Team standup',
  'start: 2027-03-01T09:00:00+01:00',
  'end: 2027-03-01T09:15:00+01:00',
  'timezone: Europe/Berlin',
  'recurrence: FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=10',
  'agenda: Daily sync',
].join('\n');

const keyed = (key: string, title: string, extra = '') =>
  `key: ${key}\ntitle: ${title}\nstart: 2027-04-01T10:00:00Z\nend: 2027-04-01T10:30:00Z\n${extra}`;

async function start(): Promise<{ e: Emulator; env: Record<string, string> }> {
  const e = await emulator({ seed: ownedSeed() });
  return { e, env: envFor(e) };
}

/** The series whose title is `title`, as the emulator holds them. */
function titled(e: Emulator, title: string): Record<string, unknown>[] {
  return e
    .listSeriesIds()
    .map((id) => e.getMeeting(id))
    .filter((m): m is Record<string, unknown> => m?.title === title);
}

async function planJson(dir: string, env: Record<string, string>, extra: string[] = []): Promise<{ code: number | null; plan: Plan; stderr: string }> {
  const res = await runCli(['plan', '--dir', dir, '--format', 'json', ...extra], env);
  return { code: res.code, plan: JSON.parse(res.stdout) as Plan, stderr: res.stderr };
}

async function applyJson(args: string[], env: Record<string, string>): Promise<{ code: number | null; report: ApplyReport; stderr: string; stdout: string }> {
  const res = await runCli(['apply', ...args, '--format', 'json'], env);
  let report = { outcomes: [], counts: {} } as unknown as ApplyReport;
  try {
    report = JSON.parse(res.stdout) as ApplyReport;
  } catch {
    // A refusal prints no report: the test looks at stderr.
  }
  return { code: res.code, report, stderr: res.stderr, stdout: res.stdout };
}

const actions = (plan: Plan) => plan.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.kind} ${c.id}`);

describe('a keyed file through its whole life', () => {
  test('create → empty plan → edit updates the created id → removed file is an orphan, not deleted → --prune deletes only it', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'standup.yaml': STANDUP, 'retro.yaml': keyed('retro', 'Retro') });
    const seeded = e.listSeriesIds().length;

    const first = await planJson(dir, env);
    expect(first.plan.summary).toMatchObject({ create: 2, update: 0, delete: 0, error: 0 });
    const created = await applyJson(['--dir', dir, '--auto-approve'], env);
    expect(created.code).toBe(0);
    expect(e.listSeriesIds()).toHaveLength(seeded + 2);
    const [standup] = titled(e, 'Team standup');
    expect(standup).toBeDefined();
    expect(created.report.outcomes.find((o) => o.key === 'team-standup')).toMatchObject({ action: 'create', status: 'applied', createdId: standup.id });

    const again = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(again.code).toBe(0);

    writeFileSync(join(dir, 'standup.yaml'), STANDUP.replace('agenda: Daily sync', 'agenda: Daily sync, now with demos'));
    const edited = await planJson(dir, env);
    expect(actions(edited.plan)).toEqual([`update series ${standup.id as string}`]);
    expect(edited.plan.changes.find((c) => c.action === 'update')?.patch).toEqual({ agenda: 'Daily sync, now with demos' });
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);

    rmSync(join(dir, 'standup.yaml'));
    const orphaned = await planJson(dir, env);
    expect(orphaned.plan.orphans).toEqual([{ id: standup.id, key: 'team-standup', label: 'Team standup' }]);
    expect(actions(orphaned.plan)).toEqual([]);
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);
    expect(e.getMeeting(standup.id as string)).toBeDefined();

    const pruning = await planJson(dir, env, ['--prune']);
    expect(actions(pruning.plan)).toEqual([`delete series ${standup.id as string}`]);
    const pruned = await applyJson(['--dir', dir, '--auto-approve', '--prune'], env);
    expect(pruned.code).toBe(0);
    expect(e.getMeeting(standup.id as string)).toBeUndefined();
    // Only the owned meeting: every seeded (unowned) series and the other keyed one are still there.
    expect(e.listSeriesIds()).toHaveLength(seeded + 1);
    expect(e.requestLog().filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/v1/meetings/${standup.id as string}?sendEmail=false&hostEmail=host%40example.com`]);
  });

  test('the last keyed file removed, beside files that name their ids only: drift still reports the meeting as orphaned (exit 2)', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'standup.yaml': STANDUP, 'sales.yaml': `id: ${SALES}\n` });
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);
    const [standup] = titled(e, 'Team standup');
    rmSync(join(dir, 'standup.yaml'));
    const drift = await runCli(['drift', '--dir', dir, '--format', 'json'], env);
    expect(drift.code, drift.stderr).toBe(2);
    expect(JSON.parse(drift.stdout).orphans).toEqual([expect.objectContaining({ id: standup.id, key: 'team-standup' })]);
    // A plan that lists the series anyway (--fetch list) shows it too; nothing is deleted without --prune.
    const listed = await planJson(dir, env, ['--fetch', 'list']);
    expect(listed.plan.orphans).toEqual([{ id: standup.id, key: 'team-standup', label: 'Team standup' }]);
    expect(e.getMeeting(standup.id as string)).toBeDefined();
  });

  test('a one-off meetctl created that took place is found no more: drift is an error that says to delete the file, not "check the id"', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'retro.yaml': keyed('retro', 'Retro') });
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);
    expect(titled(e, 'Retro')).toHaveLength(1);
    e.clock.set('2027-04-03T10:00:00Z');
    const drift = await runCli(['drift', '--dir', dir, '--format', 'json'], env);
    expect(drift.code, drift.stderr).toBe(1);
    const [error] = JSON.parse(drift.stdout).errors;
    expect(error).toMatchObject({ id: 'new:retro', file: join(dir, 'retro.yaml') });
    // One reason, on start (an end in the past is no news then), and what to do about it.
    // The emulator's clock runs on from where it was set: the server time is a few milliseconds later.
    expect(error.message).toMatch(/^start 2027-04-01T10:00:00.000Z is not in the future \(server time 2027-04-03T10:00:00\.\d{3}Z\): .*if meetctl created this file's meeting and it is over, .*: delete the file, or give it a new start \(.*retro.yaml:3:8\)$/);
  });

  test('an override named by its original start and a cancelled occurrence are applied right after the create', async () => {
    const { e, env } = await start();
    const file = `${STANDUP}\noccurrences:\n  - at: 2027-03-08T09:00:00+01:00\n    agenda: Planning instead\n  - at: 2027-03-15T09:00:00+01:00\n    cancelled: true\n`;
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'standup.yaml': file });
    const applied = await applyJson(['--dir', dir, '--auto-approve'], env);
    expect(applied.code).toBe(0);
    const [standup] = titled(e, 'Team standup');
    const id = standup.id as string;
    expect(e.getMeeting(`${id}_20270308T080000Z`)).toMatchObject({ agenda: 'Planning instead' });
    expect(e.getMeeting(`${id}_20270315T080000Z`)).toBeUndefined();
    expect(e.getMeeting(`${id}_20270322T080000Z`)).toMatchObject({ agenda: 'Daily sync' });
    const again = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(again.code).toBe(0);
  });
});

describe('never create twice', () => {
  test('the connection cut after the server stored the create: one meeting after apply, and still one after a re-run', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'retro.yaml': keyed('retro', 'Retro') });
    e.configure({ createThenCut: 1 });
    const applied = await applyJson(['--dir', dir, '--auto-approve'], env);
    expect(applied.code).toBe(0);
    expect(titled(e, 'Retro')).toHaveLength(1);
    const rerun = await applyJson(['--dir', dir, '--auto-approve'], env);
    expect(rerun.code).toBe(0);
    expect(titled(e, 'Retro')).toHaveLength(1);
    expect(e.requestLog().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test('a keyed file beside a hand-made series with the same title and start: the plan refuses and says how to adopt it', async () => {
    const { e, env } = await start();
    const sales = e.getMeeting(SALES)!;
    const dir = writeTree(tempDir('meetctl-lifecycle-'), {
      'sales.yaml': `key: sales-sync\ntitle: ${JSON.stringify(sales.title)}\nstart: ${String(sales.start)}\nend: ${String(sales.end)}\n`,
    });
    const res = await planJson(dir, env);
    expect(res.code).toBe(1);
    expect(res.plan.changes[0]).toMatchObject({ action: 'error', reason: expect.stringContaining(`adopt it by adding id: ${SALES} beside key: sales-sync`) });
    const applied = await applyJson(['--dir', dir, '--auto-approve'], env);
    expect(applied.code).toBe(1);
    expect(e.requestLog().filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  test('adopt: id: beside key: adds the ownership tag once, and then the key alone finds the meeting', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'sales.yaml': `id: ${SALES}\nkey: sales-sync\n` });
    const adopting = await planJson(dir, env);
    expect(actions(adopting.plan)).toEqual([`update series ${SALES}`]);
    expect(adopting.plan.changes[0].patch).toEqual({ integrationTags: expect.arrayContaining(['meetctl:sales-sync']) });
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);
    // A key-only file could be a create, so it declares what a create needs (validate says so).
    const sales = e.getMeeting(SALES)!;
    writeFileSync(join(dir, 'sales.yaml'), `key: sales-sync\ntitle: ${JSON.stringify(sales.title)}\nstart: ${String(sales.start)}\nend: ${String(sales.end)}\n`);
    const byKey = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(byKey.stderr).toBe('');
    expect(byKey.code).toBe(0);
  });
});

describe('an adopted meeting whose file changes its key: line', () => {
  test('the key dropped (id: only): the meeting is managed by id, neither an orphan nor deleted by --prune', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'sales.yaml': `id: ${SALES}\nkey: sales-sync\n` });
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);
    writeFileSync(join(dir, 'sales.yaml'), `id: ${SALES}\n`);
    const pruning = await planJson(dir, env, ['--prune']);
    expect(pruning.plan.changes.filter((c) => c.action === 'delete')).toEqual([]);
    expect(pruning.plan.orphans).toEqual([]);
    expect((await applyJson(['--dir', dir, '--auto-approve', '--prune'], env)).code).toBe(0);
    expect(e.requestLog().filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(e.getMeeting(SALES)).toBeDefined();
  });

  test('the key renamed: the new ownership tag replaces the old one, so the meeting is no orphan and the new key alone finds it (no second meeting)', async () => {
    const { e, env } = await start();
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 'sales.yaml': `id: ${SALES}\nkey: sales-sync\n` });
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);
    writeFileSync(join(dir, 'sales.yaml'), `id: ${SALES}\nkey: sales-weekly\n`);
    const renaming = await planJson(dir, env, ['--prune']);
    expect(actions(renaming.plan)).toEqual([`update series ${SALES}`]);
    expect(renaming.plan.changes[0].patch.integrationTags).toEqual(expect.arrayContaining(['meetctl:sales-weekly']));
    expect(renaming.plan.changes[0].patch.integrationTags).not.toContain('meetctl:sales-sync');
    expect(renaming.plan.orphans).toEqual([]);
    expect((await applyJson(['--dir', dir, '--auto-approve', '--prune'], env)).code).toBe(0);
    const sales = e.getMeeting(SALES)!;
    writeFileSync(join(dir, 'sales.yaml'), `key: sales-weekly\ntitle: ${JSON.stringify(sales.title)}\nstart: ${String(sales.start)}\nend: ${String(sales.end)}\n`);
    const byKey = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(byKey.code).toBe(0);
    expect(titled(e, String(sales.title))).toHaveLength(1);
  });
});

describe('adopting a meeting that holds the 3 integration tags Webex keeps', () => {
  test('is an error that names them, not an update Webex would refuse; nothing is sent', async () => {
    const id = 'cdcdcdcdcdcdcdcdcdcdcdcdcdcd0001';
    const e = await emulator({ seed: { now: '2027-01-15T09:00:00Z', meetings: [{ id, title: 'Three tags', start: '2027-03-01T09:00:00Z', end: '2027-03-01T09:30:00Z', integrationTags: ['T1', 'T2', 'T3'] }] } });
    const env = envFor(e);
    const dir = writeTree(tempDir('meetctl-lifecycle-'), { 't.yaml': `id: ${id}\nkey: three\n` });
    const planned = await planJson(dir, env);
    expect(planned.code).toBe(1);
    expect(planned.plan.changes.filter((c) => c.action !== 'noop').map((c) => [c.action, c.id, c.reason])).toEqual([
      ['error', id, expect.stringMatching(/cannot add the ownership tag meetctl:three: the meeting already has 3 integration tags \(T1, T2, T3\), and Webex keeps at most 3/)],
    ]);
    e.clearRequestLog();
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(1);
    expect(e.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
    // Two of them declared in the file: the third makes room for the ownership tag.
    writeFileSync(join(dir, 't.yaml'), `id: ${id}\nkey: three\nintegrationTags: [T1, T2]\n`);
    const room = await planJson(dir, env);
    expect(room.code).toBe(0);
    expect(room.plan.changes[0].patch.integrationTags).toEqual(['T1', 'T2', 'meetctl:three']);
  });
});

describe('the create quota', () => {
  test('the plan warns past 100 creates', async () => {
    const { env } = await start();
    const files = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`m${i}.yaml`, keyed(`m-${i}`, `Meeting ${i}`)]));
    const res = await planJson(writeTree(tempDir('meetctl-lifecycle-'), files), env);
    expect(res.plan.summary.create).toBe(101);
    expect(res.plan.notes.join('\n')).toMatch(/create quota: this plan creates 101 meetings/);
  });

  test('a create the quota refuses is not retried: one POST each, the rest applied', async () => {
    const { e, env } = await start();
    e.configure({ createQuota: { adminPerUser: 2 } });
    const files = Object.fromEntries(['a', 'b', 'c'].map((k) => [`${k}.yaml`, keyed(k, `Quota ${k}`)]));
    const applied = await applyJson(['--dir', writeTree(tempDir('meetctl-lifecycle-'), files), '--auto-approve', '--concurrency', '1'], env);
    expect(applied.code).toBe(1);
    expect(applied.report.counts).toMatchObject({ applied: 2, failed: 1 });
    expect(applied.report.outcomes.find((o) => o.status === 'failed')?.message).toMatch(/quota/i);
    expect(e.requestLog().filter((r) => r.method === 'POST')).toHaveLength(3);
  });
});

describe('deletes', () => {
  async function owned(count: number): Promise<{ e: Emulator; env: Record<string, string>; dir: string }> {
    const { e, env } = await start();
    const files = Object.fromEntries(Array.from({ length: count }, (_, i) => [`m${i}.yaml`, keyed(`owned-${i}`, `Owned ${i}`)]));
    const dir = writeTree(tempDir('meetctl-lifecycle-'), files);
    expect((await applyJson(['--dir', dir, '--auto-approve'], env)).code).toBe(0);
    return { e, env, dir };
  }

  test('the delete guard: 2 of 10 owned refused without --force or --max-deletes; nothing deleted', async () => {
    const { e, env, dir } = await owned(10);
    rmSync(join(dir, 'm0.yaml'));
    rmSync(join(dir, 'm1.yaml'));
    const refused = await applyJson(['--dir', dir, '--auto-approve', '--prune'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/deletes 2 of 10 owned meetings \(20%\), more than 10%/);
    expect(e.requestLog().filter((r) => r.method === 'DELETE')).toHaveLength(0);
    const limited = await applyJson(['--dir', dir, '--auto-approve', '--prune', '--max-deletes', '1'], env);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/more than --max-deletes 1/);
    const allowed = await applyJson(['--dir', dir, '--auto-approve', '--prune', '--max-deletes', '2'], env);
    expect(allowed.code).toBe(0);
    expect(e.requestLog().filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  test('shards do not get around the delete guard: a fresh plan per shard weighs its deletes against its own owned meetings, a saved plan is judged whole', async () => {
    // 20 owned, 4 files removed: 20 %, over the 10 % guard; each of 2 shards holds about half of both.
    const { e, env, dir } = await owned(20);
    for (const i of [0, 1, 2, 3]) rmSync(join(dir, `m${i}.yaml`));
    e.clearRequestLog();
    const byShard = await Promise.all(['1/2', '2/2'].map((k) => applyJson(['--dir', dir, '--auto-approve', '--prune', '--shard', k], env)));
    const refused = byShard.filter((r) => r.code === 1 && /owned meetings \(\d+%\), more than 10%/.test(r.stderr));
    // A shard whose share is over 10 % is refused; one whose share is not may go, so at most 10 % of it goes.
    expect(refused.length).toBeGreaterThan(0);
    const deleted = e.requestLog().filter((r) => r.method === 'DELETE').length;
    expect(deleted).toBeLessThanOrEqual(2);

    const saved = join(tempDir('meetctl-lifecycle-'), 'plan.json');
    expect((await runCli(['plan', '--dir', dir, '--prune', '--out', saved], env)).code).toBe(0);
    e.clearRequestLog();
    for (const k of ['1/2', '2/2']) {
      const res = await applyJson([saved, '--auto-approve', '--shard', k], env);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/the plan deletes \d+ of 20 owned meetings \(\d+%\), more than 10%/);
    }
    expect(e.requestLog().filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  test('--prune with --target or --shard never deletes the meeting of a file left out of the run', async () => {
    const { e, env, dir } = await owned(2);
    for (const scope of [['--target', 'owned-0'], ['--shard', '1/2'], ['--shard', '2/2']]) {
      const res = await planJson(dir, env, ['--prune', ...scope]);
      expect(res.code).toBe(0);
      expect(res.plan.changes.filter((c) => c.action === 'delete')).toEqual([]);
      expect(res.plan.orphans).toEqual([]);
    }
    // The file of owned-1 removed: only the shard its key falls in deletes it, and --target never does.
    rmSync(join(dir, 'm1.yaml'));
    const byShard = await Promise.all(['1/2', '2/2'].map((k) => planJson(dir, env, ['--prune', '--shard', k])));
    expect(byShard.flatMap((r) => r.plan.changes.filter((c) => c.action === 'delete').map((c) => c.key))).toEqual(['owned-1']);
    expect((await planJson(dir, env, ['--prune', '--target', 'owned-0'])).plan.changes.filter((c) => c.action === 'delete')).toEqual([]);
    expect(e.listSeriesIds().length).toBeGreaterThan(0);
  });

  test('a saved plan: its create is skipped when the key exists by then, its delete when the meeting changed since', async () => {
    const { e, env, dir } = await owned(1);
    const [meeting] = titled(e, 'Owned 0');
    // A saved plan that deletes the orphan, and one that creates a new key.
    rmSync(join(dir, 'm0.yaml'));
    writeFileSync(join(dir, 'new.yaml'), keyed('brand-new', 'Brand new'));
    const planFile = join(tempDir('meetctl-lifecycle-plan-'), 'plan.json');
    expect((await runCli(['plan', '--dir', dir, '--prune', '--out', planFile], env)).code).toBe(0);
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    expect(saved.changes.filter((c) => c.action !== 'noop').map((c) => c.action).sort()).toEqual(['create', 'delete']);
    // Meanwhile: someone creates the key (another apply), and edits the orphan.
    const other = writeTree(tempDir('meetctl-lifecycle-'), { 'new.yaml': keyed('brand-new', 'Brand new') });
    expect((await applyJson(['--dir', other, '--auto-approve'], env)).code).toBe(0);
    e.editMeeting(meeting.id as string, { agenda: 'edited by hand' });
    const applied = await applyJson([planFile], env);
    expect(applied.report.counts).toMatchObject({ stale: 2, applied: 0 });
    expect(titled(e, 'Brand new')).toHaveLength(1);
    expect(e.getMeeting(meeting.id as string)).toBeDefined();
  });
});
