/**
 * The executor driving the real Webex client against the emulator under rate limiting, faults
 * and latency. The emulator's request log is the evidence for concurrency and at-most-once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, generateSeed, type Emulator } from '../../emulator/index.js';
import { createWebexClient, type WebexClient } from '../../meetings/client.js';
import { isNotUpdatable } from '../../meetings/send/index.js';
import { executePlan, INTERRUPTED_MESSAGE, type ExecuteOptions, type SendResult } from '../../core/executor.js';
import type { Change } from '../../core/plan.js';
import { OUTCOME_STATUSES } from '../../core/report.js';
import { peakConcurrency, pauseViolations, type LogEntry } from '../client/log-analysis.js';
import { change } from './fixtures.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function setup(emuOptions: Parameters<typeof startEmulator>[0], concurrency: number): Promise<{ emu: Emulator; client: WebexClient }> {
  const emu = await startEmulator(emuOptions);
  open.push(emu);
  const client = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken, concurrency, maxRetries: 8 });
  open.push(client);
  return { emu, client };
}

/** The provider side of apply, reduced to what these tests need: PATCH the change's patch. */
function sender(client: WebexClient): ExecuteOptions['send'] {
  return async (c: Change, stop: AbortSignal): Promise<SendResult> => {
    const r = await client.patchMeeting(c.id, c.patch, { stop });
    if (r.ok) return { ok: true, attempts: r.attempts ?? 1, warnings: [] };
    const failure: SendResult = { ok: false, attempts: r.attempts ?? 0, message: r.error.message, notUpdatable: isNotUpdatable(r.error) };
    if (r.error.status !== undefined) failure.httpStatus = r.error.status;
    if (r.error.trackingId !== undefined) failure.trackingId = r.error.trackingId;
    return failure;
  };
}

function patchesById(log: readonly LogEntry[]): Map<string, LogEntry[]> {
  const out = new Map<string, LogEntry[]>();
  for (const e of log) {
    if (e.method !== 'PATCH') continue;
    const id = decodeURIComponent(e.path.replace(/^\/v1\/meetings\//, ''));
    out.set(id, [...(out.get(id) ?? []), e]);
  }
  return out;
}

describe('executePlan with the Webex client against the emulator', () => {
  it('applies 300 title changes under rate limiting, faults and latency: all succeed, bounded, each sent once', async () => {
    const concurrency = 8;
    const { emu, client } = await setup({ seed: generateSeed({ series: 300, seed: 7 }), rateLimit: 40, faultRate: 0.03, latencyMs: 5 }, concurrency);
    // A burst of 40 then 40/s against ~1000/s of demand: a 429 storm is all but certain (a 423
    // holds back only its own request, and 423s come about every 100 requests).
    const ids = emu.listSeriesIds();
    expect(ids).toHaveLength(300);
    const changes = ids.map((id, i) => change(id, { patch: { title: `Renamed ${i}` } }));
    const progress: Array<{ done: number; remaining: number }> = [];

    const report = await executePlan({
      changes,
      send: sender(client),
      limit: client.limit,
      onProgress: (p) => progress.push({ done: p.done, remaining: p.remaining }),
      baseUrl: emu.baseUrl,
      controls: { sendEmail: false },
    });

    expect(report.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    expect(report.counts.applied).toBe(300);
    expect(report.interrupted).toBe(false);
    ids.forEach((id, i) => expect(emu.getMeeting(id)?.title).toBe(`Renamed ${i}`));

    const log = emu.requestLog();
    // The storm and the faults really happened, or this test proves nothing about them.
    expect(log.some((e) => e.status === 429)).toBe(true);
    expect(log.some((e) => e.fault !== undefined && e.fault !== '429')).toBe(true);
    expect(peakConcurrency(log)).toBeLessThanOrEqual(concurrency);
    expect(client.limit.peakInFlight).toBeLessThanOrEqual(concurrency);
    expect(pauseViolations(log, () => 1)).toEqual([]);

    // At most once: one accepted PATCH per meeting; every other attempt was refused before it applied.
    const patches = patchesById(log);
    expect(patches.size).toBe(300);
    for (const [id, entries] of patches) {
      expect(entries.filter((e) => e.status === 200), id).toHaveLength(1);
      for (const e of entries.filter((x) => x.status !== 200)) expect(e.fault, id).toBeDefined();
    }
    const attempts = report.outcomes.reduce((sum, o) => sum + o.attempts, 0);
    expect(attempts).toBe(log.filter((e) => e.method === 'PATCH').length);
    expect(progress).toHaveLength(300);
    expect(progress.at(-1)).toEqual({ done: 300, remaining: 0 });
  });

  it('skips the occurrence changes of a series change that failed or was refused, and applies the rest', async () => {
    const weekly = (id: string, title: string) => ({
      id,
      title,
      hostEmail: 'host@example.com',
      timezone: 'Europe/Berlin',
      start: '2027-03-02T09:00:00+01:00',
      end: '2027-03-02T09:30:00+01:00',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10',
    });
    const { emu, client } = await setup(
      { seed: { now: '2027-01-15T09:00:00Z', meetings: [weekly('aaaa1111', 'A'), weekly('bbbb2222', 'B'), weekly('cccc3333', 'C')] } },
      4,
    );
    const occ = (series: string) => `${series}_20270309T080000Z`;
    for (const s of ['aaaa1111', 'bbbb2222', 'cccc3333']) expect(emu.getMeeting(occ(s))).toBeDefined();
    // A series Webex refuses whole (a series whose meeting of today runs is updatable): one made by a calendar connector.
    emu.editMeeting('cccc3333', { createdByCalendarConnector: true });

    const changes: Change[] = [
      change('aaaa1111', { patch: { title: 'A renamed' } }),
      change('bbbb2222', { patch: { title: 'x'.repeat(300) } }),
      change('cccc3333', { patch: { title: 'C renamed' } }),
      ...['aaaa1111', 'bbbb2222', 'cccc3333'].map((s) =>
        change(occ(s), { kind: 'scheduledMeeting', order: 1, dependsOn: s, patch: { title: `${s} special` } }),
      ),
    ];
    const report = await executePlan({ changes, send: sender(client), limit: client.limit, baseUrl: emu.baseUrl, controls: { sendEmail: false } });
    const out = new Map(report.outcomes.map((o) => [o.id, o]));

    expect(out.get('aaaa1111')?.status).toBe('applied');
    expect(out.get(occ('aaaa1111'))?.status).toBe('applied');
    expect(emu.getMeeting(occ('aaaa1111'))?.title).toBe('aaaa1111 special');

    expect(out.get('bbbb2222')).toMatchObject({ status: 'failed', httpStatus: 400, attempts: 1 });
    expect(out.get('bbbb2222')?.trackingId).toMatch(/^EMULATOR_/);
    expect(out.get(occ('bbbb2222'))).toMatchObject({ status: 'skipped', message: 'not sent: series change bbbb2222 failed', attempts: 0 });

    expect(out.get('cccc3333')).toMatchObject({ status: 'notUpdatable', httpStatus: 400 });
    expect(out.get(occ('cccc3333'))).toMatchObject({ status: 'skipped', message: 'not sent: series change cccc3333 is not updatable' });

    // Nothing was sent for a skipped change.
    const patched = [...patchesById(emu.requestLog()).keys()].sort();
    expect(patched).toEqual(['aaaa1111', 'aaaa1111_20270309T080000Z', 'bbbb2222', 'cccc3333']);
    expect(report.counts).toMatchObject({ applied: 2, failed: 1, notUpdatable: 1, skipped: 2 });
  });

  it('a stale check (GET through the same client and limit) stops the write', async () => {
    const { emu, client } = await setup({ seed: generateSeed({ series: 3, seed: 3 }) }, 1);
    const [a, b] = emu.listSeriesIds();
    const before = new Map([a, b].map((id) => [id, emu.getMeeting(id)?.title]));
    emu.editMeeting(b, { title: 'changed behind our back' });
    const report = await executePlan({
      changes: [a, b].map((id) => change(id, { patch: { title: `${id} new` } })),
      // With concurrency 1 this only completes because the GET reuses the change's slot.
      checkFresh: async (c, signal) => {
        const live = await client.getMeeting(c.id, { signal });
        if (!live.ok) return { error: live.error.message };
        return live.value.title === before.get(c.id) ? { fresh: true } : { fresh: false, message: 'title changed since the plan' };
      },
      send: sender(client),
      limit: client.limit,
      baseUrl: emu.baseUrl,
      controls: { sendEmail: false },
    });
    const out = new Map(report.outcomes.map((o) => [o.id, o]));
    expect(out.get(a)?.status).toBe('applied');
    expect(out.get(b)).toMatchObject({ status: 'stale', message: 'title changed since the plan' });
    expect(emu.getMeeting(b)?.title).toBe('changed behind our back');
    expect([...patchesById(emu.requestLog()).keys()]).toEqual([a]);
  });

  it('an interrupt mid-run lets in-flight changes finish and skips the rest; counts add up', async () => {
    const { emu, client } = await setup({ seed: generateSeed({ series: 80, seed: 5 }), latencyMs: 20 }, 4);
    const ids = emu.listSeriesIds();
    const controller = new AbortController();
    const report = await executePlan({
      changes: ids.map((id) => change(id, { patch: { title: `${id} new` } })),
      send: sender(client),
      limit: client.limit,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 10) controller.abort();
      },
      baseUrl: emu.baseUrl,
      controls: { sendEmail: false },
    });

    expect(report.interrupted).toBe(true);
    const applied = report.outcomes.filter((o) => o.status === 'applied');
    const skipped = report.outcomes.filter((o) => o.status === 'skipped');
    expect(applied.length).toBeGreaterThanOrEqual(10);
    // Only the changes already holding a slot when the interrupt came may finish.
    expect(applied.length).toBeLessThanOrEqual(10 + 4);
    expect(applied.length + skipped.length).toBe(ids.length);
    for (const o of skipped) expect(o.message).toBe(INTERRUPTED_MESSAGE);
    expect(OUTCOME_STATUSES.reduce((sum, s) => sum + report.counts[s], 0)).toBe(ids.length);

    // The log agrees: applied changes were sent once and accepted, skipped ones never sent.
    const patches = patchesById(emu.requestLog());
    for (const o of applied) expect(patches.get(o.id)?.map((e) => e.status)).toEqual([200]);
    for (const o of skipped) {
      expect(patches.has(o.id)).toBe(false);
      expect(emu.getMeeting(o.id)?.title).not.toBe(`${o.id} new`);
    }
  });
});
