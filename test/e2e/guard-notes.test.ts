/**
 * A plan says which guards apply will meet without --force, in every format and in the saved
 * plan: a reviewer of the PR comment learns it then, not when apply refuses after the merge.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { generateSeed, startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

test('a plan that renames 12 of 12 meetings says apply will need --force; apply refuses it the same way', async () => {
  const seed = generateSeed({ series: 12 });
  emu = await startEmulator({ seed, now: '2027-01-15T09:00:00Z' });
  const files = Object.fromEntries((seed.meetings ?? []).map((m) => [`${m.id}.yaml`, `id: ${m.id}\n${m.hostEmail ? `hostEmail: ${m.hostEmail}\n` : ''}title: Renamed ${m.id.slice(0, 6)}\n`]));
  const dir = writeTree(tempDir(), files);
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
  const note = 'apply: the plan changes 12 of 12 managed meetings (100%), more than 30%';
  const text = await runCli(['plan', '--dir', dir], env);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(note);
  expect((await runCli(['plan', '--dir', dir, '--format', 'markdown'], env)).stdout).toContain(note);
  const planFile = join(dir, 'plan.json');
  await runCli(['plan', '--dir', dir, '--out', planFile], env);
  expect((JSON.parse(readFileSync(planFile, 'utf8')) as { notes: string[] }).notes).toContainEqual(expect.stringContaining(note));
  const applied = await runCli(['apply', planFile], env);
  expect(applied.code).toBe(1);
  expect(applied.stderr).toContain('the plan changes 12 of 12 managed meetings (100%), more than 30%');
});

test('new meetings beside the rewrite do not dilute the guard: 12 renamed and 30 keyed creates is still 12 of 12, refused without --force', async () => {
  const seed = generateSeed({ series: 12 });
  emu = await startEmulator({ seed, now: '2027-01-15T09:00:00Z' });
  const renamed = Object.fromEntries((seed.meetings ?? []).map((m) => [`${m.id}.yaml`, `id: ${m.id}\n${m.hostEmail ? `hostEmail: ${m.hostEmail}\n` : ''}title: Renamed ${m.id.slice(0, 6)}\n`]));
  const created = Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [`new-${i}.yaml`, `key: new-${i}\ntitle: New ${i}\nstart: 2027-02-0${1 + (i % 9)}T09:00:00Z\nend: 2027-02-0${1 + (i % 9)}T09:30:00Z\ntimezone: UTC\n`]),
  );
  const dir = writeTree(tempDir(), { ...renamed, ...created });
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
  const planFile = join(tempDir(), 'plan.json');
  const planned = await runCli(['plan', '--dir', dir, '--out', planFile], env);
  expect(planned.stdout).toMatch(/30 to create, 12 to update/);
  expect(planned.stdout).toContain('apply: the plan changes 12 of 12 managed meetings (100%), more than 30%');
  const applied = await runCli(['apply', planFile], env);
  expect(applied.code).toBe(1);
  expect(applied.stderr).toContain('needs --force (nothing was applied)');
  expect(emu.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
});
