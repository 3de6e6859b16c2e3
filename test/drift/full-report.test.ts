/**
 * `drift --full-report FILE`: the whole report beside the one --max-chars shortens, so that a
 * nightly issue cut to fit loses nothing (the workflow uploads the file as an artifact).
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateSeed, startEmulator, type Emulator } from '../../emulator/index.js';
import { captureStream } from '../../cli/io.js';
import { runWithIo } from '../../cli/program.js';
import { runCli, tempDir } from '../support/cli.js';

let emu: Emulator;
let dir: string;
let ids: string[];
beforeAll(async () => {
  // 40 series retitled in Webex: a Markdown report far longer than --max-chars 1000.
  emu = await startEmulator({ seed: generateSeed({ series: 40 }) });
  dir = join(tempDir(), 'meetings');
  mkdirSync(dir);
  ids = emu.listSeriesIds();
  for (const id of ids) {
    const m = emu.getMeeting(id)!;
    writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\nhostEmail: ${String(m.hostEmail)}\ntitle: ${JSON.stringify(`${String(m.title).slice(0, 80)} as the file says`)}\n`);
  }
});
afterAll(() => emu.close());

const env = () => ({ WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });

describe('drift --full-report', () => {
  test('Markdown: stdout is shortened to --max-chars, the file holds every drifted meeting; same exit code', async () => {
    const full = join(tempDir(), 'drift-full.md');
    const res = await runCli(['drift', '--dir', dir, '--format', 'markdown', '--max-chars', '1000', '--full-report', full], env());
    expect(res.code).toBe(2);
    expect(res.stdout.length).toBeLessThanOrEqual(1000);
    expect(res.stdout).toMatch(/more entries not shown/);
    const text = readFileSync(full, 'utf8');
    expect(text).not.toMatch(/not shown/);
    expect(ids.filter((id) => !text.includes(id))).toEqual([]);
    // The file is what the format writes without a limit (the server's clock has moved on since).
    const whole = await runCli(['drift', '--dir', dir, '--format', 'markdown', '--max-chars', String(1e8)], env());
    const untimed = (t: string) => t.replace(/Checked `[^`]+`/, 'Checked `T`');
    expect(untimed(text)).toBe(untimed(whole.stdout));
  });

  test('text on a terminal: stdout in colour, the file without colour codes', async () => {
    const full = join(tempDir(), 'drift.txt');
    const stdout = Object.assign(captureStream(), { isTTY: true });
    const code = await runWithIo(['drift', '--dir', dir, '--full-report', full], { env: { PATH: process.env.PATH, ...env() }, stdout, stderr: captureStream() });
    expect(code).toBe(2);
    expect(stdout.text()).toMatch(/\u001b\[/);
    const text = readFileSync(full, 'utf8');
    expect(text).toContain(ids[0]);
    expect(text).not.toMatch(/\u001b\[/);
  });

  test('files that do not validate: no report, so no file', async () => {
    const bad = join(tempDir(), 'meetings');
    mkdirSync(bad);
    writeFileSync(join(bad, 'm.yaml'), 'id: abc\ndurationMinutes: 5\n');
    const full = join(tempDir(), 'drift-full.md');
    const res = await runCli(['drift', '--dir', bad, '--format', 'markdown', '--full-report', full], env());
    expect(res.code).toBe(1);
    expect(existsSync(full)).toBe(false);
  });

  test('a folder that does not exist: exit 1 before any request, naming it', async () => {
    const root = tempDir();
    const missing = join(root, 'no-such-folder', 'drift.md');
    emu.clearRequestLog();
    const res = await runCli(['drift', '--dir', dir, '--format', 'markdown', '--full-report', missing], env());
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`--full-report ${missing}: the folder ${join(root, 'no-such-folder')} does not exist`);
    expect(emu.requestLog()).toEqual([]);
  });

  test('a file that cannot be written: exit 1 naming it, no report on stdout; a symbolic link is not followed', async () => {
    const root = tempDir();
    const elsewhere = join(root, 'elsewhere.md');
    writeFileSync(elsewhere, 'keep');
    symlinkSync(elsewhere, join(root, 'link.md'));
    const linked = await runCli(['drift', '--dir', dir, '--format', 'markdown', '--full-report', join(root, 'link.md')], env());
    expect(linked.code).toBe(1);
    expect(linked.stdout).toBe('');
    expect(linked.stderr).toContain(`the full report to ${join(root, 'link.md')}`);
    expect(readFileSync(elsewhere, 'utf8')).toBe('keep');
  });
});
