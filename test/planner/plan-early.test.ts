/**
 * Series planned while the reads run (meetings/plan-early.ts): phase 1 takes an early plan only
 * when it was made from the same file, the same live meeting object and the same context, and the
 * plan is the same with or without them. Pure: hand-made live state, no emulator.
 */
import { describe, expect, test } from 'vitest';
import type { Meeting } from '../../meetings/client.js';
import type { DesiredMeeting } from '../../meetings/desired.js';
import { earlyPlanner } from '../../meetings/plan-early.js';
import { planSeriesPhase, seriesContext, siteTrackingCodes } from '../../meetings/plan-live.js';
import type { CodesRead, SeriesState } from '../../meetings/read-live.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');
const HOST = 'host@example.com';
const ENV = {};

const ids = Array.from({ length: 5 }, (_, i) => `${String(i).repeat(4)}aaaabbbbccccddddeeeeffff0000`.slice(0, 32));

function live(id: string, title: string): Meeting {
  return { id, meetingType: 'meetingSeries', scheduledType: 'meeting', state: 'active', title, start: '2027-03-02T09:00:00Z', end: '2027-03-02T09:30:00Z' };
}

function file(id: string, title: string): DesiredMeeting {
  return { id, file: `meetings/${id}.yaml`, fields: { title }, hostEmail: HOST, occurrences: [], locate: () => ({ file: `meetings/${id}.yaml`, line: 1, col: 1 }) };
}

const files = ids.map((id, i) => file(id, i % 2 === 0 ? `Sync ${i}` : `Renamed ${i}`));
const meetings = ids.map((id, i) => live(id, `Sync ${i}`));
const codes: ReadonlyMap<string, CodesRead> = new Map();

function stateOf(series: readonly Meeting[], trackingCodes = codes, nowMs = NOW): SeriesState {
  return { series: new Map(series.map((m) => [m.id, { ok: true, meeting: m }] as const)), trackingCodes, nowMs };
}

/** What the planner has made by the end of the reads: the pages offered, then the event loop's turn. */
async function plannedEarly(pages: readonly (readonly Meeting[])[], nowMs = NOW) {
  const planner = earlyPlanner(files, (c) => seriesContext(siteTrackingCodes(c), nowMs, ENV));
  planner.withCodes(codes);
  for (const page of pages) planner.offer(page);
  await new Promise((resolve) => setImmediate(resolve));
  return planner.finish()!;
}

describe('planning series while the pages are read', () => {
  test('every listed series of a file is planned before the reads end, and phase 1 takes those plans as they are', async () => {
    const early = await plannedEarly([meetings.slice(0, 3), meetings.slice(3)]);
    expect(early.plans.size).toBe(files.length);
    const phase = planSeriesPhase(files, stateOf(meetings), ENV, { early });
    phase.plans.forEach((plan, i) => expect(plan).toBe(early.plans.get(files[i])?.plan));
  });

  test('the plan is the same with the early plans as without them', async () => {
    const early = await plannedEarly([meetings]);
    const withEarly = planSeriesPhase(files, stateOf(meetings), ENV, { early });
    const without = planSeriesPhase(files, stateOf(meetings), ENV);
    expect({ ...withEarly, plannedWhileReading: 0 }).toEqual(without);
    expect(withEarly.plannedWhileReading).toBe(files.length);
    expect(withEarly.plans.map((p) => p.change.action)).toEqual(['noop', 'update', 'noop', 'update', 'noop']);
  });

  test('a series read again since (another host listed it, or a GET replaced a failed list) is planned again, on what phase 1 has', async () => {
    const early = await plannedEarly([meetings]);
    const reread = meetings.map((m, i) => (i === 1 ? { ...m, title: 'Renamed 1' } : m));
    const phase = planSeriesPhase(files, stateOf(reread), ENV, { early });
    expect(phase.plans[1]).not.toBe(early.plans.get(files[1])?.plan);
    expect(phase.plans[1].change.action).toBe('noop');
    expect(phase.plans[0]).toBe(early.plans.get(files[0])?.plan);
  });

  test('early plans made with another clock or other tracking-code reads are not taken', async () => {
    const early = await plannedEarly([meetings], NOW - 60_000);
    const later = planSeriesPhase(files, stateOf(meetings), ENV, { early });
    later.plans.forEach((plan, i) => expect(plan).not.toBe(early.plans.get(files[i])?.plan));
    const sameClock = await plannedEarly([meetings]);
    const otherCodes = planSeriesPhase(files, stateOf(meetings, new Map()), ENV, { early: sameClock });
    otherCodes.plans.forEach((plan, i) => expect(plan).not.toBe(sameClock.plans.get(files[i])?.plan));
  });

  test('nothing is planned before the tracking codes are read, nor after the reads end; an id two files declare is left to phase 1', async () => {
    const twice = [...files, file(ids[0], 'Another file, same id')];
    const planner = earlyPlanner(twice, (c) => seriesContext(siteTrackingCodes(c), NOW, ENV));
    planner.offer(meetings);
    await new Promise((resolve) => setImmediate(resolve));
    const beforeCodes = planner.finish();
    expect(beforeCodes).toBeUndefined();

    const late = earlyPlanner(twice, (c) => seriesContext(siteTrackingCodes(c), NOW, ENV));
    late.withCodes(codes);
    late.offer(meetings);
    await new Promise((resolve) => setImmediate(resolve));
    const early = late.finish()!;
    expect([...early.plans.keys()].map((d) => d.id)).toEqual(ids.slice(1));
    late.offer(meetings.map((m) => ({ ...m })));
    await new Promise((resolve) => setImmediate(resolve));
    expect(early.plans.size).toBe(ids.length - 1);
  });
});

describe('a file planning cannot read (the files are not validated yet)', () => {
  test('is left to phase 1: nothing is thrown where no one can catch it', async () => {
    const broken: DesiredMeeting = { ...file(ids[0], 'Sync 0'), fields: { trackingCodes: [null] } };
    const planner = earlyPlanner([broken, ...files.slice(1)], (c) => seriesContext(siteTrackingCodes(c), NOW, ENV));
    planner.withCodes(codes);
    planner.offer(meetings);
    // Planning runs in the event loop's own turn: a throw there would be an uncaught exception.
    await new Promise((resolve) => setImmediate(resolve));
    const early = planner.finish()!;
    expect(early.plans.has(broken)).toBe(false);
    expect(early.plans.size).toBe(files.length - 1);
    expect(() => planSeriesPhase([broken], stateOf(meetings), ENV, { early })).toThrow();
  });
});
