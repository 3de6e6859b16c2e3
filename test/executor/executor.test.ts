/**
 * The executor with an in-memory provider (no HTTP): ordering, dependencies, outcomes,
 * interruption. The end-to-end suite (emulator.test.ts) runs it through the real client.
 */
import { describe, expect, it } from 'vitest';
import { executePlan, INTERRUPTED_MESSAGE, type SendResult } from '../../core/executor.js';
import { AdaptiveLimit } from '../../core/gate.js';
import type { Change } from '../../core/plan.js';
import { OUTCOME_STATUSES } from '../../core/report.js';
import { change } from './fixtures.js';

const base = { baseUrl: 'http://127.0.0.1:1/v1', controls: { sendEmail: false } };

function byId(report: Awaited<ReturnType<typeof executePlan>>) {
  return new Map(report.outcomes.map((o) => [o.id, o]));
}

describe('executePlan', () => {
  it('turns planned non-updates into outcomes without sending anything', async () => {
    const sent: string[] = [];
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(4),
      changes: [
        change('a', { action: 'noop' }),
        change('b', { action: 'notUpdatable', reason: 'the meeting has ended' }),
        change('c', { action: 'error', reason: 'meeting not found' }),
      ],
      send: async (c) => {
        sent.push(c.id);
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(sent).toEqual([]);
    const out = byId(report);
    expect(out.get('a')?.status).toBe('unchanged');
    expect(out.get('b')).toMatchObject({ status: 'notUpdatable', message: 'the meeting has ended', attempts: 0 });
    expect(out.get('c')).toMatchObject({ status: 'failed', message: 'meeting not found' });
    expect(report.interrupted).toBe(false);
    expect(report.counts).toMatchObject({ unchanged: 1, notUpdatable: 1, failed: 1, applied: 0 });
  });

  it('maps send results to applied / failed / notUpdatable with status, tracking id and attempts', async () => {
    const results: Record<string, SendResult> = {
      ok: { ok: true, attempts: 3, warnings: ['server adjusted start'] },
      bad: { ok: false, attempts: 1, message: 'title too long', httpStatus: 400, trackingId: 'T-1' },
      ended: { ok: false, attempts: 1, message: 'meeting has ended', httpStatus: 400, notUpdatable: true },
    };
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(2),
      changes: Object.keys(results).map((id) => change(id, { label: `L-${id}` })),
      send: async (c) => results[c.id],
    });
    const out = byId(report);
    expect(out.get('ok')).toMatchObject({ status: 'applied', attempts: 3, warnings: ['server adjusted start'], label: 'L-ok' });
    expect(out.get('bad')).toMatchObject({ status: 'failed', httpStatus: 400, trackingId: 'T-1', message: 'title too long', attempts: 1 });
    expect(out.get('ended')).toMatchObject({ status: 'notUpdatable', message: 'meeting has ended' });
  });

  it('a send or check that throws becomes a failed outcome, not a crash', async () => {
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(2),
      changes: [change('a'), change('b')],
      checkFresh: async (c) => {
        if (c.id === 'b') throw new Error('check exploded');
        return { fresh: true };
      },
      send: async () => {
        throw new Error('send exploded');
      },
    });
    const out = byId(report);
    expect(out.get('a')).toMatchObject({ status: 'failed', message: 'send exploded' });
    expect(out.get('b')?.status).toBe('failed');
    expect(out.get('b')?.message).toContain('check exploded');
  });

  it('a stale change is not sent; a failed staleness check fails the change', async () => {
    const sent: string[] = [];
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(2),
      changes: [change('fresh'), change('stale'), change('unknown')],
      checkFresh: async (c) =>
        c.id === 'fresh'
          ? { fresh: true }
          : c.id === 'stale'
            ? { fresh: false, message: 'title changed since the plan' }
            : { error: 'HTTP 500' },
      send: async (c) => {
        sent.push(c.id);
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(sent).toEqual(['fresh']);
    const out = byId(report);
    expect(out.get('stale')).toMatchObject({ status: 'stale', message: 'title changed since the plan' });
    expect(out.get('unknown')?.status).toBe('failed');
  });

  it('sends a dependent change only after its dependency succeeded', async () => {
    const events: string[] = [];
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(8),
      changes: [
        change('S_20270316T080000Z', { kind: 'scheduledMeeting', order: 1, dependsOn: 'S' }),
        change('S'),
      ],
      send: async (c) => {
        events.push(`start ${c.id}`);
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${c.id}`);
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(events).toEqual(['start S', 'end S', 'start S_20270316T080000Z', 'end S_20270316T080000Z']);
    expect(report.counts.applied).toBe(2);
  });

  it('skips the dependents of a failed, stale or not-updatable series, and still runs the rest', async () => {
    const sent: string[] = [];
    const changes: Change[] = [
      change('A'),
      change('A_1', { order: 1, dependsOn: 'A', kind: 'scheduledMeeting' }),
      change('B'),
      change('B_1', { order: 1, dependsOn: 'B', kind: 'scheduledMeeting' }),
      change('C'),
      change('C_1', { order: 1, dependsOn: 'C', kind: 'scheduledMeeting' }),
      change('D', { action: 'notUpdatable', reason: 'ended' }),
      change('D_1', { order: 1, dependsOn: 'D', kind: 'scheduledMeeting' }),
      change('E', { action: 'noop' }),
      change('E_1', { order: 1, dependsOn: 'E', kind: 'scheduledMeeting' }),
    ];
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(4),
      changes,
      checkFresh: async (c) => (c.id === 'C' ? { fresh: false, message: 'moved' } : { fresh: true }),
      send: async (c) => {
        sent.push(c.id);
        return c.id === 'B'
          ? { ok: false, attempts: 1, message: 'invalid', httpStatus: 400 }
          : { ok: true, attempts: 1, warnings: [] };
      },
    });
    const out = byId(report);
    expect(out.get('A_1')?.status).toBe('applied');
    expect(out.get('B_1')).toMatchObject({ status: 'skipped', message: 'not sent: series change B failed', attempts: 0 });
    expect(out.get('C_1')).toMatchObject({ status: 'skipped', message: 'not sent: series change C was stale' });
    expect(out.get('D_1')).toMatchObject({ status: 'skipped', message: 'not sent: series change D is not updatable' });
    expect(out.get('E_1')?.status).toBe('applied');
    expect(sent.sort()).toEqual(['A', 'A_1', 'B', 'E_1']);
    expect(report.outcomes).toHaveLength(changes.length);
  });

  it('starts a dependent as soon as its own dependency succeeded, without waiting for the whole group', async () => {
    let releaseSlow!: () => void;
    const slowDone = new Promise<void>((r) => (releaseSlow = r));
    const events: string[] = [];
    const run = executePlan({
      ...base,
      limit: new AdaptiveLimit(4),
      changes: [change('fast'), change('slow'), change('fast_1', { order: 1, dependsOn: 'fast' })],
      send: async (c) => {
        events.push(c.id);
        if (c.id === 'fast_1') releaseSlow();
        if (c.id === 'slow') await slowDone;
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    // If fast_1 waited for the whole order-0 group, `slow` would never finish: the test would time out.
    const report = await run;
    expect(events.indexOf('fast_1')).toBeGreaterThan(events.indexOf('fast'));
    expect(report.counts.applied).toBe(3);
  });

  it('a change without dependsOn waits for every change of a lower order', async () => {
    const events: string[] = [];
    await executePlan({
      ...base,
      limit: new AdaptiveLimit(8),
      changes: [change('a'), change('b'), change('later', { order: 1 })],
      send: async (c) => {
        events.push(`start ${c.id}`);
        await new Promise((r) => setTimeout(r, c.id === 'b' ? 10 : 1));
        events.push(`end ${c.id}`);
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(events.indexOf('start later')).toBeGreaterThan(events.indexOf('end a'));
    expect(events.indexOf('start later')).toBeGreaterThan(events.indexOf('end b'));
  });

  it('a dependency the plan orders after its dependent is a plan defect: failed, nothing hangs', async () => {
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(2),
      changes: [change('x', { dependsOn: 'y' }), change('y', { order: 1 })],
      send: async () => ({ ok: true, attempts: 1, warnings: [] }),
    });
    const out = byId(report);
    expect(out.get('x')?.status).toBe('failed');
    expect(out.get('y')?.status).toBe('applied');
  });

  it('never runs more changes at once than the limit allows', async () => {
    const limit = new AdaptiveLimit(3);
    let active = 0;
    let peak = 0;
    const report = await executePlan({
      ...base,
      limit,
      changes: Array.from({ length: 30 }, (_, i) => change(`m${i}`)),
      send: async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 1));
        active -= 1;
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(peak).toBe(3);
    expect(report.counts.applied).toBe(30);
  });

  it('an interrupt during the last request, which lands, leaves a whole run: not interrupted; one the interrupt cut short fails and is', async () => {
    const whole = new AbortController();
    const landed = await executePlan({
      ...base,
      limit: new AdaptiveLimit(1),
      signal: whole.signal,
      changes: [change('s0')],
      send: async () => {
        whole.abort();
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(landed.interrupted).toBe(false);
    expect(landed.counts.applied).toBe(1);
    const cut = new AbortController();
    const stopped = await executePlan({
      ...base,
      limit: new AdaptiveLimit(1),
      signal: cut.signal,
      changes: [change('s0')],
      send: async () => {
        cut.abort();
        return { ok: false, attempts: 1, message: 'the run was interrupted: not sent again after 1 attempt' };
      },
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.counts.failed).toBe(1);
  });

  it('on interrupt: in-flight changes finish, the rest are skipped, interrupted is set, counts add up', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    let sentCount = 0;
    const changes = [
      ...Array.from({ length: 20 }, (_, i) => change(`s${i}`)),
      change('s0_1', { order: 1, dependsOn: 's0', kind: 'scheduledMeeting' }),
    ];
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(2),
      signal: controller.signal,
      changes,
      onProgress: (p) => progress.push(p.done + p.remaining),
      send: async (_c, stop) => {
        sentCount += 1;
        // The send is told of the interrupt (to send nothing more), and what it had on the wire completes.
        expect(stop).toBe(controller.signal);
        if (sentCount === 3) controller.abort();
        await new Promise((r) => setTimeout(r, 2));
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(report.interrupted).toBe(true);
    expect(report.counts.applied).toBe(sentCount);
    expect(sentCount).toBeLessThanOrEqual(4);
    expect(report.counts.skipped).toBe(changes.length - sentCount);
    for (const o of report.outcomes.filter((x) => x.status === 'skipped')) expect(o.message).toBe(INTERRUPTED_MESSAGE);
    expect(progress.every((n) => n === changes.length)).toBe(true);
    expect(progress).toHaveLength(changes.length);
    const total = OUTCOME_STATUSES.reduce((sum, s) => sum + report.counts[s], 0);
    expect(total).toBe(changes.length);
  });

  it('an abort before the start sends nothing', async () => {
    let sent = 0;
    const report = await executePlan({
      ...base,
      limit: new AdaptiveLimit(2),
      signal: AbortSignal.abort(),
      changes: [change('a'), change('b', { action: 'noop' })],
      send: async () => {
        sent += 1;
        return { ok: true, attempts: 1, warnings: [] };
      },
    });
    expect(sent).toBe(0);
    expect(report.interrupted).toBe(true);
    expect(report.counts).toMatchObject({ skipped: 1, unchanged: 1 });
  });

  it('reports outcomes in plan order with the run metadata', async () => {
    const report = await executePlan({
      baseUrl: 'https://webexapis.com/v1',
      controls: { sendEmail: true },
      limit: new AdaptiveLimit(2),
      changes: [change('b', { order: 1 }), change('a')],
      send: async () => ({ ok: true, attempts: 1, warnings: [] }),
    });
    expect(report.outcomes.map((o) => o.id)).toEqual(['a', 'b']);
    expect(report.baseUrl).toBe('https://webexapis.com/v1');
    expect(report.controls).toEqual({ sendEmail: true });
    expect(Date.parse(report.finishedAt)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
  });
});
