/**
 * `apply --full-report FILE`: the whole apply report beside the one --max-chars shortens, so that
 * the record a CI run keeps of a large apply holds every change (apply.yml keeps it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { generateSeed, startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir } from '../support/cli.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** 40 series whose files retitle them: a plan of 40 updates, saved. */
async function savedPlan(): Promise<{ env: Record<string, string>; planFile: string; ids: string[] }> {
  emu = await startEmulator({ seed: generateSeed({ series: 40 }) });
  const dir = join(tempDir(), 'meetings');
  mkdirSync(dir);
  const ids = emu.listSeriesIds();
  for (const id of ids) {
    const m = emu.getMeeting(id)!;
    writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\nhostEmail: ${String(m.hostEmail)}\ntitle: ${JSON.stringify(`${String(m.title).slice(0, 80)} as the file says`)}\n`);
  }
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
  const planFile = join(tempDir(), 'plan.json');
  expect((await runCli(['plan', '--dir', dir, '--out', planFile], env)).code).toBe(0);
  return { env, planFile, ids };
}

describe('apply --full-report', () => {
  test('Markdown: stdout is shortened to --max-chars, the file holds every change applied', async () => {
    const { env, planFile, ids } = await savedPlan();
    const full = join(tempDir(), 'apply-full.md');
    const res = await runCli(['apply', planFile, '--force', '--format', 'markdown', '--max-chars', '1000', '--full-report', full], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.length).toBeLessThanOrEqual(1000);
    expect(res.stdout).toMatch(/not shown/);
    const text = readFileSync(full, 'utf8');
    expect(text).toMatch(/^### meetctl apply/);
    expect(text).not.toMatch(/not shown/);
    expect(ids.filter((id) => !text.includes(id))).toEqual([]);
  });

  test('JSON: the file is the same one document as stdout', async () => {
    const { env, planFile } = await savedPlan();
    const full = join(tempDir(), 'apply.json');
    const res = await runCli(['apply', planFile, '--force', '--format', 'json', '--full-report', full], env);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(full, 'utf8')).toBe(res.stdout);
  });

  test('a folder that does not exist: exit 1 before any request, nothing applied', async () => {
    const { env, planFile } = await savedPlan();
    emu!.clearRequestLog();
    const missing = join(tempDir(), 'no-such-folder', 'apply.md');
    const res = await runCli(['apply', planFile, '--force', '--full-report', missing], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`--full-report ${missing}: the folder`);
    expect(emu!.requestLog()).toEqual([]);
  });
});
