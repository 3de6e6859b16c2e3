/**
 * apply and plan on a terminal: the confirmation prompt and the redrawn progress line only appear when
 * stdin/stderr are a TTY, so these tests run meetctl inside a pseudo-terminal (util-linux `script`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { BIN, EXAMPLES, runCli } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Run the CLI on a pseudo-terminal; `answer` is typed once the confirmation prompt shows. */
function runOnTerminal(args: string[], env: Record<string, string>, answer?: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: { PATH: process.env.PATH, NO_COLOR: '1', TERM: 'dumb', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let answered = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (answer !== undefined && !answered && /Only 'yes' is accepted: $/.test(output)) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
}

describe.skipIf(!hasScript)('apply on a terminal', () => {
  test('asks for confirmation; anything but "yes" changes nothing', async () => {
    emu = await startEmulator({ now: NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'Demo-Passw0rd!' };
    const res = await runOnTerminal(['apply', '--dir', EXAMPLES], env, 'y');
    expect(res.output).toMatch(/Apply \d+ changes?\? Only 'yes' is accepted: /);
    expect(res.output).toMatch(/apply cancelled; nothing was changed/);
    expect(res.code).toBe(1);
    expect(emu.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('"yes" applies, with a progress line that ends at 0 remaining', async () => {
    emu = await startEmulator({ now: NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'Demo-Passw0rd!' };
    const res = await runOnTerminal(['apply', '--dir', EXAMPLES], env, 'yes');
    const patches = emu.requestLog().filter((r) => r.method === 'PATCH');
    expect(patches.length).toBeGreaterThan(0);
    expect(res.output).toMatch(new RegExp(`applying: ${patches.length} done, 0 failed, 0 remaining · [\\d.]+/s`));
    expect(res.code).toBe(0);
  });

  test('plan draws its progress line in place too, ending at 0 remaining', async () => {
    emu = await startEmulator({ now: NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'Demo-Passw0rd!' };
    const res = await runOnTerminal(['plan', '--dir', EXAMPLES], env);
    expect(res.code).toBe(0);
    const drawn = /\r\x1b\[2Kplanning: (\d+) done, 0 failed, 0 remaining · [\d.]+\/s · 0 pauses after 429\r?\n/.exec(res.output);
    expect(drawn).not.toBeNull();
    expect(Number(drawn![1])).toBeGreaterThan(0);
  });

  test('without a terminal the progress line is left out (logs and pipes stay clean)', async () => {
    emu = await startEmulator({ now: NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'Demo-Passw0rd!' };
    const res = await runCli(['apply', '--dir', EXAMPLES, '--auto-approve'], env);
    expect(res.code).toBe(0);
    expect(res.stdout + res.stderr).not.toMatch(/applying:|\r/);
  });
});
