/**
 * What a pull request sees (issue 16), through the CLI against the emulator: a tree that does not
 * validate still gets a Markdown comment, `--format github` and GITHUB_ACTIONS=true annotate every
 * problem on stderr (never in a JSON or Markdown stdout), and identical changes are shown once.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const IDS = ['1d824a4a205042eba9574e00b711b226', '5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e', '6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f'];
const MISSING = '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a';

const seed = {
  now: NOW,
  meetings: IDS.map((id, i) => ({
    id,
    title: `Team ${i}`,
    agenda: 'Status',
    timezone: 'UTC',
    start: `2027-02-1${i}T09:00:00Z`,
    end: `2027-02-1${i}T09:30:00Z`,
  })),
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** The repository root holds meetings/: paths in annotations are relative to it, as GitHub expects. */
async function setup(files: Record<string, string>) {
  emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
  const root = tempDir();
  writeTree(root, Object.fromEntries(Object.entries(files).map(([k, v]) => [`meetings/${k}`, v])));
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, GITHUB_WORKSPACE: root };
  return { emu, dir: join(root, 'meetings'), env };
}

const meeting = (i: number, extra = '') => `id: ${IDS[i]}\ntitle: Team ${i}\n${extra}`;
const INVALID = { 'a.yaml': meeting(0), 'b.yaml': `id: ${IDS[1]}\ntitle: Team 1\ndurationMinutes: 30\n` };

describe('a tree that does not validate', () => {
  test('validate --format markdown: the problems as a table with file:line:col, exit 1', async () => {
    const { dir } = await setup(INVALID);
    const res = await runCli(['validate', '--dir', dir, '--format', 'markdown']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('### meetctl validate\n\n1 error in 1 file.\n\n| Severity | Location | Message | Field |\n');
    expect(res.stdout).toContain(`| error | \`${dir}/b.yaml:3:1\` | unknown field 'durationMinutes' | \`durationMinutes\` |`);
    expect(res.stderr).toBe('1 error in 1 file\n');
  });

  test('plan and apply --format markdown: the comment says nothing was planned and why; stderr and exit code as before; nothing is read', async () => {
    const { emu, dir, env } = await setup(INVALID);
    for (const args of [['plan'], ['apply', '--auto-approve']]) {
      const res = await runCli([...args, '--dir', dir, '--format', 'markdown'], env);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(new RegExp(`^### meetctl ${args[0]}\\n\\n\\*\\*Nothing was planned:\\*\\* the files do not validate \\(1 error\\)`));
      expect(res.stdout).toContain(`| error | \`${dir}/b.yaml:3:1\` | unknown field 'durationMinutes' |`);
      expect(res.stderr).toContain(`${dir}/b.yaml:3:1: unknown field 'durationMinutes' (durationMinutes)`);
      expect(res.stderr).toContain('nothing was planned (run meetctl validate)');
      expect(res.stderr).not.toContain('::');
    }
    expect(emu.requestLog()).toHaveLength(0);
  });

  test('plan --format text and json keep an empty stdout', async () => {
    const { dir, env } = await setup(INVALID);
    for (const format of ['text', 'json']) {
      const res = await runCli(['plan', '--dir', dir, '--format', format], env);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
    }
  });
});

describe('GitHub annotations', () => {
  test('validate --format github: the text on stdout, each problem annotated at its line and column on stderr, path relative to the repository', async () => {
    const { dir, env } = await setup(INVALID);
    const res = await runCli(['validate', '--dir', dir, '--format', 'github'], { GITHUB_WORKSPACE: env.GITHUB_WORKSPACE });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(`${dir}/b.yaml:3:1: unknown field 'durationMinutes' (durationMinutes)\n`);
    expect(res.stderr).toContain(
      "::error file=meetings/b.yaml,line=3,col=1,title=meetctl validate%3A schema.unknownField::unknown field 'durationMinutes' (durationMinutes)\n",
    );
  });

  test('GITHUB_ACTIONS=true: plan --format markdown of an invalid tree annotates too, on stderr only', async () => {
    const { dir, env } = await setup(INVALID);
    const res = await runCli(['plan', '--dir', dir, '--format', 'markdown'], { ...env, GITHUB_ACTIONS: 'true' });
    expect(res.code).toBe(1);
    expect(res.stdout).not.toContain('::');
    expect(res.stderr).toContain('::error file=meetings/b.yaml,line=3,col=1,title=meetctl plan%3A schema.unknownField::');
  });

  test('plan --format github: a meeting that cannot be planned is an error at its file; updates are not annotated', async () => {
    const { dir, env } = await setup({ 'a.yaml': meeting(0, 'agenda: New\n'), 'gone.yaml': `id: ${MISSING}\ntitle: Gone\n` });
    const res = await runCli(['plan', '--dir', dir, '--format', 'github'], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^meetctl plan — 1 to update, 0 unchanged, 0 not updatable, 1 error/);
    const annotations = res.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toEqual([expect.stringMatching(new RegExp(`^::error file=meetings/gone\\.yaml,line=1,title=meetctl plan::series ${MISSING} "Gone": could not be planned: `))]);
    expect(res.stderr).not.toContain(env.WEBEX_ACCESS_TOKEN);
  });

  test('GITHUB_ACTIONS=true with --format json: stdout stays one JSON document, the annotations are on stderr', async () => {
    const { dir, env } = await setup({ 'a.yaml': meeting(0, 'agenda: New\n'), 'gone.yaml': `id: ${MISSING}\ntitle: Gone\n` });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], { ...env, GITHUB_ACTIONS: 'true' });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).summary).toMatchObject({ update: 1, error: 1 });
    expect(res.stderr).toMatch(/^::error file=meetings\/gone\.yaml,line=1,/m);
    // Without GITHUB_ACTIONS nor --format github, no annotation.
    const plain = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    expect(plain.stderr).not.toContain('::');
  });

  test('drift --format github: a drifted meeting is a warning naming its fields', async () => {
    const { dir, env } = await setup({ 'a.yaml': meeting(0, 'agenda: Status\n'), 'b.yaml': meeting(1, 'agenda: Planned\n') });
    const res = await runCli(['drift', '--dir', dir, '--format', 'github'], env);
    expect(res.code).toBe(2);
    expect(res.stdout).toMatch(/^meetctl drift — 1 drifted/);
    expect(res.stderr).toContain(`::warning file=meetings/b.yaml,line=1,title=meetctl drift::series ${IDS[1]} "Team 1": differs from its file: agenda\n`);
  });

  test('apply --format github: a change Webex refuses is an error at its file', async () => {
    const { dir, env } = await setup({ 'a.yaml': meeting(0, 'agenda: New\n'), 'gone.yaml': `id: ${MISSING}\ntitle: Gone\n` });
    const res = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'github'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^::error file=meetings/gone\\.yaml,line=1,title=meetctl apply::series ${MISSING} "Gone": failed: `, 'm'));
  });
});

describe('identical changes', () => {
  test('a defaults change that reaches three meetings is shown once, with the count', async () => {
    const { dir, env } = await setup({ 'defaults.yaml': 'agenda: Weekly status\n', 'a.yaml': meeting(0), 'b.yaml': meeting(1), 'c.yaml': meeting(2) });
    const text = await runCli(['plan', '--dir', dir], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('~ 3 meetings, the same change:\n      ~ agenda: "Status" → "Weekly status"\n');
    expect(text.stdout.match(/agenda/g)).toHaveLength(1);
    const md = await runCli(['plan', '--dir', dir, '--format', 'markdown'], env);
    expect(md.stdout).toContain('<details open><summary>~ 3 meetings, the same change: <code>agenda</code> <code>&quot;Status&quot;</code> → <code>&quot;Weekly status&quot;</code></summary>');
  });
});
