import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { benchSeed, BENCH_NOW, writeDesiredState, type Scenario } from '../../bench/scenario.js';
import { countRequests, lowerBound } from '../../bench/requests.js';
import { runCli, tempDir } from '../support/cli.js';

let emu: Emulator;
let dir: string;
let scenario: Scenario;

beforeAll(async () => {
  const seed = benchSeed(60);
  emu = await startEmulator({ seed, now: BENCH_NOW });
  dir = tempDir();
  scenario = writeDesiredState(seed, dir);
});
afterAll(async () => {
  await emu.close();
});

describe('--shard K/N', () => {
  test('four shards together plan every meeting exactly once', async () => {
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const shards: string[][] = [];
    for (let k = 1; k <= 4; k++) {
      const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--shard', `${k}/4`], env);
      expect(res.code).toBe(0);
      const plan = JSON.parse(res.stdout) as { changes: { id: string; kind: string }[] };
      shards.push(plan.changes.map((c) => c.id));
    }
    const all = shards.flat();
    const expected = [...scenario.seriesIds, ...scenario.seed.meetings!.flatMap((m) => (m.occurrences ?? []).map((o) => o.id!))];
    expect(new Set(all).size).toBe(all.length); // no meeting in two shards
    expect([...all].sort()).toEqual([...expected].sort()); // and none left out
    expect(shards.every((s) => s.length > 0)).toBe(true);
    // A scheduled meeting travels with its series.
    for (const ids of shards) for (const id of ids.filter((x) => x.includes('_'))) expect(ids).toContain(id.split('_')[0]);
  });
});

describe('bench figures', () => {
  test('requests are counted by kind from the request log', () => {
    const at = (startedAt: number, endedAt: number) => ({ seq: 0, startedAt, endedAt, token: 'admin' });
    const counts = countRequests([
      { ...at(100, 130), method: 'GET', path: '/v1/meetings?max=100', status: 200 },
      { ...at(110, 140), method: 'GET', path: '/v1/meetings/abc', status: 429 },
      { ...at(150, 170), method: 'GET', path: '/v1/meetings/abc', status: 200 },
      { ...at(160, 190), method: 'PATCH', path: '/v1/meetings/abc', status: 503 },
      { ...at(200, 260), method: 'PATCH', path: '/v1/meetings/abc', status: 200 },
      { ...at(210, 270), method: 'POST', path: '/v1/meetings', status: 200 },
      { ...at(220, 280), method: 'DELETE', path: '/v1/meetings/abc?sendEmail=false', status: 204 },
    ]);
    expect(counts).toEqual({ total: 7, get: 2, list: 1, patch: 2, post: 1, delete: 1, retried: 2, rateLimited: 1, spanMs: 180 });
  });
  test('the lower bound is the larger of the rate and the latency bounds', () => {
    expect(lowerBound(200, 100, 25, 8).seconds).toBeCloseTo(2);
    expect(lowerBound(200, 1000, 100, 2)).toMatchObject({ rateSeconds: 0.2, latencySeconds: 10, seconds: 10 });
  });
});
