import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type RequestLogEntry } from '../../emulator/index.js';
import { benchSeed, BENCH_NOW, writeDesiredState } from '../../bench/scenario.js';
import { createWebexClient } from '../../meetings/client.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { planAgainstLive, sliceWindow, type FetchStrategy } from '../../meetings/fetch.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const isList = (e: RequestLogEntry) => /^\/v1\/meetings\?/.test(e.path);

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
    expect(log.every((e) => e.method === 'GET' && isList(e))).toBe(true);
    expect(log.filter((e) => /meetingType=meetingSeries/.test(e.path))).toHaveLength(Math.ceil(600 / 100));
    expect(log.filter((e) => /isModified=true/.test(e.path))).toHaveLength(Math.ceil(scenario.occurrenceCount / 100));
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
    const gets = log.filter((e) => !isList(e));
    expect(gets.map((e) => e.path)).toEqual([`/v1/meetings/${declared}`]);
    const change = result.changes.find((c) => c.meetingId === declared)!;
    expect(change.action).toBe('update');
    expect(change.patch).toEqual({ title: series.occurrences![0].title });
  });

  test('few series: one GET per series, a GET for one override, one windowed list for two', async () => {
    const { scenario, log } = await planScenario(40);
    const gets = log.filter((e) => !isList(e));
    const lists = log.filter(isList);
    expect(gets).toHaveLength(40 + scenario.withOne);
    expect(lists).toHaveLength(scenario.withTwo);
    expect(lists.every((e) => /meetingSeriesId=/.test(e.path))).toBe(true);
  });

  test('the strategies plan the same changes', async () => {
    const viaList = (await planScenario(60, 'list')).result.changes;
    await emu?.close();
    const viaGet = (await planScenario(60, 'get')).result.changes;
    const strip = (cs: typeof viaList) => cs.map((c) => ({ id: c.meetingId, action: c.action, patch: c.patch, fingerprint: c.fingerprint }));
    expect(strip(viaList)).toEqual(strip(viaGet));
    expect(viaList.filter((c) => c.action === 'update').length).toBeGreaterThan(0);
  });
});

describe('sliceWindow', () => {
  const window = { from: 0, to: 1000 };
  test('a list of a few pages is read whole', () => {
    expect(sliceWindow(window, [10, 20, 30], 3000)).toEqual([window]);
  });
  test('a long list is cut where the items start, into adjacent slices that cover the window', () => {
    const instants = Array.from({ length: 900 }, (_, i) => i + 1);
    const slices = sliceWindow(window, instants, 15_000);
    expect(slices.length).toBeGreaterThan(1);
    expect(slices[0].from).toBe(0);
    expect(slices.at(-1)!.to).toBe(1000);
    for (let i = 1; i < slices.length; i++) {
      expect(slices[i].from).toBe(slices[i - 1].to);
      expect(slices[i].from).toBeGreaterThan(slices[i - 1].from);
    }
  });
  test('no cut without enough instants to place it', () => {
    expect(sliceWindow(window, [], 50_000)).toEqual([window]);
  });
});
