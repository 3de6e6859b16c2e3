/**
 * The CI recipes' workflow files and their steps, run as GitHub runs them against the emulator,
 * shared by the three ci-recipes test files (one per group of steps, so that they run side by side).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test as vitestTest } from 'vitest';
import { parse } from 'yaml';
import { generateSeed, startEmulator, type Emulator } from '../../emulator/index.js';
import { comments, fixtures as setFixtures, gitCommit, gitTree, meetctlCalls, newJob, resolve, runAction, runJob, runScript, type Job, type StepRun, type WorkflowStep } from '../action/harness.js';
import { EXAMPLES, ROOT, runCli, tempDir } from '../support/cli.js';

export const CI = join(ROOT, 'examples', 'ci');

/** Which file runs a step test: the push flow of apply.yml, the pull request's plan and the nightly drift, or the rest (manual runs, apply's refusals). */
export type StepGroup = 'push' | 'pull request and drift' | 'manual run and apply';

function groupOf(name: string): StepGroup {
  if (name.startsWith('push:')) return 'push';
  if (/^(plan|drift)\.yml/.test(name)) return 'pull request and drift';
  return 'manual run and apply';
}

export interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[]; env?: Record<string, string>; environment?: string }>;
}

export interface Step {
  run?: string;
  uses?: string;
  if?: string;
  name?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, string | boolean>;
}

export function workflow(name: string): { text: string; wf: Workflow; runs: string; steps: Step[] } {
  const text = readFileSync(join(CI, name), 'utf8');
  const wf = parse(text) as Workflow;
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const runs = steps.map((s) => s.run ?? '').join('\n');
  return { text, wf, runs, steps };
}

/** The commented emulator variant, uncommented: it must be a valid list of steps too. */
export function emulatorVariant(text: string): unknown {
  const block = text
    .split('\n')
    .filter((l) => /^ {6}# {1,}(- name|  run|  {4}|  \S)/.test(l) || /^ {6}# - name: Start the Webex emulator/.test(l))
    .map((l) => l.replace(/^( {6})# /, '$1'))
    .join('\n');
  return parse(block);
}

export const named = (steps: Step[], name: string) => steps.find((s) => s.name === name);

/*
 * The workflows' own steps, run as GitHub runs them (test/action/harness.ts), against the
 * emulator: a `run:` step in bash -eo pipefail, a `uses: ./` step as action.yml's steps with the
 * step's `with:` as inputs. `gh` is a stand-in that answers from fixtures (through jq, as gh --jq
 * does) and records every call.
 */
export const HAS_JQ = (() => {
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Ran extends StepRun {
  meetctl: string[];
}

// Each test runs meetctl several times through bash and node: generous on a shared, noisy machine.
export function ciStepTests(group: StepGroup): void {
describe(`examples/ci workflow steps, run against the emulator (${group})`, { timeout: 180_000 }, () => {
  // One file's tests run one after the other: the groups are three files, so that they run side by side.
  const mine = (name: string) => groupOf(name) === group;
  const test = Object.assign((name: string, fn: () => Promise<void>) => (mine(name) ? vitestTest(name, fn) : undefined), {
    skipIf: (skip: boolean) => (name: string, fn: () => Promise<void>) => (mine(name) ? vitestTest.skipIf(skip)(name, fn) : undefined),
  });
  let emu: Emulator;
  let work: string;
  let job: Job;
  /** The commit checked out: the merged commit on a push, the PR's merge commit in plan.yml. */
  let sha: string;

  beforeEach(async () => {
    emu = await startEmulator();
    work = tempDir('meetctl-ci-');
    cpSync(EXAMPLES, join(work, 'meetings'), { recursive: true });
    sha = gitCommit(work);
    job = newJob(work, { GITHUB_SHA: sha });
  });
  afterEach(async () => {
    await emu.close();
  });

  const webex = () => ({ WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'Ci-Steps-Passw0rd' });
  const fixtures = (fx: Record<string, unknown>) => setFixtures(job, fx);

  /**
   * Run one step of the workflow with the job's and step's literal env, then `env` (the ${{ }}
   * values a runner would fill in). `exprs` fills in the ${{ }} of a `uses: ./` step's inputs.
   */
  async function step(file: string, name: string, env: Record<string, string> = {}, exprs: Record<string, string> = {}): Promise<Ran> {
    const { wf } = workflow(file);
    const j = Object.values(wf.jobs)[0];
    const s = j.steps.find((x) => x.name === name);
    if (!s) throw new Error(`${file}: no step ${name}`);
    const literal = (e: Record<string, string> = {}) => Object.fromEntries(Object.entries(e).filter(([, v]) => !String(v).includes('${{')));
    const stepEnv = { ...literal(j.env), ...literal(s.env), ...env };
    if (s.run !== undefined) {
      const run = await runScript(job, s.run, stepEnv);
      return { ...run, meetctl: meetctlCalls(run.node) };
    }
    if (s.uses !== './') throw new Error(`${file}: ${name} is neither a shell step nor the meetctl action`);
    const inputs = Object.fromEntries(Object.entries(s.with ?? {}).map(([k, v]) => [k, resolve(String(v), exprs)]));
    const summary = job.summary.length;
    const run = await runAction(job, inputs, stepEnv);
    return {
      code: run.code,
      out: run.out,
      summary: job.summary.slice(summary),
      outputs: run.outputs,
      envFile: run.steps.map((x) => x.run.envFile).join(''),
      gh: run.gh,
      node: run.node,
      npm: run.npm,
      meetctl: meetctlCalls(run.node),
    };
  }

  /** The defaults of the apply job's env on a push (no inputs, no repository variables). */
  const applyEnv = (extra: Record<string, string> = {}) => ({ ...webex(), MAX_PLAN_AGE: '24h', MAX_CHANGES: '', FORCE_INPUT: '', ...extra });
  const MANUAL_RUN_URL = 'https://github.com/acme/meetings/actions/workflows/meetctl-apply.yml';

  async function reviewedPlan(): Promise<string> {
    const file = join(work, 'reviewed-plan.json');
    const res = await runCli(['plan', '--dir', join(work, 'meetings'), '--out', file, '--detailed-exitcode'], webex());
    expect(res.code).toBe(2);
    return file;
  }

  /** The artifact plan.yml uploads: plan.json, and beside it what was planned (plan-source.json), at `sha`. */
  async function reviewedArtifact(source: Record<string, unknown> = {}): Promise<string> {
    const dir = join(work, 'reviewed-artifact');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plan.json'), readFileSync(await reviewedPlan()));
    const planned = { dir: 'meetings', tree: gitTree(work, sha), commit: 'merge-of-7', headSha: 'c2', pullRequest: 7, ...source };
    writeFileSync(join(dir, 'plan-source.json'), JSON.stringify(planned));
    return dir;
  }

  test('the first meetctl step builds meetctl once for the job and puts it on PATH, for the emulator step', async () => {
    const setup = await step('apply.yml', 'Set up meetctl', applyEnv());
    expect(setup.code).toBe(0);
    expect(setup.npm.map((l) => l.split(': ')[1])).toEqual(['ci --ignore-scripts --no-audit --no-fund --loglevel=error', 'run build --silent']);
    const emulator = emulatorVariant(workflow('apply.yml').text) as { run: string }[];
    // The emulator step's own script, with meetctl from PATH; stopped once it has written its env.
    const started = await runScript(job, emulator[0].run.replace(' &\n', ' & pid=$!\n') + 'kill "$pid"\n');
    expect(started.code).toBe(0);
    expect(started.envFile).toMatch(/^WEBEX_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v1\nWEBEX_ACCESS_TOKEN=\S+\n/);
    expect(started.envFile).toContain('MEETCTL_EMULATOR=1');
    const again = await step('apply.yml', 'Plan from main (manual run)', applyEnv());
    expect(again.npm).toEqual([]);
  });

  test('manual run: plans afresh from main and applies it, with --force and --max-changes from the inputs', async () => {
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv({ GITHUB_EVENT_NAME: 'workflow_dispatch', FORCE_INPUT: 'true', MAX_CHANGES: '10' }));
    expect(found.code).toBe(0);
    expect(found.outputs).toEqual({ mode: 'fresh', force: 'true', args: '--auto-approve --max-plan-age 24h --force --max-changes 10' });
    expect(found.envFile).toContain(`MANUAL_RUN_URL=${MANUAL_RUN_URL}`);
    expect(found.gh).toEqual([]);

    const planned = await step('apply.yml', 'Plan from main (manual run)', applyEnv());
    expect(planned.code).toBe(0);
    expect(planned.meetctl).toEqual(['plan --dir meetings --format markdown --out plan.json --detailed-exitcode']);
    expect(planned.gh).toEqual([]);
    expect(job.summary).toMatch(new RegExp(`^Plan made by this run from \`${sha}\`, started by octocat, and applied at once by this same run \\(nobody reviewed it in between\\):\n\n### meetctl plan`));

    const applied = await step('apply.yml', 'Apply', applyEnv(), { 'steps.source.outputs.args': found.outputs.args });
    expect(applied.code).toBe(0);
    expect(applied.meetctl).toEqual(['apply plan.json --format markdown --auto-approve --max-plan-age 24h --force --max-changes 10']);
    expect(applied.summary).toMatch(/### meetctl apply/);
    expect(readFileSync(join(work, 'apply.md'), 'utf8')).toMatch(/### meetctl apply/);

    const verified = await step('apply.yml', 'Verify that nothing is left to do', applyEnv());
    expect(verified.code).toBe(0);
    expect(verified.summary).toBe('');
  });

  /** apply.yml's whole job, every step in order with its `if:`, as a manual run with these inputs. */
  async function manualRun(inputs: Record<string, string>): Promise<Awaited<ReturnType<typeof runJob>>> {
    job = newJob(work, { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_SHA: sha });
    const ctx = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`inputs.${k}`, v]));
    return runJob(job, Object.values(workflow('apply.yml').wf.jobs)[0] as { env?: Record<string, string>; steps: WorkflowStep[] }, ctx, webex());
  }

  test('manual run with dry_run: only plans from main and shows it; nothing is applied, nor verified', async () => {
    const ran = await manualRun({ dry_run: 'true', force: 'false', max_changes: '' });
    expect(ran.failed).toBe(false);
    const meetctl = ran.steps.flatMap((x) => meetctlCalls(x.action?.node ?? []));
    expect(meetctl).toEqual(['plan --dir meetings --format markdown --out plan.json --detailed-exitcode']);
    expect(ran.step('Apply').outcome).toBe('skipped');
    expect(ran.step('Verify that nothing is left to do').outcome).toBe('skipped');
    expect(job.summary).toMatch(new RegExp(`^Dry run by octocat: the plan from \`${sha}\` below is shown only, nothing was applied\\. To apply`));
    expect(job.summary).toMatch(/### meetctl plan/);
    // Webex is as it was: a plan now still has the same changes.
    expect((await runCli(['plan', '--dir', join(work, 'meetings'), '--detailed-exitcode'], webex())).code).toBe(2);
  });

  test('manual run without dry_run: its summary says the plan is applied at once, with no review in between', async () => {
    const ran = await manualRun({ dry_run: 'false', force: 'false', max_changes: '' });
    expect(ran.failed).toBe(false);
    expect(ran.step('Apply').outcome).toBe('success');
    expect(job.summary).toMatch(new RegExp(`^Plan made by this run from \`${sha}\`, started by octocat, and applied at once by this same run \\(nobody reviewed it in between\\):`));
    // What to do, wherever a manual run is the way out, says so too.
    const { text } = workflow('apply.yml');
    expect(text).not.toMatch(/shows that plan in its summary and applies it/);
    expect(text.match(/applies (that plan|it) at once/g)?.length).toBeGreaterThan(1);
    expect((workflow('apply.yml').wf.on.workflow_dispatch as { inputs: Record<string, { type: string; default: unknown }> }).inputs.dry_run).toEqual(expect.objectContaining({ type: 'boolean', default: false }));
  });

  test('manual run on another branch than main, or a max_changes of more than one word: refused, with what to do', async () => {
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv({ GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF: 'refs/heads/topic', GITHUB_REF_NAME: 'topic' }));
    expect(found.code).toBe(1);
    expect(found.summary).toMatch(/nothing was applied[\s\S]*run it on `main`, not `topic`[\s\S]*Run workflow\]\(https:\/\/github\.com\/acme\/meetings\/actions\/workflows\/meetctl-apply\.yml\)/);
    // The action splits args at whitespace: "5 --force" would tick force behind the box's back.
    const smuggled = await step('apply.yml', 'Find the reviewed plan', applyEnv({ GITHUB_EVENT_NAME: 'workflow_dispatch', MAX_CHANGES: '5 --force' }));
    expect(smuggled.code).toBe(1);
    expect(smuggled.summary).toMatch(/max_changes, MEETCTL_MAX_CHANGES and MEETCTL_MAX_PLAN_AGE must each be one word/);
    expect(smuggled.summary).not.toContain('5 --force');
    expect(smuggled.outputs.args).toBeUndefined();
  });

  const pull = (labels: string[] = []) => ({ number: 7, merged_at: '2027-01-15T08:00:00Z', merge_commit_sha: sha, base: { ref: 'main' }, head: { ref: 'team/rename', sha: 'c2' }, labels: labels.map((name) => ({ name })) });
  const merged = (labels: string[] = []) => ({
    [`repos/acme/meetings/commits/${sha}/pulls`]: [pull(labels)],
    'repos/acme/meetings/pulls/7/commits': [{ sha: 'c1' }, { sha: 'c2' }],
    'repos/acme/meetings/pulls/7/files': [{ filename: 'meetings/leadership/board-review.yaml' }, { filename: 'README.md' }],
  });
  const runs = (conclusion = 'success') => ({
    'repos/acme/meetings/actions/workflows/meetctl-plan.yml/runs': {
      workflow_runs: [
        { id: 99, head_sha: 'not-of-this-pr', status: 'completed', conclusion: 'failure' },
        { id: 98, head_sha: 'c2', status: 'completed', conclusion },
        { id: 97, head_sha: 'c1', status: 'completed', conclusion: 'success' },
      ],
    },
  });
  const artifacts = (list: unknown[]) => ({ 'repos/acme/meetings/actions/runs/98/artifacts': { artifacts: list } });

  test.skipIf(!HAS_JQ)('push: applies the plan reviewed on the merged PR; its meetctl-force label, on the PR when it was planned, passes --force', async () => {
    fixtures({ api: { ...merged(['meetctl-force']), ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) }, artifact: await reviewedArtifact({ labels: ['meetctl-force'] }) });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(0);
    expect(found.outputs).toEqual({ force: 'true', args: '--auto-approve --max-plan-age 24h --force', mode: 'reviewed' });
    expect(found.gh.find((c) => c.args[0] === 'run')?.args).toEqual(['run', 'download', '98', '--name', 'meetctl-plan', '--dir', expect.any(String)]);
    expect(existsSync(join(work, 'plan.json'))).toBe(true);
    expect(found.summary).toMatch(/Applying the plan reviewed on pull request #7 \(\[plan run 98\]/);

    const applied = await step('apply.yml', 'Apply', applyEnv(), { 'steps.source.outputs.args': found.outputs.args });
    expect(applied.code).toBe(0);
    expect(applied.meetctl).toEqual(['apply plan.json --format markdown --auto-approve --max-plan-age 24h --force']);
    expect((await step('apply.yml', 'Verify that nothing is left to do', applyEnv())).code).toBe(0);
  });

  test.skipIf(!HAS_JQ)('push: a meetctl-force label added after the reviewed plan ran is not used, nor one removed since', async () => {
    const api = { ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) };
    fixtures({ api: { ...api, ...merged(['meetctl-force']) }, artifact: await reviewedArtifact({ labels: ['docs'] }) });
    const late = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(late.code).toBe(0);
    expect(late.outputs).toEqual({ force: 'false', args: '--auto-approve --max-plan-age 24h', mode: 'reviewed' });
    expect(late.summary).toMatch(/The label `meetctl-force` was added to pull request #7 after its plan ran \(\[plan run 98\]/);
    expect(late.summary).toMatch(/applied without --force/);
    expect(late.out).toMatch(/::warning title=meetctl apply::/);

    rmSync(join(work, 'plan.json'));
    job = newJob(work, { GITHUB_SHA: sha });
    fixtures({ api: { ...api, ...merged() }, artifact: await reviewedArtifact({ labels: ['meetctl-force'] }) });
    const removed = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(removed.outputs).toEqual(expect.objectContaining({ force: 'false', mode: 'reviewed' }));
  });

  test.skipIf(!HAS_JQ)('plan.yml, the whole job: the labels the pull request has when it is planned are recorded beside the plan', async () => {
    fixtures({ api: { 'repos/acme/meetings/pulls/7': { number: 7, labels: [{ name: 'meetctl-force' }, { name: 'docs' }] } } });
    const ran = await planJob();
    expect(ran.failed).toBe(false);
    expect(JSON.parse(readFileSync(join(work, 'plan-source.json'), 'utf8')).labels).toEqual(['meetctl-force', 'docs']);
  });

  test("apply.yml: a mass change refused for --force says the label must be on the PR when it is planned, not added after", async () => {
    const { text } = workflow('apply.yml');
    expect(text).not.toMatch(/or afterwards, then re-run/);
    expect(text).not.toMatch(/add the label \\`\$FORCE_LABEL\\` to the pull request and re-run this job/);
    expect(text).toMatch(/must be on the pull request when its plan runs/);
  });

  test.skipIf(!HAS_JQ)('push: the reviewed plan had no changes (no artifact): nothing to apply, then the check that nothing is left', async () => {
    fixtures({ api: { ...merged(), ...runs(), ...artifacts([]) } });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(0);
    expect(found.outputs).toEqual(expect.objectContaining({ force: 'false', mode: 'none' }));
    // Webex still differs from main (the emulator starts with the old meetings): the last steps say so.
    const verified = await step('apply.yml', 'Verify that nothing is left to do', applyEnv());
    expect(verified.code).toBe(2);
    expect(verified.outputs['exit-code']).toBe('2');
    expect(verified.summary).toBe('');
    const left = await step('apply.yml', 'Say what is left to do', { MANUAL_RUN_URL, REPORT: verified.outputs.report });
    expect(left.summary).toMatch(/### Webex still differs from `main`[\s\S]*manual run: \[Run workflow\][\s\S]*### meetctl plan/);
    expect(left.out).toMatch(/::error title=meetctl apply::Webex still differs from main/);
  });

  test.skipIf(!HAS_JQ)('push without a usable reviewed plan: fails with what to do, never plans on its own', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ [`repos/acme/meetings/commits/${sha}/pulls`]: [] }, /did not come from a pull request merged into `main`/],
      [{}, /Could not look up the pull request of commit/],
      [{ ...merged(), ...runs('failure') }, /last plan run of pull request #7 \(\[98\]\(https:\/\/github\.com\/acme\/meetings\/actions\/runs\/98\)\) is completed failure/],
      [{ ...merged(), 'repos/acme/meetings/actions/workflows/meetctl-plan.yml/runs': { workflow_runs: [] } }, /No run of `meetctl-plan\.yml` was found for pull request #7/],
      [{ ...merged(), ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: true }]) }, /has expired/],
      [{ ...merged() }, /Could not list the runs of `meetctl-plan\.yml`/],
    ];
    for (const [api, reason] of cases) {
      fixtures({ api });
      const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
      expect(found.code, String(reason)).toBe(1);
      expect(found.summary).toMatch(/^### meetctl apply: nothing was applied/);
      expect(found.summary).toMatch(reason);
      expect(found.summary).toMatch(/\*\*What to do:\*\*[\s\S]*\[Run workflow\]\(https:\/\/github\.com\/acme\/meetings\/actions\/workflows\/meetctl-apply\.yml\) on `main`/);
      expect(found.outputs.mode).toBeUndefined();
      expect(found.meetctl).toEqual([]);
    }
  });

  test.skipIf(!HAS_JQ)('push: only a pull request merged into this branch, by this very commit, is the one whose plan was reviewed', async () => {
    const intoDevelop = { ...pull(), number: 8, base: { ref: 'develop' } };
    const containsIt = { ...pull(), number: 9, merge_commit_sha: '0ther' };
    for (const prs of [[intoDevelop], [containsIt], [{ ...pull(), merged_at: null }]]) {
      const commits = { 'repos/acme/meetings/pulls/8/commits': [{ sha: 'c2' }], 'repos/acme/meetings/pulls/9/commits': [{ sha: 'c2' }] };
      fixtures({ api: { ...merged(), ...commits, [`repos/acme/meetings/commits/${sha}/pulls`]: prs, ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) }, artifact: await reviewedArtifact() });
      const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
      expect(found.code, JSON.stringify(prs)).toBe(1);
      expect(found.summary).toMatch(new RegExp(`Commit \`${sha}\` did not come from a pull request merged into \`main\``));
      expect(found.outputs.mode).toBeUndefined();
      expect(existsSync(join(work, 'plan.json'))).toBe(false);
    }
    // Among the pull requests of the commit, the one merged into main by it.
    fixtures({ api: { ...merged(), [`repos/acme/meetings/commits/${sha}/pulls`]: [intoDevelop, containsIt, pull()], ...runs(), ...artifacts([]) } });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(0);
    expect(found.out).toMatch(/Merged pull request: #7 \(branch team\/rename\)/);
  });

  test.skipIf(!HAS_JQ)("push: the PR's newest plan run must be of the commit that was merged (its head), never an older run", async () => {
    const plans = (list: { id: number; head_sha: string }[]) => ({
      'repos/acme/meetings/actions/workflows/meetctl-plan.yml/runs': { workflow_runs: list.map((r) => ({ ...r, status: 'completed', conclusion: 'success' })) },
      'repos/acme/meetings/actions/runs/97/artifacts': { artifacts: [{ name: 'meetctl-plan', expired: false }] },
    });
    // The head c2 has no plan run ([skip ci], or a run that never started); or a newer run planned c1 again.
    for (const list of [[{ id: 97, head_sha: 'c1' }], [{ id: 97, head_sha: 'c1' }, { id: 96, head_sha: 'c2' }]]) {
      fixtures({ api: { ...merged(), ...plans(list) }, artifact: await reviewedArtifact() });
      const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
      expect(found.code, JSON.stringify(list)).toBe(1);
      expect(found.summary).toMatch(/^### meetctl apply: nothing was applied/);
      expect(found.summary).toMatch(/The newest plan run of pull request #7 \(\[97\]\(https:\/\/github\.com\/acme\/meetings\/actions\/runs\/97\)\) planned its commit `c1`, not `c2`, the last commit, which was merged/);
      expect(found.summary).toMatch(/\*\*What to do:\*\*/);
      expect(found.outputs.mode).toBeUndefined();
      expect(found.gh.some((c) => c.args[0] === 'run')).toBe(false);
      expect(existsSync(join(work, 'plan.json'))).toBe(false);
    }
    // The head's run is found even when the PR lists more commits than GitHub returns (250).
    fixtures({ api: { ...merged(), 'repos/acme/meetings/pulls/7/commits': [{ sha: 'c1' }], ...plans([{ id: 97, head_sha: 'c2' }]) }, artifact: await reviewedArtifact() });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(0);
    expect(found.outputs.mode).toBe('reviewed');
  });

  test.skipIf(!HAS_JQ)("push: a pull request that changed the workflows uploaded its plan with its own copy of them: never applied, a manual run instead", async () => {
    const artifact = await reviewedArtifact();
    const api = { ...merged(), ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) };
    // Changed, added, or renamed away from: in each case the plan run ran the pull request's workflow file, not main's.
    for (const files of [
      [{ filename: 'meetings/sales/weekly.yaml' }, { filename: '.github/workflows/meetctl-plan.yml' }],
      [{ filename: '.github/workflows/other.yml' }],
      [{ filename: 'ci/plan.yml', previous_filename: '.github/workflows/meetctl-plan.yml' }],
    ]) {
      fixtures({ api: { ...api, 'repos/acme/meetings/pulls/7/files': files }, artifact });
      const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
      expect(found.code, JSON.stringify(files)).toBe(1);
      expect(found.summary).toMatch(/^### meetctl apply: nothing was applied/);
      expect(found.summary).toMatch(/Pull request #7 changed `\.github\/workflows\/[^`]+`: its plan run ran the pull request's own copy of the workflows/);
      expect(found.summary).toMatch(/\*\*What to do:\*\*[\s\S]*\[Run workflow\]/);
      expect(found.outputs.mode).toBeUndefined();
      expect(found.gh.some((c) => c.args[0] === 'run')).toBe(false);
      expect(existsSync(join(work, 'plan.json'))).toBe(false);
    }
    // Files elsewhere in .github/ (CODEOWNERS, dependabot.yml) are not workflows: the plan applies.
    fixtures({ api: { ...api, 'repos/acme/meetings/pulls/7/files': [{ filename: '.github/CODEOWNERS' }, { filename: 'meetings/a.yaml' }] }, artifact });
    const applied = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(applied.code).toBe(0);
    expect(applied.outputs.mode).toBe('reviewed');
    // A list that cannot be read stops the run too.
    const { ['repos/acme/meetings/pulls/7/files']: _files, ...without } = api;
    fixtures({ api: without, artifact });
    const unread = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(unread.code).toBe(1);
    expect(unread.summary).toMatch(/Could not list the files of pull request #7/);
  });

  test.skipIf(!HAS_JQ)("push: the reviewed plan applies only while meetings/ is as it was planned; main moved: stop before any change, ask for a re-plan", async () => {
    const artifact = await reviewedArtifact();
    const api = { ...merged(), ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) };
    // Another pull request changed meetings/ and was merged after this plan ran: the merged commit's
    // meetings/ is not the one planned, and applying the plan would undo that change in Webex.
    const board = join(work, 'meetings', 'leadership', 'board-review.yaml');
    writeFileSync(board, readFileSync(board, 'utf8').replace(/^title: .*$/m, 'title: Board Review (renamed by the other PR)'));
    const planned = gitTree(work, sha);
    sha = gitCommit(work, 'the other PR');
    job = newJob(work, { GITHUB_SHA: sha });
    fixtures({ api: { ...api, ...merged() }, artifact });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(1);
    expect(found.summary).toMatch(/^### meetctl apply: nothing was applied/);
    expect(found.summary).toContain(`main moved since the plan was made: \`meetings/\` at \`${sha}\` (tree \`${gitTree(work, sha)}\`) is not the \`meetings/\` the reviewed plan was made from (tree \`${planned}\``);
    expect(found.summary).toMatch(/\*\*What to do:\*\* [^\n]*re-plan/);
    expect(found.outputs.mode).toBeUndefined();
    expect(found.meetctl).toEqual([]);
    expect(existsSync(join(work, 'plan.json'))).toBe(false);

    // A later commit that leaves meetings/ as planned (here: put the title back): the plan applies.
    writeFileSync(board, readFileSync(join(EXAMPLES, 'leadership', 'board-review.yaml')));
    sha = gitCommit(work, 'revert the other PR');
    job = newJob(work, { GITHUB_SHA: sha });
    fixtures({ api: { ...api, ...merged() }, artifact });
    const same = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(same.code).toBe(0);
    expect(same.outputs.mode).toBe('reviewed');

    // No record of what was planned (a plan.yml older than this apply.yml), or a plan of another folder, or of another head: stop.
    for (const [bad, reason] of [
      [{ tree: undefined }, /does not say which `meetings\/` it was made from/],
      [{ dir: 'other' }, /was made from the folder `other`, not `meetings`/],
      [{ headSha: 'c1' }, /was made for commit `c1`, not `c2`/],
    ] as const) {
      rmSync(join(work, 'plan.json'), { force: true });
      job = newJob(work, { GITHUB_SHA: sha });
      const dir = join(work, `artifact-${Object.keys(bad)[0]}`);
      cpSync(artifact, dir, { recursive: true });
      writeFileSync(join(dir, 'plan-source.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(artifact, 'plan-source.json'), 'utf8')), ...bad }));
      fixtures({ api: { ...api, ...merged() }, artifact: dir });
      const refused = await step('apply.yml', 'Find the reviewed plan', applyEnv());
      expect(refused.code, String(reason)).toBe(1);
      expect(refused.summary).toMatch(reason);
      expect(existsSync(join(work, 'plan.json'))).toBe(false);
    }
    rmSync(join(artifact, 'plan-source.json'));
    job = newJob(work, { GITHUB_SHA: sha });
    fixtures({ api: { ...api, ...merged() }, artifact });
    const none = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(none.code).toBe(1);
    expect(none.summary).toMatch(/has no plan-source\.json beside plan\.json/);
  });

  test.skipIf(!HAS_JQ)('plan.yml, the whole job: plan.json and, beside it in the artifact, the meetings/ tree it was planned from', async () => {
    fixtures({ api: { 'repos/acme/meetings/pulls/7': { number: 7, labels: [] } } });
    const ran = await planJob();
    expect(ran.failed).toBe(false);
    const upload = ran.steps.find((x) => x.with?.name === 'meetctl-plan');
    expect(upload?.outcome).toBe('success');
    expect(upload?.with?.path.split('\n').filter(Boolean)).toEqual(['plan.json', 'plan-source.json']);
    expect(JSON.parse(readFileSync(join(work, 'plan-source.json'), 'utf8'))).toEqual(expect.objectContaining({ dir: 'meetings', tree: gitTree(work, 'HEAD'), commit: sha, headSha: 'c2', pullRequest: 7 }));
    // The saved plan keeps its format: nothing was added to it.
    expect(Object.keys(JSON.parse(readFileSync(join(work, 'plan.json'), 'utf8'))).sort()).toEqual(['baseUrl', 'changes', 'controls', 'createdAt', 'formatVersion', 'notes', 'orphans', 'summary']);
  });

  /** The Apply step (the action), then the step that explains a failed apply, as the job runs them. */
  async function applyAndExplain(env: Record<string, string>, args: string): Promise<{ applied: Ran; explained: Ran }> {
    const applied = await step('apply.yml', 'Apply', env, { 'steps.source.outputs.args': args });
    const explained = await step('apply.yml', 'Say what stopped the apply', { ...env, MANUAL_RUN_URL, CODE: applied.outputs['exit-code'], LOG: applied.outputs.log });
    return { applied, explained };
  }

  test('apply refuses the whole reviewed plan (too old, another base URL, --max-changes): the summary says why and what to do', async () => {
    const planFile = await reviewedPlan();
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { createdAt: string; baseUrl: string };
    const manual = /\*\*What to do:\*\*.*\[Run workflow\]\(https:\/\/github\.com\/acme\/meetings\/actions\/workflows\/meetctl-apply\.yml\)/;
    const env = applyEnv({ MODE: 'reviewed' });
    const args = '--auto-approve --max-plan-age 24h';

    writeFileSync(join(work, 'plan.json'), JSON.stringify({ ...plan, createdAt: '2020-01-01T00:00:00.000Z' }));
    const old = await applyAndExplain(env, args);
    expect(old.applied.code).toBe(1);
    expect(old.applied.outputs['exit-code']).toBe('1');
    expect(old.explained.summary).toMatch(/### Nothing was applied: the plan was made at 2020-01-01T00:00:00.000Z, longer ago than --max-plan-age/);
    expect(old.explained.summary).toMatch(/does not fall back to a plan nobody reviewed/);
    expect(old.explained.summary).toMatch(manual);
    expect(old.explained.out).toMatch(/::error title=meetctl apply::Nothing was applied/);

    writeFileSync(join(work, 'plan.json'), JSON.stringify(plan));
    const foreign = await applyAndExplain({ ...env, WEBEX_BASE_URL: 'http://127.0.0.1:9/v1' }, args);
    expect(foreign.applied.code).toBe(1);
    expect(foreign.explained.summary).toMatch(/### Nothing was applied: the plan was made for http:\/\/127\.0\.0\.1:\d+\/v1, not http:\/\/127\.0\.0\.1:9\/v1/);
    expect(foreign.explained.summary).toMatch(manual);

    const limited = await applyAndExplain(env, `${args} --max-changes 1`);
    expect(limited.applied.code).toBe(1);
    expect(limited.applied.meetctl[0]).toMatch(/--max-changes 1$/);
    expect(limited.explained.summary).toMatch(/### Nothing was applied: the plan has \d+ changes, more than --max-changes 1[\s\S]*Raise or clear the limit/);

    // Nothing was changed by any of them: the same plan still applies cleanly.
    const applied = await step('apply.yml', 'Apply', env, { 'steps.source.outputs.args': args });
    expect(applied.code).toBe(0);
  });

  test('apply of a reviewed plan whose meeting changed in Webex since: stale, not applied, and the summary asks for a manual run', async () => {
    const planFile = await reviewedPlan();
    writeFileSync(join(work, 'plan.json'), readFileSync(planFile));
    const id = '1d824a4a205042eba9574e00b711b226';
    const r = await fetch(`${emu.baseUrl}/meetings/${id}`, {
      method: 'PATCH',
      // As Webex documents it: a JSON merge patch body, and the host named by an admin acting for them.
      headers: { authorization: `Bearer ${emu.adminToken}`, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify({ title: 'Renamed in Webex after the review', hostEmail: 'sales.lead@example.com' }),
    });
    expect(r.ok).toBe(true);
    const { applied, explained } = await applyAndExplain(applyEnv({ MODE: 'reviewed' }), '--auto-approve --max-plan-age 24h');
    expect(applied.code).toBe(1);
    expect(applied.summary).toMatch(/### meetctl apply/);
    expect(explained.summary).toMatch(/### 1 meeting\(s\) changed in Webex since the plan was made: their changes were not applied/);
    expect(explained.summary).toMatch(/Nothing unreviewed was applied[\s\S]*\[Run workflow\]/);
    const live = (await (await fetch(`${emu.baseUrl}/meetings/${id}?hostEmail=sales.lead%40example.com`, { headers: { authorization: `Bearer ${emu.adminToken}` } })).json()) as { title: string };
    expect(live.title).toBe('Renamed in Webex after the review');
  });

  test.skipIf(!HAS_JQ)('drift.yml: exit 1 (a managed meeting is gone: 404) fails the check, then opens the issue as an error, not drift', async () => {
    const ghost = '00000000000000000000000000000abc';
    const board = readFileSync(join(work, 'meetings', 'leadership', 'board-review.yaml'), 'utf8');
    writeFileSync(join(work, 'meetings', 'leadership', 'gone.yaml'), board.replace(/^id: .*$/m, `id: ${ghost}`));

    const check = await step('drift.yml', 'Check for drift', webex());
    expect(check.code).toBe(1);
    expect(check.outputs['exit-code']).toBe('1');
    expect(check.meetctl).toEqual(['drift --dir meetings --format markdown --max-chars 64000 --full-report drift-full.md']);

    fixtures({ issues: [] });
    const ctx = { CODE: '1', LOG: check.outputs.log };
    const opened = await step('drift.yml', 'Open or update the drift issue', ctx);
    expect(opened.code).toBe(0);
    const create = opened.gh.find((c) => c.args[0] === 'issue' && c.args[1] === 'create');
    expect(create?.args).toEqual(['issue', 'create', '--title', 'meetctl drift failed: an error, not drift', '--label', 'meetctl-drift', '--body-file', 'issue.md']);
    const body = readFileSync(join(work, 'issue.md'), 'utf8');
    expect(body).toMatch(/\*\*This is an error, not drift:\*\* `meetctl drift` exited 1/);
    expect(body).toMatch(new RegExp(`${ghost}.*not found \\(404\\)`));
    expect(opened.out).toMatch(/::error title=meetctl drift::meetctl drift exited 1: an error, not drift/);

    fixtures({ issues: [{ number: 12, title: 'Webex meetings drifted from meetings/' }] });
    const updated = await step('drift.yml', 'Open or update the drift issue', ctx);
    expect(updated.gh.find((c) => c.args[1] === 'edit')?.args).toEqual(['issue', 'edit', '12', '--title', 'meetctl drift failed: an error, not drift', '--body-file', 'issue.md']);
    expect(updated.gh.find((c) => c.args[1] === 'comment')?.args.join(' ')).toMatch(/The drift check failed again on/);
  });

  test.skipIf(!HAS_JQ)('drift.yml: a report too long for an issue is shortened by meetctl, which says what it left out, with room for the caution of an error', async () => {
    // 900 series retitled in Webex, and one file whose meeting is gone (exit 1: the caution block).
    const big = await startEmulator({ seed: generateSeed({ series: 900 }) });
    try {
      rmSync(join(work, 'meetings'), { recursive: true });
      mkdirSync(join(work, 'meetings'));
      for (const id of big.listSeriesIds()) {
        const m = big.getMeeting(id)!;
        writeFileSync(join(work, 'meetings', `${id}.yaml`), `id: ${id}\nhostEmail: ${String(m.hostEmail)}\ntitle: ${JSON.stringify(`${String(m.title).slice(0, 80)} as the file says`)}\n`);
      }
      writeFileSync(join(work, 'meetings', 'gone.yaml'), 'id: 00000000000000000000000000000abc\ntitle: Gone\n');
      const env = { WEBEX_BASE_URL: big.baseUrl, WEBEX_ACCESS_TOKEN: big.adminToken };
      const check = await step('drift.yml', 'Check for drift', env);
      expect(check.outputs['exit-code']).toBe('1');
      fixtures({ issues: [] });
      const opened = await step('drift.yml', 'Open or update the drift issue', { CODE: '1', LOG: check.outputs.log });
      expect(opened.code).toBe(0);
      const body = readFileSync(join(work, 'issue.md'), 'utf8');
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body).toMatch(/\*\*This is an error, not drift:\*\*/);
      expect(body).toMatch(/#### Errors[\s\S]*00000000000000000000000000000abc/);
      // meetctl's own count of what it left out, not the recipe's last-resort cut, then where the rest is.
      const [counted, pointer] = body.trimEnd().split('\n').slice(-3).filter((line) => line !== '');
      expect(counted).toMatch(/^… [\d,]+ more entries not shown \([\d,]+ characters over --max-chars 64,000\)/);
      expect(pointer).toBe('The whole report is `drift-full.md` in the artifact `meetctl-drift-report` of [this run](https://github.com/acme/meetings/actions/runs/4242).');
      expect(body).not.toMatch(/cut to fit an issue/);
      // The artifact's file: every series the issue left out is in it.
      const whole = readFileSync(join(work, 'drift-full.md'), 'utf8');
      expect(whole).not.toMatch(/not shown/);
      expect(big.listSeriesIds().filter((id) => !whole.includes(id))).toEqual([]);
    } finally {
      await big.close();
    }
  });

  test.skipIf(!HAS_JQ)('drift.yml: the drift issue is the open one with the label and one of its two titles, never another issue someone labelled', async () => {
    const check = await step('drift.yml', 'Check for drift', webex());
    expect(check.outputs['exit-code']).toBe('2');
    const ctx = { CODE: '2', LOG: check.outputs.log };
    const unrelated = { number: 5, title: 'Quarterly planning: who owns the board meeting?' };
    fixtures({ issues: [unrelated] });
    const opened = await step('drift.yml', 'Open or update the drift issue', ctx);
    expect(opened.code).toBe(0);
    expect(opened.gh.some((c) => c.args[0] === 'issue' && (c.args[1] === 'edit' || c.args[1] === 'comment'))).toBe(false);
    expect(opened.gh.find((c) => c.args[0] === 'issue' && c.args[1] === 'create')?.args.slice(0, 4)).toEqual(['issue', 'create', '--title', 'Webex meetings drifted from meetings/']);

    // Ours among others (an error issue from last night, listed after a newer unrelated one): that one is updated.
    fixtures({ issues: [unrelated, { number: 12, title: 'meetctl drift failed: an error, not drift' }] });
    const updated = await step('drift.yml', 'Open or update the drift issue', ctx);
    expect(updated.gh.find((c) => c.args[0] === 'issue' && c.args[1] === 'edit')?.args.slice(0, 4)).toEqual(['issue', 'edit', '12', '--title']);
    expect(updated.gh.some((c) => c.args[0] === 'issue' && c.args[1] === 'create')).toBe(false);

    // In sync again: only ours is closed.
    fixtures({ issues: [unrelated] });
    const quiet = await step('drift.yml', 'Close the drift issue once in sync');
    expect(quiet.code).toBe(0);
    expect(quiet.gh.some((c) => c.args[0] === 'issue' && c.args[1] === 'close')).toBe(false);
    fixtures({ issues: [unrelated, { number: 12, title: 'Webex meetings drifted from meetings/' }] });
    const closed = await step('drift.yml', 'Close the drift issue once in sync');
    expect(closed.gh.find((c) => c.args[0] === 'issue' && c.args[1] === 'close')?.args.slice(0, 3)).toEqual(['issue', 'close', '12']);
  });

  test.skipIf(!HAS_JQ)('drift.yml: exit 2 leaves the check green and keeps the drift title and the report as the body', async () => {
    const check = await step('drift.yml', 'Check for drift', webex());
    expect(check.code).toBe(0);
    expect(check.outputs).toEqual(expect.objectContaining({ 'exit-code': '2', 'has-changes': 'true' }));
    fixtures({ issues: [] });
    const opened = await step('drift.yml', 'Open or update the drift issue', { CODE: '2', LOG: check.outputs.log });
    expect(opened.gh.find((c) => c.args[0] === 'issue' && c.args[1] === 'create')?.args).toEqual(['issue', 'create', '--title', 'Webex meetings drifted from meetings/', '--label', 'meetctl-drift', '--body-file', 'issue.md']);
    expect(readFileSync(join(work, 'issue.md'), 'utf8')).toBe(readFileSync(join(work, 'drift.md'), 'utf8'));
    expect(readFileSync(join(work, 'issue.md'), 'utf8')).toMatch(/^### meetctl drift/);
    expect(opened.out).not.toMatch(/::error/);
  });

  test.skipIf(!HAS_JQ)('plan.yml on a pull request: the plan as one PR comment that the next push updates', async () => {
    writeFileSync(join(work, '.event.json'), JSON.stringify({ pull_request: { number: 7 } }));
    job = newJob(work, { GITHUB_EVENT_NAME: 'pull_request' });
    const setUp = await step('plan.yml', 'Set up meetctl', webex());
    expect(setUp.code).toBe(0);
    expect(setUp.meetctl).toEqual([]);
    const planned = await step('plan.yml', 'Plan', webex());
    expect(planned.code).toBe(0);
    expect(planned.outputs).toEqual(expect.objectContaining({ 'exit-code': '2', 'has-changes': 'true', 'plan-file': 'plan.json' }));
    expect(existsSync(join(work, 'plan.json'))).toBe(true);
    expect(planned.gh.filter((c) => c.args.includes('POST')).map((c) => c.args[3])).toEqual(['repos/acme/meetings/issues/7/comments']);
    const again = await step('plan.yml', 'Plan', webex());
    expect(again.gh.some((c) => c.args.includes('POST'))).toBe(false);
    expect(again.gh.filter((c) => c.args.includes('PATCH')).map((c) => c.args[3])).toEqual([`repos/acme/meetings/issues/comments/${planned.outputs['comment-id']}`]);
  });
  /** plan.yml's whole job on pull request #7 (head commit c2), every step in order with its `if:`. */
  async function planJob(): Promise<Awaited<ReturnType<typeof runJob>>> {
    writeFileSync(join(work, '.event.json'), JSON.stringify({ pull_request: { number: 7, head: { sha: 'c2' } } }));
    job = newJob(work, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
    const { wf } = workflow('plan.yml');
    const ctx = { 'github.event.pull_request.number': '7', 'github.event.pull_request.head.sha': 'c2' };
    return runJob(job, Object.values(wf.jobs)[0] as { env?: Record<string, string>; steps: WorkflowStep[] }, ctx, webex());
  }

  test.skipIf(!HAS_JQ)('plan.yml, the whole job: files that do not validate replace the last plan comment with the table of problems', async () => {
    const MARKER = '<!-- meetctl:plan:meetings -->';
    writeFileSync(join(work, 'meetings', 'sales', 'defaults.yaml'), 'durationMinutes: 5\n');
    fixtures({ comments: [{ id: 1000, issue: 7, user: { login: 'github-actions[bot]', type: 'Bot' }, body: `${MARKER}\n### meetctl plan\n\nthe plan of the previous commit` }] });
    const ran = await planJob();
    expect(ran.failed).toBe(true);
    const all = comments(job);
    expect(all).toHaveLength(1);
    expect(all[0].body).not.toMatch(/the plan of the previous commit/);
    expect(all[0].body).toMatch(/^<!-- meetctl:plan:meetings -->\n### meetctl plan\n\n\*\*Nothing was planned:\*\* the files do not validate \(1 error\)/);
    expect(all[0].body).toMatch(/\| error \| `meetings\/sales\/defaults\.yaml:1:1` \| unknown field 'durationMinutes' \|/);
    // Nothing is uploaded for apply.
    expect(ran.steps.filter((x) => x.with?.name === 'meetctl-plan').map((x) => x.outcome)).toEqual([]);
  });
});
}
