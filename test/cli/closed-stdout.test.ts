/**
 * A reader that goes away (`meetctl drift | head -1`): the command ends quietly with its own exit
 * code, as git, kubectl and terraform do, not with an EPIPE stack trace and exit 1. Only a process
 * shows it: the pipe is closed before the first byte is read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { benchSeed, BENCH_NOW, writeDesiredState } from '../../bench/scenario.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runProcess, tempDir } from '../support/cli.js';

let emu: Emulator;
let dir: string;

beforeAll(async () => {
  // Enough meetings that every format writes more than a pipe holds.
  const seed = benchSeed(300);
  emu = await startEmulator({ seed, now: BENCH_NOW });
  dir = tempDir('meetctl-epipe-');
  writeDesiredState(seed, dir);
}, 60_000);

afterAll(() => emu.close());

describe('stdout closed by its reader', () => {
  test.each([
    ['plan --format json --detailed-exitcode', 2, ['plan', '--format', 'json', '--detailed-exitcode']],
    ['plan (text)', 0, ['plan']],
    ['drift', 2, ['drift']],
  ])('%s: exit %i, no stack trace', async (_name, code, args) => {
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const res = await runProcess([...args, '--dir', dir], env, { onSpawn: (child) => child.stdout?.destroy() });
    expect(res.stderr).not.toMatch(/EPIPE|node:events|Unhandled/);
    expect(res.code).toBe(code);
  }, 60_000);
});
