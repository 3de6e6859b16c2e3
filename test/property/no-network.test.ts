/**
 * A tree that does not validate is never sent anywhere: `validate` opens no connection at all,
 * and `plan` prints no plan and writes nothing (its reads may start while the files are
 * validated, and are discarded). The emulator's request log is the witness.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { EXAMPLES, runCli, tempDir, writeTree } from '../support/cli.js';
import { EXAMPLE_FILES, loadAndCheck, mappingArb, mappingText, mutate, mutationArb } from './support.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({});
});
afterAll(() => emu.close());

const env = () => ({ WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'x-Passw0rd' });

/** A few invalid trees from the same generators as the property tests (fixed seed: the same trees every run). */
async function invalidTrees(count: number): Promise<string[]> {
  const candidates = fc.sample(
    fc.oneof(
      mappingArb.map((pairs) => ({ 'm.yaml': `id: 1d824a4a205042eba9574e00b711b226\n${mappingText(pairs)}` })),
      fc.tuple(fc.constantFrom(...Object.keys(EXAMPLE_FILES)), fc.array(mutationArb, { minLength: 2, maxLength: 4 })).map(([name, m]) => ({
        ...EXAMPLE_FILES,
        [name]: mutate(EXAMPLE_FILES[name], m),
      })),
    ),
    { numRuns: 60, seed: 8 },
  );
  const dirs: string[] = [];
  for (const files of candidates) {
    const loaded = await loadAndCheck(files);
    if (loaded.diagnostics.some((d) => d.severity === 'error')) dirs.push(loaded.dir);
    if (dirs.length === count) break;
  }
  expect(dirs).toHaveLength(count);
  return dirs;
}

describe('invalid trees send nothing', () => {
  test('validate needs no URL and opens no connection, valid or not', async () => {
    const dirs = [EXAMPLES, ...(await invalidTrees(3))];
    for (const dir of dirs) {
      const res = await runCli(['validate', '--dir', dir, '--log-level', 'trace'], env());
      expect(res.code).toBe(dir === EXAMPLES ? 0 : 1);
    }
    expect(emu.requestLog()).toEqual([]);
  });

  test('plan on an invalid tree exits 1 with no plan, and sends nothing but reads', async () => {
    emu.clearRequestLog();
    for (const dir of await invalidTrees(4)) {
      const res = await runCli(['plan', '--dir', dir], env());
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/nothing was planned/);
      expect(res.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
      expect(res.stdout).toBe('');
    }
    expect(emu.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('plan on a tree whose ids or hosts are not well formed sends no request at all: they would be in it', async () => {
    // Large enough that its validation outlasts the start of the early reads.
    const good = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`m${i}.yaml`, `id: abc${i}\ntitle: Meeting ${i}\n`]));
    for (const bad of [
      'id: "../../people/me?x=1"\ntitle: x\n',
      'id: abc99\nhostEmail: "not an email; DROP"\ntitle: x\n',
      'id: abc98\ntitle: x\noccurrences:\n  - id: "abc98_2027/../x"\n    title: y\n',
    ]) {
      emu.clearRequestLog();
      const res = await runCli(['plan', '--dir', writeTree(tempDir(), { ...good, '00bad.yaml': bad })], env());
      expect({ bad, code: res.code }).toEqual({ bad, code: 1 });
      expect(res.stderr).toMatch(/nothing was planned/);
      expect(emu.requestLog()).toEqual([]);
    }
  });
});
