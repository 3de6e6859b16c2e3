/**
 * The world moves between `plan --out` and `apply`: meetings deleted, edited by hand, started.
 * Apply must account for every planned change, send nothing stale, and the next run must converge
 * to "nothing left but what cannot be done", each such change named.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { generateSeed, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import {
  closeAll,
  emulator,
  envFor,
  expectConverged,
  expectNoConflictingWrites,
  expectOneOutcomePerChange,
  parseReport,
  patchesFor,
  retitleAll,
  savePlan,
  waitForRequests,
} from './support.js';

afterEach(closeAll);

describe('a meeting deleted or modified between plan and apply', () => {
  test('deleted → stale (404), edited → stale, already carrying the new value → unchanged; the others applied; exit 1', async () => {
    const e = await emulator({ seed: generateSeed({ series: 5 }) });
    const { dir, ids } = retitleAll(e, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    const [deleted, edited, same] = ids;
    const planned = (id: string) => plan.changes.find((c) => c.id === id)!.patch.title as string;
    e.deleteMeeting(deleted);
    e.editMeeting(edited, { agenda: 'changed by hand in Webex' });
    e.editMeeting(same, { title: planned(same) });
    e.clearRequestLog();

    const res = await runCli(['apply', file, '--format', 'json'], envFor(e));
    expect(res.code).toBe(1);
    const report = parseReport(res.stdout);
    expectOneOutcomePerChange(plan, report);
    const status = (id: string) => report.outcomes.find((o) => o.id === id)!;
    expect(status(deleted)).toMatchObject({ status: 'stale', message: expect.stringMatching(/no longer exists/) });
    expect(status(edited)).toMatchObject({ status: 'stale', message: expect.stringMatching(/changed since the plan/) });
    expect(status(same).status).toBe('unchanged');
    expect(report.counts).toMatchObject({ applied: 2, stale: 2, unchanged: 1 });
    const log = e.requestLog();
    for (const id of [deleted, edited, same]) expect(patchesFor(log, id)).toEqual([]);
    // The hand edit survives: a stale change is never sent.
    expect(e.getMeeting(edited)?.agenda).toBe('changed by hand in Webex');

    // The next run plans again: the edited meeting is updated, the deleted one is an error for its file.
    const again = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], envFor(e));
    expect(again.code).toBe(1);
    expect(parseReport(again.stdout).counts).toMatchObject({ applied: 1, failed: 1 });
    const left = await expectConverged(e, dir);
    expect(left.changes.filter((c) => c.action === 'error').map((c) => c.id)).toEqual([deleted]);
    expect(left.changes.find((c) => c.action === 'error')?.reason).toMatch(/not found|does not exist|404/i);
  });
});

/**
 * Weekly series whose files rename them and one of their scheduled meetings: only a scheduled
 * meeting (an instance) can be running, and Webex refuses to update that one alone; its series
 * stays updatable (the emulator, like the reference, refuses only the running instance).
 */
function weeklyWithOverrides(n: number): { seed: SeedMeeting[]; files: Record<string, string>; occurrences: string[] } {
  const seed: SeedMeeting[] = [];
  const files: Record<string, string> = {};
  const occurrences: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `f${String(i).padStart(31, '0')}`;
    const occ = `${id}_20270126T100000Z`;
    seed.push({ id, title: `Weekly ${i}`, timezone: 'UTC', start: '2027-01-19T10:00:00Z', end: '2027-01-19T10:30:00Z', recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=10' });
    files[`w${i}.yaml`] = `id: ${id}\ntitle: Weekly ${i} (v2)\noccurrences:\n  - id: ${occ}\n    title: Weekly ${i} (special)\n`;
    occurrences.push(occ);
  }
  return { seed, files, occurrences };
}

describe('a scheduled meeting that turns in progress', () => {
  test('after the plan: the server refuses, apply reports it not updatable; the next plan names it with the reason', async () => {
    const { seed, files, occurrences } = weeklyWithOverrides(2);
    const e = await emulator({ seed: { meetings: seed } });
    const dir = writeTree(tempDir('meetctl-faults-'), files);
    const { file, plan } = await savePlan(e, dir);
    e.setState(occurrences[1], 'inProgress');
    const res = await runCli(['apply', file, '--format', 'json'], envFor(e));
    expect(res.code).toBe(1);
    const report = parseReport(res.stdout);
    expectOneOutcomePerChange(plan, report);
    const started = report.outcomes.find((o) => o.id === occurrences[1])!;
    expect(started).toMatchObject({ status: 'notUpdatable', httpStatus: 400 });
    expect(started.message).toMatch(/in progress/);
    expect(report.counts).toMatchObject({ applied: 3, notUpdatable: 1 });

    const left = await expectConverged(e, dir);
    const marked = left.changes.find((c) => c.id === occurrences[1])!;
    expect(marked).toMatchObject({ action: 'notUpdatable', reason: expect.stringMatching(/in progress/) });
    expect(left.summary.notUpdatable).toBe(1);
  });

  test('during apply: a meeting that starts before its turn is refused and reported, the rest applied, nothing sent twice', async () => {
    const { seed, files } = weeklyWithOverrides(4);
    const e = await emulator({ seed: { meetings: seed }, latencyMs: 30 });
    const dir = writeTree(tempDir('meetctl-faults-'), files);
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    const last = plan.changes[plan.changes.length - 1].id;
    const running = runCli(['apply', file, '--format', 'json', '--concurrency', '1'], envFor(e));
    // One worker in plan order: once the first PATCH is answered, the last scheduled meeting is still to come.
    await waitForRequests(e, (r) => r.method === 'PATCH' && r.status === 200, 1);
    e.setState(last, 'inProgress');
    const res = await running;
    expect(res.code).toBe(1);
    const report = parseReport(res.stdout);
    expectOneOutcomePerChange(plan, report);
    expect(report.outcomes.find((o) => o.id === last)?.status).toBe('notUpdatable');
    expect(report.counts).toMatchObject({ applied: 7, notUpdatable: 1 });
    expectNoConflictingWrites(e.requestLog());
    e.configure({ latencyMs: 0 });
    const left = await expectConverged(e, dir);
    expect(left.changes.filter((c) => c.action === 'notUpdatable').map((c) => c.id)).toEqual([last]);
  });
});
