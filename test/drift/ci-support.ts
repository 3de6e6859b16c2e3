/**
 * The CI recipes' workflow files and their steps, run as GitHub runs them against the emulator,
 * shared by the ci-recipes test files (the step tests are three files by group of steps, so that
 * they run side by side).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fixtures as setFixtures, gitCommit, gitTree, meetctlCalls, newJob, runAction, runJob, runScript, type Job, type StepRun, type WorkflowStep } from '../action/harness.js';
import { resolve } from '../action/expressions.js';
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

/**
 * What the step tests share, for a describe block: a fresh emulator, checkout (one commit of the
 * examples) and job per test, and the helpers that run the workflows' steps in them. The four
 * values that change per test are read as `ci.emu`, `ci.work`, `ci.job` and `ci.sha`.
 */
export function ciSteps() {
  const ci = { emu: undefined as unknown as Emulator, work: '', job: undefined as unknown as Job, sha: '' };
  beforeEach(async () => {
    ci.emu = await startEmulator();
    ci.work = tempDir('meetctl-ci-');
    cpSync(EXAMPLES, join(ci.work, 'meetings'), { recursive: true });
    ci.sha = gitCommit(ci.work);
    ci.job = newJob(ci.work, { GITHUB_SHA: ci.sha });
  });
  afterEach(async () => {
    await ci.emu.close();
  });

  const webex = () => ({ WEBEX_BASE_URL: ci.emu.baseUrl, WEBEX_ACCESS_TOKEN: ci.emu.adminToken, SALES_SYNC_PASSWORD: 'Ci-Steps-Passw0rd' });
  const fixtures = (fx: Record<string, unknown>) => setFixtures(ci.job, fx);

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
      const run = await runScript(ci.job, s.run, stepEnv);
      return { ...run, meetctl: meetctlCalls(run.node) };
    }
    if (s.uses !== './') throw new Error(`${file}: ${name} is neither a shell step nor the meetctl action`);
    const inputs = Object.fromEntries(Object.entries(s.with ?? {}).map(([k, v]) => [k, resolve(String(v), exprs)]));
    const summary = ci.job.summary.length;
    const run = await runAction(ci.job, inputs, stepEnv);
    return {
      code: run.code,
      out: run.out,
      summary: ci.job.summary.slice(summary),
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
    const file = join(ci.work, 'reviewed-plan.json');
    const res = await runCli(['plan', '--dir', join(ci.work, 'meetings'), '--out', file, '--detailed-exitcode'], webex());
    expect(res.code).toBe(2);
    return file;
  }

  /** The artifact plan.yml uploads: plan.json, and beside it what was planned (plan-source.json), at `sha`. */
  async function reviewedArtifact(source: Record<string, unknown> = {}): Promise<string> {
    const dir = join(ci.work, 'reviewed-artifact');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plan.json'), readFileSync(await reviewedPlan()));
    const planned = { dir: 'meetings', tree: gitTree(ci.work, ci.sha), commit: 'merge-of-7', headSha: 'c2', pullRequest: 7, ...source };
    writeFileSync(join(dir, 'plan-source.json'), JSON.stringify(planned));
    return dir;
  }

  /** apply.yml's whole job, every step in order with its `if:`, as a manual run with these inputs. */
  async function manualRun(inputs: Record<string, string>): Promise<Awaited<ReturnType<typeof runJob>>> {
    ci.job = newJob(ci.work, { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_SHA: ci.sha });
    const ctx = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`inputs.${k}`, v]));
    return runJob(ci.job, Object.values(workflow('apply.yml').wf.jobs)[0] as { env?: Record<string, string>; steps: WorkflowStep[] }, ctx, webex());
  }

  const pull = (labels: string[] = []) => ({ number: 7, merged_at: '2027-01-15T08:00:00Z', merge_commit_sha: ci.sha, base: { ref: 'main' }, head: { ref: 'team/rename', sha: 'c2' }, labels: labels.map((name) => ({ name })) });
  const merged = (labels: string[] = []) => ({
    [`repos/acme/meetings/commits/${ci.sha}/pulls`]: [pull(labels)],
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

  /** The Apply step (the action), then the step that explains a failed apply, as the job runs them. */
  async function applyAndExplain(env: Record<string, string>, args: string): Promise<{ applied: Ran; explained: Ran }> {
    const applied = await step('apply.yml', 'Apply', env, { 'steps.source.outputs.args': args });
    const explained = await step('apply.yml', 'Say what stopped the apply', { ...env, MANUAL_RUN_URL, CODE: applied.outputs['exit-code'], LOG: applied.outputs.log });
    return { applied, explained };
  }

  /** plan.yml's whole job on pull request #7 (head commit c2), every step in order with its `if:`. */
  async function planJob(): Promise<Awaited<ReturnType<typeof runJob>>> {
    writeFileSync(join(ci.work, '.event.json'), JSON.stringify({ pull_request: { number: 7, head: { sha: 'c2' } } }));
    ci.job = newJob(ci.work, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
    const { wf } = workflow('plan.yml');
    const ctx = { 'github.event.pull_request.number': '7', 'github.event.pull_request.head.sha': 'c2' };
    return runJob(ci.job, Object.values(wf.jobs)[0] as { env?: Record<string, string>; steps: WorkflowStep[] }, ctx, webex());
  }

  return Object.assign(ci, { webex, fixtures, step, applyEnv, MANUAL_RUN_URL, reviewedPlan, reviewedArtifact, manualRun, pull, merged, runs, artifacts, applyAndExplain, planJob });
}
