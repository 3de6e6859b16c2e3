/**
 * action.yml, the composite GitHub Action: its shell steps run as a runner runs them (harness.ts),
 * against the emulator; GitHub's API is the stand-in `gh`.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { builtinSeed } from '../../emulator/builtin.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { EXAMPLES, ROOT, tempDir } from '../support/cli.js';
import { comments, fixtures, meetctlCalls, newJob, readAction, runAction, runScript, type ActionStep, type Job } from './harness.js';

const MARKER = '<!-- meetctl:plan:meetings -->';
const RUN_URL = 'https://github.com/acme/meetings/actions/runs/4242';

const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

describe('action.yml: its structure', () => {
  // Read in each test, so that each fails on its own while action.yml is missing.
  const load = () => ({ ...readAction(), steps: readAction().action.runs.steps });

  test('a composite action whose shell steps are bash', () => {
    const { action, steps } = load();
    expect(action.runs.using).toBe('composite');
    for (const s of steps.filter((x) => x.run !== undefined)) expect(s.shell, s.name).toBe('bash');
  });

  test('every input it uses is declared, and every declared input is used', () => {
    const { text, action } = load();
    const used = new Set([...text.matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]));
    const declared = Object.keys(action.inputs);
    expect([...used].filter((n) => !declared.includes(n))).toEqual([]);
    expect(declared.filter((n) => !used.has(n))).toEqual([]);
    expect(declared).toEqual(expect.arrayContaining(['command', 'dir', 'format', 'token', 'base-url', 'args', 'comment', 'github-token']));
  });

  test('every step output it reads comes from a step with that id', () => {
    const { text, action, steps } = load();
    const ids = new Set(steps.map((s) => s.id).filter(Boolean));
    for (const m of text.matchAll(/\bsteps\.([\w-]+)\.outputs\./g)) expect(ids.has(m[1]), m[0]).toBe(true);
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['exit-code', 'has-changes', 'report', 'plan-file']));
  });

  test('no ${{ }} inside a script: inputs reach the shell as environment variables only', () => {
    const { steps } = load();
    for (const s of steps.filter((x) => x.run !== undefined)) expect(s.run, s.name).not.toMatch(/\$\{\{/);
    // The token is handed over in the env of the one step that runs meetctl.
    const withToken = steps.filter((s) => Object.values(s.env ?? {}).some((v) => String(v).includes('inputs.token')));
    expect(withToken.map((s) => s.id)).toEqual(['run']);
  });

  test('Node.js: a supported LTS line by default (20 reached its end of life on 2026-04-30)', () => {
    const { action } = load();
    expect(action.inputs['node-version'].default).toBe('22');
    expect(action.inputs['node-version'].description).not.toMatch(/\b20\b/);
  });

  test('examples/ci: every checkout keeps no credentials in .git/config for the later steps', () => {
    let checkouts = 0;
    for (const name of ['plan.yml', 'apply.yml', 'drift.yml']) {
      const wf = parse(readFileSync(join(ROOT, 'examples', 'ci', name), 'utf8')) as { jobs: Record<string, { steps: (ActionStep & { with?: Record<string, unknown> })[] }> };
      for (const s of Object.values(wf.jobs).flatMap((j) => j.steps).filter((x) => x.uses?.startsWith('actions/checkout@') === true)) {
        expect(s.with?.['persist-credentials'], name).toBe(false);
        checkouts++;
      }
    }
    expect(checkouts).toBe(3);
  });

  test('every action used, here and in examples/ci, is pinned by a full commit SHA with its version', () => {
    const files = [join(ROOT, 'action.yml'), ...readdirSync(join(ROOT, 'examples', 'ci')).filter((f) => f.endsWith('.yml')).map((f) => join(ROOT, 'examples', 'ci', f))];
    let pinned = 0;
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = line.match(/^\s*(?:- )?uses:\s*(\S+)(.*)$/);
        if (!m || m[1] === './') continue;
        expect(m[1], `${file}: ${line}`).toMatch(SHA_PIN);
        expect(m[2], `${file}: ${line}`).toMatch(/^ # v\d+\.\d+\.\d+$/);
        pinned++;
      }
    }
    expect(pinned).toBeGreaterThan(3);
  });
});

// Each test runs meetctl several times through bash and node: generous on a shared, noisy machine.
describe('action.yml: run against the emulator', { timeout: 180_000 }, () => {
  const TOKEN = 'wbx-action-test-7f3a9c-SECRET';
  let emu: Emulator;
  let work: string;
  let job: Job;

  beforeEach(async () => {
    emu = await startEmulator({ seed: { ...builtinSeed(), tokens: [{ token: TOKEN, admin: true, label: 'admin' }] } });
    work = tempDir('meetctl-action-');
    cpSync(EXAMPLES, join(work, 'meetings'), { recursive: true });
    writeFileSync(join(work, '.event.json'), JSON.stringify({ pull_request: { number: 7, head: { sha: 'c0ffee1234567890abcdef' } } }));
    job = newJob(work, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
  });
  afterEach(async () => {
    await emu.close();
  });

  const env = () => ({ SALES_SYNC_PASSWORD: 'Action-Passw0rd' });
  const webex = () => ({ token: TOKEN, 'base-url': emu.baseUrl });

  test('first use builds meetctl from its own checkout and puts it on PATH; a second use in the job does not build again', async () => {
    const first = await runAction(job, {});
    expect(first.code).toBe(0);
    expect(first.npm).toEqual([`${ROOT}: ci --ignore-scripts --no-audit --no-fund --loglevel=error`, `${ROOT}: run build --silent`]);
    expect(job.env.MEETCTL_HOME).toBe(ROOT);
    const version = await runScript(job, 'meetctl --version');
    expect(version.code).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    const second = await runAction(job, { command: 'validate' });
    expect(second.code).toBe(0);
    expect(second.npm).toEqual([]);
    expect(meetctlCalls(second.node)).toEqual(['validate --dir meetings --format text']);
    // validate says so on stderr; its stdout (the report) lists problems only.
    expect(readFileSync(second.outputs.log, 'utf8')).toMatch(/5 files valid/);
  });

  test('plan on a pull request: one comment, updated by the next run; exit 2 does not fail the step unless asked', async () => {
    const first = await runAction(job, { command: 'plan', ...webex(), 'plan-file': 'plan.json' }, env());
    expect(first.code).toBe(0);
    expect(first.outputs).toEqual(expect.objectContaining({ 'exit-code': '2', 'has-changes': 'true', 'plan-file': 'plan.json' }));
    expect(existsSync(join(work, 'plan.json'))).toBe(true);
    expect(meetctlCalls(first.node)).toEqual([expect.stringMatching(/^plan --dir meetings --format markdown --out plan\.json --detailed-exitcode --max-chars \d+$/)]);
    const posted = comments(job);
    expect(posted).toHaveLength(1);
    expect(posted[0].issue).toBe(7);
    // The plan, then what was planned: the run's merge commit (and the head, when the event names it).
    expect(posted[0].body).toMatch(new RegExp(`^${MARKER}\n`));
    const report = readFileSync(first.outputs.report, 'utf8');
    expect(posted[0].body.startsWith(`${MARKER}\n${report}\n<sub>Planned from `)).toBe(true);
    // meetctl's room and what the action adds (marker, footer) fit a comment, with room left for the line on where the rest is.
    const room = Number(/--max-chars (\d+)$/.exec(meetctlCalls(first.node)[0])?.[1]);
    expect(room + posted[0].body.length - report.length).toBeLessThan(65_536);
    expect(posted[0].body).toMatch(/<sub>Planned from the pull request at <code>c0ffee123456<\/code>, merged with its base as <code>f00dfeed<\/code> · https:\/\/github\.com\/acme\/meetings\/actions\/runs\/4242<\/sub>\n$/);
    expect(posted[0].body).toMatch(/### meetctl plan/);
    expect(first.outputs['comment-id']).toBe(String(posted[0].id));
    expect(first.gh.find((c) => c.args.includes('POST'))?.args).toEqual(['api', '-X', 'POST', 'repos/acme/meetings/issues/7/comments', '--input', expect.any(String), '--jq', '.id']);
    expect(first.gh.every((c) => c.ghToken === 'ghs_job_token')).toBe(true);
    expect(job.summary).toMatch(/### meetctl plan/);

    // The next push: the same comment is edited, none is added.
    writeFileSync(join(work, 'meetings', 'webinars', 'product-launch.yaml'), readFileSync(join(work, 'meetings', 'webinars', 'product-launch.yaml'), 'utf8').replace(/^title: .*$/m, 'title: Launch, renamed on the second push'));
    const second = await runAction(job, { command: 'plan', ...webex(), 'plan-file': 'plan.json' }, env());
    expect(second.code).toBe(0);
    expect(second.gh.some((c) => c.args.includes('POST'))).toBe(false);
    expect(second.gh.find((c) => c.args.includes('PATCH'))?.args.slice(0, 4)).toEqual(['api', '-X', 'PATCH', `repos/acme/meetings/issues/comments/${posted[0].id}`]);
    const after = comments(job);
    expect(after).toHaveLength(1);
    expect(after[0].body).toMatch(/Launch, renamed on the second push/);
    expect(second.outputs['comment-id']).toBe(String(posted[0].id));

    const strict = await runAction(job, { command: 'plan', ...webex(), 'fail-on-changes': 'true' }, env());
    expect(strict.code).toBe(2);
    expect(strict.outputs['exit-code']).toBe('2');
  });

  test("updates only its own comment for that dir: not a person's quoting the marker, not another dir's", async () => {
    const other = { id: 1, issue: 7, user: { login: 'other-bot[bot]', type: 'Bot' }, body: '### Coverage report' };
    const quoted = { id: 2, issue: 7, user: { login: 'octocat', type: 'User' }, body: `${MARKER}\nI pasted the marker` };
    const otherDir = { id: 3, issue: 7, user: { login: 'github-actions[bot]', type: 'Bot' }, body: '<!-- meetctl:plan:meetings/sales -->\n### meetctl plan' };
    fixtures(job, { comments: [other, quoted, otherDir] });
    const run = await runAction(job, { command: 'plan', ...webex() }, env());
    expect(run.code).toBe(0);
    expect(run.gh.some((c) => c.args.includes('PATCH'))).toBe(false);
    const all = comments(job);
    expect(all.slice(0, 3)).toEqual([other, quoted, otherDir]);
    expect(all).toHaveLength(4);
    expect(all[3].body.startsWith(`${MARKER}\n### meetctl plan`)).toBe(true);

    // With a personal token (github-token), its own user's comment is the one updated.
    fixtures(job, { api: { user: { login: 'meetings-ci' } }, comments: [{ ...quoted, user: { login: 'meetings-ci', type: 'User' } }] });
    const pat = await runAction(job, { command: 'plan', ...webex(), 'github-token': 'ghp_personal' }, env());
    expect(pat.gh.find((c) => c.args.includes('PATCH'))?.args[3]).toBe('repos/acme/meetings/issues/comments/2');
    expect(pat.gh.every((c) => c.ghToken === 'ghp_personal')).toBe(true);
  });

  test("with GITHUB_TOKEN (no user to ask for), only github-actions[bot]'s comment is its own, not another app's bearing the marker", async () => {
    const otherApp = { id: 555, issue: 7, user: { login: 'some-other-app[bot]', type: 'Bot' }, body: `${MARKER}\nnot ours` };
    fixtures(job, { comments: [otherApp] });
    const run = await runAction(job, { command: 'plan', ...webex() }, env());
    expect(run.code).toBe(0);
    expect(run.gh.some((c) => c.args.includes('PATCH'))).toBe(false);
    expect(run.gh.filter((c) => c.args.includes('POST')).map((c) => c.args[3])).toEqual(['repos/acme/meetings/issues/7/comments']);
    expect(comments(job)[0]).toEqual(otherApp);
    // Its own comment (posted as github-actions[bot]) is the one the next run updates.
    const again = await runAction(job, { command: 'plan', ...webex() }, env());
    expect(again.gh.find((c) => c.args.includes('PATCH'))?.args[3]).toBe(`repos/acme/meetings/issues/comments/${comments(job)[1].id}`);
    expect(comments(job)).toHaveLength(2);
  });

  test('a failed plan (exit 1) still comments why, and fails the step with exit 1', async () => {
    const run = await runAction(job, { command: 'plan', token: 'not-a-token', 'base-url': emu.baseUrl }, env());
    expect(run.code).toBe(1);
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.outputs['has-changes']).toBe('false');
    expect(run.out).toMatch(/WEBEX_ACCESS_TOKEN/);
    const [comment] = comments(job);
    expect(comment.body).toMatch(/^<!-- meetctl:plan:meetings -->\n### meetctl plan\n\n\*\*meetctl plan failed \(exit 1\) before it made a plan\*\*: see the log of https:\/\/github\.com\/acme\/meetings\/actions\/runs\/4242/);
  });

  test('no comment outside a pull request, nor with comment: false', async () => {
    const push = newJob(work, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: join(work, '.push.json') });
    writeFileSync(join(work, '.push.json'), JSON.stringify({ ref: 'refs/heads/main' }));
    const run = await runAction(push, { command: 'plan', ...webex() }, env());
    expect(run.code).toBe(0);
    expect(run.gh).toEqual([]);
    const off = await runAction(job, { command: 'plan', ...webex(), comment: 'false' }, env());
    expect(off.code).toBe(0);
    expect(off.gh).toEqual([]);
  });

  test('exit codes propagate: validate 1, apply 0 and 1, drift 2 (a failure only when asked), show 0', async () => {
    writeFileSync(join(work, 'meetings', 'broken.yaml'), 'id: [\n');
    const invalid = await runAction(job, { command: 'validate' });
    expect(invalid.code).toBe(1);
    expect(invalid.outputs['exit-code']).toBe('1');
    expect(invalid.out).toMatch(/broken\.yaml/);
    rmSync(join(work, 'meetings', 'broken.yaml'));

    const drift = await runAction(job, { command: 'drift', ...webex() }, env());
    expect(drift.code).toBe(0);
    expect(drift.outputs).toEqual(expect.objectContaining({ 'exit-code': '2', 'has-changes': 'true' }));
    expect((await runAction(job, { command: 'drift', ...webex(), 'fail-on-changes': 'true' }, env())).code).toBe(2);

    const plan = await runAction(job, { command: 'plan', ...webex(), comment: 'false', 'plan-file': 'plan.json' }, env());
    const shown = await runAction(job, { command: 'show', 'plan-file': 'plan.json' });
    expect(shown.code).toBe(0);
    expect(readFileSync(shown.outputs.report, 'utf8')).toBe(readFileSync(plan.outputs.report, 'utf8'));

    const refused = await runAction(job, { command: 'apply', ...webex(), 'plan-file': 'plan.json', args: '--auto-approve --max-changes 1' }, env());
    expect(refused.code).toBe(1);
    expect(refused.outputs['exit-code']).toBe('1');
    expect(readFileSync(refused.outputs.log, 'utf8')).toMatch(/--max-changes 1/);
    const applied = await runAction(job, { command: 'apply', ...webex(), 'plan-file': 'plan.json', args: '--auto-approve', 'report-file': 'apply.md' }, env());
    expect(applied.code).toBe(0);
    expect(meetctlCalls(applied.node)).toEqual(['apply plan.json --format markdown --auto-approve']);
    expect(readFileSync(join(work, 'apply.md'), 'utf8')).toMatch(/### meetctl apply/);
    const clean = await runAction(job, { command: 'drift', ...webex() }, env());
    expect(clean.outputs['exit-code']).toBe('0');
    expect(clean.outputs['has-changes']).toBe('false');
  });

  test('the Webex token is in no output, file, summary, comment or command line', async () => {
    const runs = [
      await runAction(job, { command: 'plan', ...webex(), 'plan-file': 'plan.json' }, env()),
      await runAction(job, { command: 'plan', ...webex(), 'plan-file': 'plan.json' }, env()),
      await runAction(job, { command: 'apply', ...webex(), 'plan-file': 'plan.json', args: '--auto-approve' }, env()),
      // From the environment instead of the input: the same.
      await runAction(job, { command: 'drift', 'base-url': emu.baseUrl }, { ...env(), WEBEX_ACCESS_TOKEN: TOKEN }),
    ];
    expect(runs.map((r) => r.outputs['exit-code'])).toEqual(['2', '2', '0', '0']);
    const seen = [
      ...runs.flatMap((r) => [r.out, JSON.stringify(r.outputs), JSON.stringify(r.gh), ...r.node, ...r.steps.map((s) => s.run.envFile)]),
      job.summary,
      JSON.stringify(comments(job)),
      readFileSync(join(work, 'plan.json'), 'utf8'),
      ...runs.flatMap((r) => [r.outputs.report, r.outputs.log].filter(Boolean).map((f) => readFileSync(f, 'utf8'))),
    ].join('\n');
    expect(seen).toMatch(/### meetctl plan/);
    expect(seen).not.toContain(TOKEN);
    // meetctl got it all the same: those runs reached the emulator with it.
    expect(runs[2].node.some((l) => l.includes('bin/meetctl.js apply'))).toBe(true);
  });

  test('inputs are data, never shell: args are split at whitespace only, dir is one argument', async () => {
    const run = await runAction(job, { command: 'validate', dir: 'meetings $(touch pwned-dir)', args: '--log-level warn `touch pwned-args` * ;touch pwned-semicolon' });
    expect(run.code).toBe(1);
    expect(readdirSync(work).filter((f) => f.startsWith('pwned'))).toEqual([]);
    const [call] = meetctlCalls(run.node);
    // %q quoting of the recorded command line: each input word arrived literally, * unexpanded.
    expect(call).toContain('meetings\\ \\$\\(touch\\ pwned-dir\\)');
    expect(call).toContain(' \\`touch pwned-args\\` ');
    expect(call).toMatch(/ \\\* /);
    const unknown = await runAction(job, { command: 'destroy' });
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/must be validate, plan, apply, drift or show/);
  });
});

describe('examples/ci use the action', () => {
  test('each meetctl step is `uses: ./` with declared inputs, and each file says how to pin it', () => {
    const { action } = readAction();
    for (const name of ['plan.yml', 'apply.yml', 'drift.yml']) {
      const text = readFileSync(join(ROOT, 'examples', 'ci', name), 'utf8');
      const wf = parse(text) as { jobs: Record<string, { steps: ActionStep[] }> };
      const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
      const ours = steps.filter((s) => s.uses === './');
      expect(ours.length, name).toBeGreaterThan(0);
      for (const s of ours) for (const input of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs), `${name}: ${s.name ?? ''}`).toContain(input);
      // No workflow step runs meetctl by itself any more: npx would fetch whatever `meetctl` the registry has.
      for (const s of steps) expect(s.run ?? '', `${name}: ${s.name ?? ''}`).not.toMatch(/npx meetctl/);
      expect(text, name).toMatch(/uses: OWNER\/meetctl@<full commit SHA>/);
    }
  });
});
