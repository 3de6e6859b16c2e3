/**
 * `--max-chars N`: the room a wrapper leaves meetctl's Markdown (the action: a comment less its
 * marker and footer; a job summary), through the CLI against the emulator.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const N = 300;
const GHOST = 'ffffeeeeffffeeeeffffeeeeffffeeee';
const id = (i: number) => `${i.toString(16).padStart(4, '0')}${'c'.repeat(28)}`;

let emu: Emulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  const meetings = Array.from({ length: N }, (_, i) => ({ id: id(i), title: `Meeting ${i}`, start: '2027-03-02T09:00:00Z', end: '2027-03-02T09:30:00Z', timezone: 'UTC', agenda: `Old ${i}` }));
  emu = await startEmulator({ seed: { now: NOW, meetings }, now: NOW });
  const files: Record<string, string> = { 'zz-ghost.yaml': `id: ${GHOST}\ntitle: Ghost\n` };
  for (let i = 0; i < N; i++) files[`m-${i}.yaml`] = `id: ${id(i)}\ntitle: Meeting ${i}\nagenda: New ${i}\n`;
  dir = writeTree(tempDir(), files);
  env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
});
afterAll(async () => {
  await emu.close();
});

describe('--max-chars N', () => {
  test('plan and show: the Markdown fits N, keeps the errors, and its count line names the limit given; show prints what plan printed', async () => {
    const out = join(tempDir(), 'plan.json');
    const plan = await runCli(['plan', '--dir', dir, '--format', 'markdown', '--max-chars', '5000', '--out', out], env);
    expect(plan.code).toBe(1);
    expect(plan.stdout.length).toBeLessThanOrEqual(5_000);
    expect(plan.stdout.length).toBeGreaterThan(4_000);
    expect(plan.stdout).toContain('\n#### Errors\n\n');
    expect(plan.stdout).toContain(GHOST);
    expect(plan.stdout).toMatch(/\n… [\d,]+ more meetings not shown \([\d,]+ characters over --max-chars 5,000\); run `meetctl plan` for the full plan\.\n$/);
    const shown = await runCli(['show', out, '--format', 'markdown', '--max-chars', '5000']);
    expect(shown.stdout).toBe(plan.stdout);
    // Without it, a comment's limit, said as before.
    const comment = await runCli(['show', out, '--format', 'markdown']);
    expect(comment.stdout.length).toBeLessThanOrEqual(65_536);
    expect(comment.stdout).toMatch(/characters over the 65,536 limit of a comment\); run `meetctl plan` for the full plan\.\n$/);
  });

  test('drift and validate keep to it too', async () => {
    const drift = await runCli(['drift', '--dir', dir, '--format', 'markdown', '--max-chars', '3000'], env);
    expect(drift.stdout.length).toBeLessThanOrEqual(3_000);
    expect(drift.stdout).toMatch(/characters over --max-chars 3,000\); run `meetctl drift` for the full report\.\n$/);
    const bad = writeTree(tempDir(), Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`b-${i}.yaml`, `id: ${id(i)}\ntitle: Bad ${i}\ndurationMinutes: 30\n`])));
    const validate = await runCli(['validate', '--dir', bad, '--format', 'markdown', '--max-chars', '2000']);
    expect(validate.code).toBe(1);
    expect(validate.stdout.length).toBeLessThanOrEqual(2_000);
    expect(validate.stdout).toMatch(/characters over --max-chars 2,000\); run `meetctl validate` for the full list\.\n$/);
  });

  test('refused, before any request, with another format (never shortened) or a number that is not a whole number of at least 1,000', async () => {
    const before = emu.requestLog().length;
    const text = await runCli(['plan', '--dir', dir, '--max-chars', '5000'], env);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('--max-chars is for --format markdown; text output is never shortened');
    for (const value of ['999', '5e3', '12abc', '-5000', '']) {
      const res = await runCli(['plan', '--dir', dir, '--format', 'markdown', '--max-chars', value], env);
      expect(res.code, value).toBe(1);
      expect(res.stderr, value).toContain(`--max-chars must be a whole number of characters, at least 1,000, not ${value}`);
      expect(res.stdout, value).toBe('');
    }
    expect(emu.requestLog().length).toBe(before);
  });
});
