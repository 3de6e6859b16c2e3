/**
 * An import of many recurring series reads their modified scheduled meetings in one list of the
 * host's, not one list per series, and writes the same files as the reads series by series.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { benchSeed, BENCH_NOW } from '../../bench/scenario.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { OCCURRENCE_LIST_THRESHOLD as HOST_MODIFIED_LIST_THRESHOLD } from '../../meetings/read-live.js';
import { runCli, tempDir } from '../support/cli.js';
import { yamlFiles } from './import-e2e-support.js';

let emu: Emulator;
let env: Record<string, string>;
let recurring: string[];
beforeAll(async () => {
  // A quarter of the series recur, each with one or two overrides: well over the threshold.
  const seed = benchSeed(4 * (HOST_MODIFIED_LIST_THRESHOLD + 40));
  recurring = (seed.meetings ?? []).filter((m) => m.recurrence).map((m) => m.id);
  expect(recurring.length).toBeGreaterThan(HOST_MODIFIED_LIST_THRESHOLD);
  emu = await startEmulator({ seed, now: BENCH_NOW });
  env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
});
afterAll(() => emu.close());

const modifiedLists = (log: readonly { path: string }[]) => log.filter((r) => /[?&]isModified=true/.test(r.path));

describe('import of many recurring series', () => {
  test.each([
    ['--all', ['--all']],
    ['--host', ['--host', 'host@example.com']],
  ])('%s: the modified scheduled meetings in one list of the host (no list per series), and plan right after is empty', async (_, args) => {
    emu.clearRequestLog();
    const dir = join(tempDir(), 'meetings');
    const res = await runCli(['import', ...args, '--out', dir], env);
    expect(res.code, res.stderr).toBe(0);
    const lists = modifiedLists(emu.requestLog());
    expect(lists.filter((r) => /meetingSeriesId=/.test(r.path))).toEqual([]);
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.length).toBeLessThanOrEqual(Math.ceil((2 * recurring.length) / 100));
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);
  });

  test('the files are those the reads series by series write: every recurring series, imported by --id a few at a time', async () => {
    const byId = (dir: string) => new Map(yamlFiles(dir).map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return [(parse(text) as { id: string }).id, text] as const;
    }));
    const all = join(tempDir(), 'meetings');
    expect((await runCli(['import', '--all', '--out', all], env)).code).toBe(0);
    const together = byId(all);
    let overrides = 0;
    for (let i = 0; i < recurring.length; i += HOST_MODIFIED_LIST_THRESHOLD) {
      const chunk = recurring.slice(i, i + HOST_MODIFIED_LIST_THRESHOLD);
      emu.clearRequestLog();
      const some = join(tempDir(), 'meetings');
      expect((await runCli(['import', '--id', ...chunk, '--out', some], env)).code).toBe(0);
      // At most the threshold: each series has a list of its own.
      expect(modifiedLists(emu.requestLog()).filter((r) => /meetingSeriesId=/.test(r.path))).toHaveLength(chunk.length);
      const apart = byId(some);
      expect([...apart.keys()].sort()).toEqual([...chunk].sort());
      for (const id of chunk) expect(together.get(id), id).toBe(apart.get(id));
      overrides += [...apart.values()].filter((t) => /^occurrences:/m.test(t)).length;
    }
    // The comparison covers overrides: most of these files declare some.
    expect(overrides).toBeGreaterThan(recurring.length / 2);
  });
});
