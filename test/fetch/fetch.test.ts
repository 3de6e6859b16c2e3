import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type RequestLogEntry } from '../../emulator/index.js';
import { benchSeed, BENCH_NOW, writeDesiredState } from '../../bench/scenario.js';
import { createWebexClient } from '../../meetings/client.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { preflight } from '../../meetings/preflight.js';
import { updatableUntil } from '../../meetings/catalogue.js';
import { PAGES_PER_SLICE, planAgainstLive, roughSpan, sliceWindow, type FetchStrategy, type Span } from '../../meetings/fetch.js';

const DAY = 24 * 3600 * 1000;
let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const isList = (e: RequestLogEntry) => /^\/v1\/meetings\?/.test(e.path);
/** The site's tracking codes, read once per host because the files declare trackingCodes. */
const isSiteCodes = (e: RequestLogEntry) => e.path.startsWith('/v1/meetings/trackingCodes?');
const meetingReads = (log: RequestLogEntry[]) => {
  expect(log.filter(isSiteCodes).length).toBeLessThanOrEqual(1);
  return log.filter((e) => !isSiteCodes(e));
};

async function planScenario(series: number, strategy: FetchStrategy = 'auto', edit?: (e: Emulator) => void) {
  const seed = benchSeed(series);
  emu = await startEmulator({ seed, now: BENCH_NOW });
  edit?.(emu);
  const dir = mkdtempSync(join(tmpdir(), 'meetctl-fetch-'));
  const scenario = writeDesiredState(seed, dir);
  const loaded = await loadDesiredState(dir);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const client = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken, concurrency: 8 });
  emu.clearRequestLog();
  const result = await planAgainstLive({ client, desired: loaded.meetings, env: {}, concurrency: 8, strategy });
  await client.close();
  return { scenario, result, log: emu.requestLog(), desired: loaded.meetings };
}

describe('fetch strategy', () => {
  test('many series with overrides: one series list and one list of modified scheduled meetings, no GET at all', async () => {
    const { scenario, result, log } = await planScenario(600);
    expect(scenario.seriesWithOverrides).toBeGreaterThan(100);
    expect(meetingReads(log).every((e) => e.method === 'GET' && isList(e))).toBe(true);
    // Each host is listed on its own (files name their host): a page per 100 of that host's meetings.
    const hosts = [...scenario.byHost.values()];
    expect(log.filter((e) => /meetingType=meetingSeries/.test(e.path))).toHaveLength(hosts.reduce((n, h) => n + Math.ceil(h.series / 100), 0));
    expect(log.filter((e) => /isModified=true/.test(e.path))).toHaveLength(hosts.reduce((n, h) => n + Math.ceil(h.occurrences / 100), 0));
    const updates = result.changes.filter((c) => c.action === 'update');
    expect(updates).toHaveLength(scenario.differing);
    expect(result.changes.filter((c) => c.action === 'error')).toEqual([]);
    expect(result.changes).toHaveLength(600 + scenario.occurrenceCount);
  });

  test('a declared override that is not modified yet is read with a GET of its own', async () => {
    const seed = benchSeed(600);
    const series = seed.meetings!.find((m) => (m.occurrences?.length ?? 0) === 1)!;
    const declared = series.occurrences![0].id!;
    // Undo the override on the live side: the file still declares it, so plan must read it and find the title differs.
    const { result, log } = await planScenario(600, 'auto', (e) => {
      const live = e.getMeeting(declared)!;
      e.editMeeting(declared, { title: e.getMeeting(series.id)!.title, isModified: false });
      expect(live.isModified).toBe(true);
    });
    const gets = meetingReads(log).filter((e) => !isList(e));
    expect(gets.map((e) => e.path)).toEqual([`/v1/meetings/${declared}?current=false&hostEmail=${encodeURIComponent(series.hostEmail!)}`]);
    const change = result.changes.find((c) => c.id === declared)!;
    expect(change.action).toBe('update');
    expect(change.patch).toEqual({ title: series.occurrences![0].title });
  });

  test("few series: one GET per series, and one windowed list of each series' declared overrides (a list item says isModified, a GET does not)", async () => {
    const { scenario, log } = await planScenario(40);
    const gets = meetingReads(log).filter((e) => !isList(e));
    const lists = log.filter(isList);
    expect(gets).toHaveLength(40);
    expect(lists).toHaveLength(scenario.withOne + scenario.withTwo);
    expect(lists.every((e) => /meetingSeriesId=/.test(e.path))).toBe(true);
  });

  test('the strategies plan the same changes', async () => {
    const viaList = (await planScenario(60, 'list')).result.changes;
    await emu?.close();
    const viaGet = (await planScenario(60, 'get')).result.changes;
    const strip = (cs: typeof viaList) => cs.map((c) => ({ id: c.id, action: c.action, patch: c.patch, fingerprint: c.fingerprint }));
    expect(strip(viaList)).toEqual(strip(viaGet));
    expect(viaList.filter((c) => c.action === 'update').length).toBeGreaterThan(0);
  });
});

describe('planning while reading', () => {
  test('once the server clock is known (the preflight), each page of series is planned as it arrives, and the plan is the one made after the reads', async () => {
    const seed = benchSeed(600);
    emu = await startEmulator({ seed, now: BENCH_NOW });
    const dir = mkdtempSync(join(tmpdir(), 'meetctl-fetch-'));
    writeDesiredState(seed, dir);
    const { meetings } = await loadDesiredState(dir);
    const plan = async (withPreflight: boolean) => {
      const client = createWebexClient({ baseUrl: emu!.baseUrl, token: emu!.adminToken, concurrency: 8 });
      if (withPreflight) expect((await preflight(client, emu!.baseUrl)).ok).toBe(true);
      const result = await planAgainstLive({ client, desired: meetings, env: {}, concurrency: 8 });
      await client.close();
      return result;
    };
    const whileReading = await plan(true);
    const afterReading = await plan(false);
    expect(whileReading.plannedWhileReading).toBe(600);
    expect(afterReading.plannedWhileReading).toBe(0);
    expect(whileReading.changes).toEqual(afterReading.changes);
    expect(whileReading.changes.filter((c) => c.action === 'update').length).toBeGreaterThan(0);
  });
});

describe('the list windows', () => {
  test('are placed by the server clock once a response has told it, not by the local one', async () => {
    const seed = benchSeed(600);
    emu = await startEmulator({ seed, now: BENCH_NOW });
    // Two years away from the local clock, whatever the day this runs.
    const serverNow = Date.now() + 2 * 365 * DAY;
    emu.clock.set(new Date(serverNow).toISOString());
    const dir = mkdtempSync(join(tmpdir(), 'meetctl-fetch-'));
    writeDesiredState(seed, dir);
    const { meetings } = await loadDesiredState(dir);
    const client = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken, concurrency: 8 });
    expect((await preflight(client, emu.baseUrl)).ok).toBe(true);
    emu.clearRequestLog();
    await planAgainstLive({ client, desired: meetings, env: {}, concurrency: 8 });
    await client.close();
    const lists = (kind: RegExp, param: 'from' | 'to') =>
      emu!.requestLog().filter((e) => isList(e) && kind.test(e.path)).map((e) => Date.parse(new URL(e.path, 'http://x').searchParams.get(param)!));
    const near = (ms: number, expected: number) => expect(Math.abs(ms - expected)).toBeLessThan(60_000);
    // The series: from a day before the server's now to ten years and a day after it.
    near(Math.min(...lists(/meetingType=meetingSeries/, 'from')), serverNow - DAY);
    near(Math.max(...lists(/meetingType=meetingSeries/, 'to')), updatableUntil(serverNow) + DAY);
    // The modified scheduled meetings: to the same end (the declared overrides all come before it).
    near(Math.max(...lists(/isModified=true/, 'to')), updatableUntil(serverNow) + DAY);
  });
});

describe('sliceWindow', () => {
  const window = { from: 0, to: 1000 };
  const points = (n: number) => Array.from({ length: n }, (_, i) => ({ from: i + 1, to: i + 2 }));
  /** How many spans the server lists in a slice: those that overlap it. */
  const listed = (spans: readonly Span[], w: { from: number; to: number }) => spans.filter((s) => s.from < w.to && s.to > w.from).length;

  test('a list of a few pages is read whole', () => {
    expect(sliceWindow(window, points(3), 3000)).toEqual([window]);
  });
  test('a long list is cut where the items start, into adjacent slices that cover the window', () => {
    const slices = sliceWindow(window, points(900), 15_000);
    expect(slices.length).toBeGreaterThan(1);
    expect(slices[0].from).toBe(0);
    expect(slices.at(-1)!.to).toBe(1000);
    for (let i = 1; i < slices.length; i++) {
      expect(slices[i].from).toBe(slices[i - 1].to);
      expect(slices[i].from).toBeGreaterThan(slices[i - 1].from);
    }
  });
  test('no cut without spans to place it', () => {
    expect(sliceWindow(window, [], 50_000)).toEqual([window]);
  });
  test('spans that cross a cut count in both slices, and the slices are balanced with them', () => {
    // 6,000 one-off items spread evenly, and 2,000 recurring series that start early and run on:
    // each is listed by every slice after its start, so an even cut by start would overload the last slice.
    const oneOff = Array.from({ length: 6000 }, (_, i) => ({ from: 100 + (i * 800) / 6000, to: 100 + (i * 800) / 6000 + 1 }));
    const recurring = Array.from({ length: 2000 }, (_, i) => ({ from: 1 + (i * 90) / 2000, to: Infinity }));
    const spans = [...oneOff, ...recurring];
    const slices = sliceWindow(window, spans, spans.length);
    expect(slices.length).toBe(2);
    const loads = slices.map((w) => listed(spans, w));
    expect(Math.max(...loads)).toBeLessThanOrEqual(PAGES_PER_SLICE * 100);
    expect(Math.abs(loads[0] - loads[1])).toBeLessThan(50);
    // The cut by start alone (at the median start) would list far more in its fuller slice.
    const median = [...spans].sort((a, b) => a.from - b.from)[spans.length / 2].from;
    const naive = [listed(spans, { from: 0, to: median }), listed(spans, { from: median, to: 1000 })];
    expect(Math.max(...naive)).toBeGreaterThan(Math.max(...loads) + 500);
  });
  test('every span inside the window is listed by at least one slice', () => {
    const spans = [...points(700).map((s) => ({ from: s.from, to: s.from + 50 })), { from: 5, to: Infinity }];
    const slices = sliceWindow(window, spans, 14_000);
    for (const s of spans) expect(slices.some((w) => s.from < w.to && s.to > w.from)).toBe(true);
  });
});

describe('roughSpan', () => {
  test('a one-off meeting spans its start to its end', () => {
    expect(roughSpan({ start: '2027-01-01T10:00:00Z', end: '2027-01-01T11:00:00Z' })).toEqual({
      from: Date.parse('2027-01-01T10:00:00Z'),
      to: Date.parse('2027-01-01T11:00:00Z'),
    });
  });
  test('UNTIL and COUNT bound a series; a rule without either runs on; no start, no span', () => {
    const start = Date.parse('2027-01-01T10:00:00Z');
    const until = roughSpan({ start: '2027-01-01T10:00:00Z', end: '2027-01-01T11:00:00Z', recurrence: 'FREQ=WEEKLY;UNTIL=20270301' })!;
    expect(until.to).toBe(Date.parse('2027-03-01T23:59:59Z') + 3_600_000);
    const count = roughSpan({ start: '2027-01-01T10:00', end: '2027-01-01T11:00', recurrence: 'FREQ=DAILY;INTERVAL=2;COUNT=10' })!;
    expect(count.to).toBe(start + 20 * 86_400_000 + 3_600_000);
    expect(roughSpan({ start: '2027-01-01T10:00:00Z', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1' })!.to).toBe(Infinity);
    expect(roughSpan({ title: 'x' })).toBeUndefined();
  });
});
