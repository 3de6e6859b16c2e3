/**
 * validate, plan, drift, show and import stop at once on SIGINT or SIGTERM, as killed by the signal,
 * printing nothing; a file being written leaves no temporary file behind (only a process shows this).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { benchSeed, BENCH_NOW } from '../../bench/scenario.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { EXAMPLES, runCli, tempDir } from '../support/cli.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Every file below `dir`, relative. */
function allFiles(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub)).flatMap((name) => {
    const rel = sub ? `${sub}/${name}` : name;
    return statSync(join(dir, rel)).isDirectory() ? allFiles(dir, rel) : [rel];
  });
}

describe('a signal', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s stops drift at once: ended by the signal, nothing printed', async (signal) => {
    emu = await startEmulator({ latencyMs: 5_000 });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'x-Passw0rd' };
    const started = Date.now();
    const res = await runCli(['drift', '--dir', EXAMPLES], env, { onSpawn: (child) => setTimeout(() => child.kill(signal), 1_000) });
    expect({ code: res.code, signal: res.signal, stdout: res.stdout, stderr: res.stderr }).toEqual({ code: null, signal, stdout: '', stderr: '' });
    // Not after the reads: the emulator answers each in 5 s.
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  test('SIGINT during an import: the files written are whole, and no temporary file is left', async () => {
    emu = await startEmulator({ seed: benchSeed(1_500), now: BENCH_NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const out = join(tempDir(), 'meetings');
    let sawTemporary = false;
    const res = await runCli(['import', '--all', '--out', out], env, {
      onSpawn: (child) => {
        // Stopped while files are being written, some of them already: a temporary file is there to be left behind.
        const poll = setInterval(() => {
          let names: string[] = [];
          try {
            names = allFiles(out);
          } catch {
            return;
          }
          const hidden = names.filter((n) => n.split('/').pop()!.startsWith('.'));
          if (hidden.length > 0 && names.length - hidden.length >= 20) {
            sawTemporary = true;
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 1);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(sawTemporary).toBe(true);
    expect(res.signal).toBe('SIGINT');
    const files = allFiles(out);
    expect(files.filter((f) => f.split('/').pop()!.startsWith('.'))).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((parse(readFileSync(join(out, f), 'utf8')) as { id?: string }).id, f).toMatch(/^[0-9a-f]{32}$/);
  }, 60_000);
});
