/**
 * Issue 16: what must stop an unattended CI run, or keep it inside what was reviewed. Every test
 * runs the built CLI as a child process against the emulator over loopback HTTP. Meetings belong
 * to the seed's default host and are read with the admin token.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('apply PLANFILE --shard / --target applies only the selected changes', () => {
  test('four shards of one saved plan apply it exactly once between them, each scheduled meeting with its series', async () => {
    const seed = defaultHostSeed(16);
    const e = await emulator({ seed });
    const dir = retitleWithOccurrences(e, seed, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    const updates = plan.changes.filter((c) => c.action === 'update');
    expect(updates.some((c) => c.kind === 'scheduledMeeting')).toBe(true);
    const seen: string[] = [];
    for (let k = 1; k <= 4; k++) {
      e.clearRequestLog();
      const res = await runCli(['apply', file, '--shard', `${k}/4`, '--force', '--format', 'json'], envFor(e));
      expect(res.code).toBe(0);
      const expected = updates.filter((c) => shardOf(seriesOf(c.id), 4) === k - 1).map((c) => c.id).sort();
      const sent = patched(e.requestLog()).sort();
      // Never outside the shard; the whole shard.
      expect(sent).toEqual(expected);
      expect(parseReport(res.stdout).outcomes.map((o) => o.id).sort()).toEqual(expected);
      expect(res.stderr).toMatch(new RegExp(`${updates.length - expected.length} left out`));
      seen.push(...sent);
    }
    expect(seen.sort()).toEqual(updates.map((c) => c.id).sort());
  });

  test('--target applies one series with its scheduled meetings; a --target naming no change is refused before any request', async () => {
    const seed = defaultHostSeed(12);
    const e = await emulator({ seed });
    const dir = retitleWithOccurrences(e, seed, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    const withOccurrences = plan.changes.find((c) => c.kind === 'scheduledMeeting')?.id;
    expect(withOccurrences).toBeDefined();
    const target = seriesOf(withOccurrences as string);

    e.clearRequestLog();
    const unknown = await runCli(['apply', file, '--target', 'no-such-meeting', '--force'], envFor(e));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--target names no change of the plan: no-such-meeting/);
    expect(e.requestLog()).toEqual([]);

    const res = await runCli(['apply', file, '--target', target, '--force', '--format', 'json'], envFor(e));
    expect(res.code).toBe(0);
    const expected = plan.changes.filter((c) => seriesOf(c.id) === target).map((c) => c.id).sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(patched(e.requestLog()).sort()).toEqual(expected);
    expect(res.stderr).toMatch(new RegExp(`${plan.changes.length - expected.length} left out`));
  });
});

describe('apply follows the email choice of the reviewed plan', () => {
  test('--send-email on a plan made without it (and --no-send-email on one made with it) is refused before any request', async () => {
    const e = await emulator({ seed: defaultHostSeed(3) });
    const dir = retitleWithOccurrences(e, defaultHostSeed(3), ' (v2)');
    const quiet = await savePlan(e, dir);
    expect(quiet.plan.controls).toEqual({ sendEmail: false });
    e.clearRequestLog();
    const loud = await runCli(['apply', quiet.file, '--send-email'], envFor(e));
    expect(loud.code).toBe(1);
    expect(loud.stderr).toMatch(/plan again with --send-email/);
    expect(e.requestLog()).toEqual([]);

    const emailing = join(tempDir(), 'plan.json');
    expect((await runCli(['plan', '--dir', dir, '--send-email', '--out', emailing], envFor(e))).code).toBe(0);
    e.clearRequestLog();
    const muted = await runCli(['apply', emailing, '--no-send-email'], envFor(e));
    expect(muted.code).toBe(1);
    expect(muted.stderr).toMatch(/plan again without --send-email/);
    expect(e.requestLog()).toEqual([]);

    // Without a flag the plan decides: the emailing plan emails.
    const followed = await runCli(['apply', emailing], envFor(e));
    expect(followed.code).toBe(0);
    const bodies = e.requestLog().filter((r) => r.method === 'PATCH').map((r) => (r.body as { sendEmail?: unknown }).sendEmail);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((b) => b === true)).toBe(true);

    // Core only knows the controls are an object; what they hold is the provider's to check, still before any request.
    const unsaid = join(tempDir(), 'plan.json');
    writeFileSync(unsaid, JSON.stringify({ ...quiet.plan, controls: {} }));
    e.clearRequestLog();
    const refused = await runCli(['apply', unsaid], envFor(e));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${unsaid}: controls.sendEmail must be true or false`);
    expect(e.requestLog()).toEqual([]);
  });
});

describe('a saved plan whose secrets are not all set is refused whole', () => {
  test('every missing variable is named, no value is printed, and nothing is sent', async () => {
    const seed = defaultHostSeed(4);
    const e = await emulator({ seed });
    const [a, b, c, d] = (seed.meetings ?? []).map((m) => m.id);
    const dir = writeTree(tempDir('meetctl-ci-secrets-'), {
      'a.yaml': `id: ${a}\npassword: \${env:CI_PW_A}\n`,
      'b.yaml': `id: ${b}\npassword: \${env:CI_PW_B}\n`,
      'c.yaml': `id: ${c}\nagenda: no secret here\n`,
      'd.yaml': `id: ${d}\npassword: \${env:CI_PW_A}\n`,
    });
    const secrets = { CI_PW_A: 'Alpha-Passw0rd!', CI_PW_B: 'Bravo-Passw0rd!' };
    const { file, plan } = await savePlan(e, dir, envFor(e, secrets));
    expect(plan.summary.update).toBe(4);
    expect(readFileSync(file, 'utf8')).not.toContain('Alpha-Passw0rd!');

    e.clearRequestLog();
    const none = await runCli(['apply', file], envFor(e));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/CI_PW_A, CI_PW_B/);
    expect(e.requestLog()).toEqual([]);

    // One set, one empty: the empty one is missing too, and the set value is never printed.
    const partial = await runCli(['apply', file, '--format', 'json'], envFor(e, { CI_PW_A: secrets.CI_PW_A, CI_PW_B: '' }));
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/CI_PW_B/);
    expect(partial.stderr).not.toMatch(/CI_PW_A/);
    expect(partial.stdout + partial.stderr).not.toContain(secrets.CI_PW_A);
    expect(e.requestLog()).toEqual([]);

    const all = await runCli(['apply', file], envFor(e, secrets));
    expect(all.code).toBe(0);
    expect(patched(e.requestLog()).sort()).toEqual([a, b, c, d].sort());
  });
});

describe('no abort-listener pile-up', () => {
  test('an apply of 60 changes prints no MaxListenersExceededWarning', async () => {
    const seed = defaultHostSeed(60);
    const e = await emulator({ seed, latencyMs: 2 });
    const dir = retitleWithOccurrences(e, { meetings: (seed.meetings ?? []).map((m) => ({ ...m, occurrences: undefined })) }, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    expect(plan.summary.update).toBeGreaterThanOrEqual(50);
    const res = await runCli(['apply', file, '--force', '--format', 'json'], envFor(e));
    expect(res.code).toBe(0);
    expect(parseReport(res.stdout).counts.applied).toBe(plan.summary.update);
    expect(res.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
  });
});
