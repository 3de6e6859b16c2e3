/**
 * Issue 15: the delete guard and --prune at the command line. A saved plan's deletes are checked
 * against --max-deletes (and the 10% share) before the first request, as everything else the plan
 * file and the options decide; a saved plan made without --prune cannot be turned into one with it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { generateSeed, type Emulator } from '../../emulator/index.js';
import { makePlan, type Change, type Orphan } from '../../core/plan.js';
import { serializePlan } from '../../core/saved-plan.js';
import { runCli, tempDir } from '../support/cli.js';
import { closeAll, emulator, envFor, NOW } from '../faults/support.js';

afterEach(closeAll);

/** A plan file as `plan --prune --out` would write it: `prune` owned series no file declares, of `owned`. */
function savedPlan(e: Emulator, opts: { prune: number; owned: number; orphans?: Orphan[] }): string {
  const ids = e.listSeriesIds();
  const changes: Change[] = ids.slice(0, opts.prune).map((id, i) => ({
    id,
    key: `gone-${i}`,
    prune: true,
    kind: 'series',
    action: 'delete',
    file: '',
    label: `Gone ${i}`,
    patch: {},
    before: {},
    fingerprint: `sha256:${'0'.repeat(64)}`,
    warnings: [],
    order: 0,
  }));
  const plan = makePlan({ baseUrl: e.baseUrl, controls: { sendEmail: false }, changes, orphans: opts.orphans ?? [], owned: opts.owned, now: new Date(NOW) });
  const file = join(tempDir('meetctl-delete-guard-'), 'plan.json');
  writeFileSync(file, serializePlan(plan));
  return file;
}

describe('apply PLANFILE: the delete guard refuses before any request', () => {
  test('--max-deletes 0 refuses a plan with one prune delete; nothing is read or sent', async () => {
    const e = await emulator({ seed: generateSeed({ series: 3 }) });
    const file = savedPlan(e, { prune: 1, owned: 3 });
    e.clearRequestLog();
    const res = await runCli(['apply', file, '--max-deletes', '0'], envFor(e));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the plan deletes 1 meeting, more than --max-deletes 0: a deleted meeting cannot be recovered, so this needs --force (nothing was applied)');
    expect(e.requestLog()).toEqual([]);
  });

  test('2 prune deletes of 10 owned meetings need --max-deletes 2 or --force', async () => {
    const e = await emulator({ seed: generateSeed({ series: 3 }) });
    const file = savedPlan(e, { prune: 2, owned: 10 });
    e.clearRequestLog();
    const res = await runCli(['apply', file], envFor(e));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/the plan deletes 2 of 10 owned meetings \(20%\), more than 10%: .*--max-deletes 2 or --force \(nothing was applied\)/);
    expect(e.requestLog()).toEqual([]);
  });

  test('--max-deletes must be a whole number', async () => {
    const e = await emulator({ seed: generateSeed({ series: 1 }) });
    const file = savedPlan(e, { prune: 1, owned: 1 });
    for (const value of ['-1', 'x', '1.5', '']) {
      const res = await runCli(['apply', file, '--max-deletes', value], envFor(e));
      expect({ value, code: res.code }).toEqual({ value, code: 1 });
      expect(res.stderr).toContain('--max-deletes must be a whole number');
    }
    expect(e.requestLog()).toEqual([]);
  });
});

describe('apply PLANFILE and the options that only choose what to plan', () => {
  test('--dir or --fetch given with a plan file is refused before any request; their defaults are no refusal', async () => {
    const e = await emulator({ seed: generateSeed({ series: 1 }) });
    const file = savedPlan(e, { prune: 0, owned: 1 });
    e.clearRequestLog();
    for (const [args, named] of [
      [['--dir', '/nonexistent/dir'], '--dir is'],
      [['--fetch', 'list'], '--fetch is'],
      [['--dir', 'meetings', '--fetch', 'get'], '--dir and --fetch are'],
    ] as const) {
      const res = await runCli(['apply', file, '--auto-approve', ...args], envFor(e));
      expect({ args, code: res.code }).toEqual({ args, code: 1 });
      expect(res.stderr).toContain(`${named} not used with a plan file: the plan decides what is applied`);
    }
    // A number without its unit is refused: 24 read as seconds would refuse every plan a CI run applies.
    for (const age of ['24', '1.5']) {
      const res = await runCli(['apply', file, '--auto-approve', '--max-plan-age', age], envFor(e));
      expect({ age, code: res.code }).toEqual({ age, code: 1 });
      expect(res.stderr).toContain(`--max-plan-age must look like 24h, 90m or 3600s (a number and its unit), not ${age}`);
    }
    expect(e.requestLog()).toEqual([]);
    const plain = await runCli(['apply', file, '--auto-approve'], envFor(e));
    expect(plain.stderr).not.toContain('not used with a plan file');
  });
});

describe('--prune', () => {
  test('apply PLANFILE --prune on a plan made without it (it lists orphans) is refused before any request', async () => {
    const e = await emulator({ seed: generateSeed({ series: 2 }) });
    const [id] = e.listSeriesIds();
    const file = savedPlan(e, { prune: 0, owned: 1, orphans: [{ id, key: 'old-retro', label: 'Old retro' }] });
    e.clearRequestLog();
    const res = await runCli(['apply', file, '--prune'], envFor(e));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the plan was made without --prune: it lists 1 orphaned meeting and deletes none; run meetctl plan --prune again (nothing was applied)');
    expect(e.requestLog()).toEqual([]);
  });

  test('apply PLANFILE --prune on a plan made without it that lists no orphan is refused too: it deletes nothing', async () => {
    const e = await emulator({ seed: generateSeed({ series: 2 }) });
    const file = savedPlan(e, { prune: 0, owned: 0 });
    e.clearRequestLog();
    const res = await runCli(['apply', file, '--prune'], envFor(e));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the plan was made without --prune: it deletes nothing; run meetctl plan --prune again (nothing was applied)');
    expect(e.requestLog()).toEqual([]);
  });

  test('plan and apply take --prune and apply --max-deletes; drift reports orphans without --prune', async () => {
    const help = async (cmd: string) => (await runCli([cmd, '--help'])).stdout;
    expect(await help('plan')).toContain('--prune');
    expect(await help('apply')).toContain('--prune');
    expect(await help('apply')).toContain('--max-deletes <n>');
    expect((await help('apply')).replace(/\s+/g, ' ')).toContain('--force allow a plan that changes more than 30% of the managed meetings, or deletes more than 10% of the owned ones');
    expect(await help('drift')).not.toContain('--prune');
  });
});
