/**
 * Issue 16: what must stop an unattended CI run, or keep it inside what was reviewed. Every test
 * runs the built CLI as a child process against the emulator over loopback HTTP. Meetings belong
 * to the seed's default host and are read with the admin token.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { generateSeed, type Emulator, type RequestLogEntry, type SeedFile } from '../../emulator/index.js';
import { shardOf } from '../../cli/pipeline.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { closeAll, emulator, envFor, parseReport, savePlan } from '../faults/support.js';

afterEach(closeAll);

/** Generated series, all of the seed's default host (no other hostEmail). */
function defaultHostSeed(series: number): SeedFile {
  const seed = generateSeed({ series });
  for (const m of seed.meetings ?? []) delete m.hostEmail;
  return seed;
}

/** Every series retitled, and every seeded occurrence override of it retitled too: one change each. */
function retitleWithOccurrences(e: Emulator, seed: SeedFile, suffix: string): string {
  const files: Record<string, string> = {};
  for (const m of seed.meetings ?? []) {
    const title = String(e.getMeeting(m.id)?.title ?? m.id).slice(0, 90);
    let text = `id: ${m.id}\ntitle: ${JSON.stringify(`${title}${suffix}`)}\n`;
    if (m.occurrences?.length) {
      text += 'occurrences:\n';
      for (const o of m.occurrences) text += `  - id: ${o.id}\n    title: ${JSON.stringify(`${String(o.title ?? title).slice(0, 90)}${suffix}`)}\n`;
    }
    files[`${m.id}.yaml`] = text;
  }
  return writeTree(tempDir('meetctl-ci-'), files);
}

const patched = (log: RequestLogEntry[]): string[] =>
  log.filter((r) => r.method === 'PATCH' && r.status === 200).map((r) => decodeURIComponent(r.path.split('?')[0].replace(/^\/v1\/meetings\//, '')));

const seriesOf = (id: string): string => id.split('_')[0];

describe('an empty or mistyped --dir is an error naming the directory', () => {
  test('plan, apply, drift and validate refuse a missing directory, an empty one, and one with a defaults.yaml alone', async () => {
    const e = await emulator({ seed: defaultHostSeed(3) });
    const root = tempDir('meetctl-ci-dirs-');
    const missing = join(root, 'meetngs');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const defaultsOnly = writeTree(join(root, 'defaults-only'), { 'defaults.yaml': 'agenda: set by defaults\n', 'team/defaults.yaml': 'agenda: team\n' });
    const commands: string[][] = [['plan'], ['apply', '--auto-approve'], ['drift'], ['validate']];
    for (const dir of [missing, empty, defaultsOnly]) {
      for (const cmd of commands) {
        const res = await runCli([...cmd, '--dir', dir], envFor(e));
        const what = `${cmd[0]} --dir ${dir}`;
        expect({ what, code: res.code }).toEqual({ what, code: 1 });
        // validate lists its findings on stdout (the summary goes to stderr); the others log to stderr.
        expect(cmd[0] === 'validate' ? res.stdout : res.stderr).toContain(dir);
        expect(res.stdout).not.toMatch(/No changes|match the configuration|in sync/i);
      }
    }
    // Nothing was read from the server for a tree that declares nothing.
    expect(e.requestLog()).toEqual([]);
  });
});
