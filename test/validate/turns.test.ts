/**
 * Validation leaves the event loop turns: the reads a plan starts once the files are parsed go on
 * while the files are validated (a list page's answer waits for a turn before the next page is asked for).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { benchSeed, writeDesiredState } from '../../bench/scenario.js';
import { loadDesiredState } from '../../meetings/desired.js';

test('while a tree of 2,000 files is validated, the event loop gets turns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meetctl-turns-'));
  writeDesiredState(benchSeed(2000), dir);
  let turns = 0;
  let counting = false;
  const tick = () => {
    if (!counting) return;
    turns += 1;
    setImmediate(tick);
  };
  const loaded = await loadDesiredState(dir, {
    // Called once every file is parsed, just before validation starts.
    parsed: () => {
      counting = true;
      setImmediate(tick);
    },
  });
  counting = false;
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(loaded.meetings).toHaveLength(2000);
  // Slices of 1 ms (core/turns.ts): far more turns than these in the tens of milliseconds 2,000 files take.
  expect(turns).toBeGreaterThan(3);
});
