/**
 * Runs GitHub Actions shell steps on this machine the way a runner does (bash -eo pipefail, the
 * GITHUB_* files, GITHUB_ENV and GITHUB_PATH carried to the later steps of the job), and the
 * composite action in action.yml step by step. `gh` is a stand-in that answers from a fixtures
 * file, keeps the PR comments it is given, and records every call; `node` is a wrapper that records
 * its command line and runs the real node. The Webex side is whatever the env points at: the
 * tests point it at the emulator.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, tempDir } from '../support/cli.js';
import { evaluate, fill, resolve } from './expressions.js';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

export interface ActionFile {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export const ACTION_FILE = join(ROOT, 'action.yml');

export function readAction(): { text: string; action: ActionFile } {
  const text = readFileSync(ACTION_FILE, 'utf8');
  return { text, action: parse(text) as ActionFile };
}

const GH_SHIM = `#!/usr/bin/env node
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const args = process.argv.slice(2);
const fx = JSON.parse(fs.readFileSync(process.env.GH_FIXTURES, 'utf8'));
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const input = opt('--input') === undefined ? '' : opt('--input') === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(opt('--input'), 'utf8');
fs.appendFileSync(process.env.GH_LOG, JSON.stringify({ args, stdin: input, ghToken: process.env.GH_TOKEN ?? null }) + '\\n');
function out(value) {
  const jq = opt('--jq');
  if (jq === undefined) return process.stdout.write(JSON.stringify(value));
  const text = execFileSync('jq', ['-r', jq], { input: JSON.stringify(value), encoding: 'utf8' });
  process.stdout.write(text.split('\\n').map((l) => (l === 'null' ? '' : l)).join('\\n'));
}
const save = () => fs.writeFileSync(process.env.GH_FIXTURES, JSON.stringify(fx));
if (args[0] === 'api') {
  const path = args.slice(1).find((a, i, all) => !a.startsWith('-') && !['-X', '--jq', '--input'].includes(all[i - 1]));
  const method = opt('-X') ?? 'GET';
  const key = path.split('?')[0];
  const list = key.match(/^repos\\/[^/]+\\/[^/]+\\/issues\\/(\\d+)\\/comments$/);
  const one = key.match(/^repos\\/[^/]+\\/[^/]+\\/issues\\/comments\\/(\\d+)$/);
  fx.comments ??= [];
  if (list && method === 'POST') {
    const comment = { id: 1000 + fx.comments.length, issue: Number(list[1]), user: { login: 'github-actions[bot]', type: 'Bot' }, body: JSON.parse(input).body };
    fx.comments.push(comment);
    save();
    out(comment);
  } else if (list && fx.api[key] === undefined) {
    out(fx.comments.filter((c) => c.issue === Number(list[1])));
  } else if (one && method === 'PATCH') {
    const comment = fx.comments.find((c) => c.id === Number(one[1]));
    if (comment) { comment.body = JSON.parse(input).body; save(); }
    out(comment ?? { id: Number(one[1]) });
  } else if (method !== 'GET') {
    process.exit(0);
  } else if (!(key in fx.api)) {
    process.stderr.write('gh: Not Found (HTTP 404)\\n');
    process.exit(1);
  } else out(fx.api[key]);
} else if (args[0] === 'run' && args[1] === 'download') {
  // The artifact: a folder (its files, as upload-artifact keeps them), or one file, saved as plan.json.
  fs.mkdirSync(opt('--dir'), { recursive: true });
  if (fs.statSync(fx.artifact).isDirectory()) fs.cpSync(fx.artifact, opt('--dir'), { recursive: true });
  else fs.copyFileSync(fx.artifact, opt('--dir') + '/plan.json');
} else if (args[0] === 'issue' && args[1] === 'list') {
  out(fx.issues ?? []);
}
`;

/** Records each node command line (shell-quoted, one a line) and runs the real node. */
const NODE_SHIM = `#!/usr/bin/env bash
printf '%q ' "$@" >> "$NODE_LOG"; echo >> "$NODE_LOG"
exec "${process.execPath}" "$@"
`;

/** An npm that only records what it was asked: the tests use this checkout's dist/ as built. */
const NPM_SHIM = `#!/usr/bin/env bash
printf '%s\\n' "$(pwd): $*" >> "$NPM_LOG"
`;

export interface Call {
  args: string[];
  stdin: string;
  ghToken: string | null;
}

export interface StepRun {
  code: number | null;
  out: string;
  summary: string;
  outputs: Record<string, string>;
  envFile: string;
  gh: Call[];
  node: string[];
  npm: string[];
}

/** One job: its working directory, what earlier steps put in GITHUB_ENV and GITHUB_PATH, its summary. */
export interface Job {
  work: string;
  env: Record<string, string>;
  path: string[];
  summary: string;
  /** The runner's own variables (GITHUB_EVENT_NAME, …), overridable per job. */
  github: Record<string, string>;
}

export function newJob(work: string, github: Record<string, string> = {}): Job {
  const shims = join(work, '.shims');
  mkdirSync(shims, { recursive: true });
  for (const [name, text] of [['gh', GH_SHIM], ['node', NODE_SHIM], ['npm', NPM_SHIM]] as const) {
    writeFileSync(join(shims, name), text);
    chmodSync(join(shims, name), 0o755);
  }
  if (!existsSync(join(work, '.fixtures.json'))) writeFileSync(join(work, '.fixtures.json'), JSON.stringify({ api: {} }));
  const event = join(work, '.event.json');
  if (!existsSync(event)) writeFileSync(event, '{}');
  return {
    work,
    env: {},
    path: [],
    summary: '',
    github: {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/meetings',
      GITHUB_RUN_ID: '4242',
      GITHUB_SHA: 'f00dfeed',
      GITHUB_ACTOR: 'octocat',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_WORKFLOW_REF: 'acme/meetings/.github/workflows/meetctl-apply.yml@refs/heads/main',
      GITHUB_WORKSPACE: work,
      RUNNER_TEMP: tempDir('meetctl-runner-'),
      ...github,
    },
  };
}

export function fixtures(job: Job, fx: Record<string, unknown>): void {
  writeFileSync(join(job.work, '.fixtures.json'), JSON.stringify({ api: {}, ...fx }));
}

/** The PR comments the stand-in gh holds now. */
export function comments(job: Job): { id: number; issue: number; user: { login: string; type: string }; body: string }[] {
  const fx = JSON.parse(readFileSync(join(job.work, '.fixtures.json'), 'utf8')) as { comments?: [] };
  return fx.comments ?? [];
}

function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = lines[i].match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      env[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      env[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return env;
}

/** Run one shell step in the job, as a runner would: `env` is the step's env, its ${{ }} already filled in. */
export async function runScript(job: Job, script: string, env: Record<string, string> = {}): Promise<StepRun> {
  const { work } = job;
  const files = {
    GITHUB_STEP_SUMMARY: join(work, '.summary'),
    GITHUB_OUTPUT: join(work, '.output'),
    GITHUB_ENV: join(work, '.env'),
    GITHUB_PATH: join(work, '.path'),
  };
  const logs = { GH_LOG: join(work, '.gh.log'), NODE_LOG: join(work, '.node.log'), NPM_LOG: join(work, '.npm.log') };
  for (const f of [...Object.values(files), ...Object.values(logs)]) writeFileSync(f, '');
  const file = join(work, '.step.sh');
  writeFileSync(file, script);
  const res = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd: work,
      env: {
        PATH: [join(work, '.shims'), ...job.path, process.env.PATH].join(':'),
        HOME: process.env.HOME,
        NO_COLOR: '1',
        GH_FIXTURES: join(work, '.fixtures.json'),
        ...logs,
        ...job.github,
        ...files,
        ...job.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
  const read = (f: string) => readFileSync(f, 'utf8');
  const lines = (f: string) => read(f).split('\n').filter(Boolean);
  const summary = read(files.GITHUB_STEP_SUMMARY);
  job.summary += summary;
  Object.assign(job.env, parseEnvFile(read(files.GITHUB_ENV)));
  job.path.unshift(...lines(files.GITHUB_PATH).reverse());
  return {
    ...res,
    summary,
    outputs: parseEnvFile(read(files.GITHUB_OUTPUT)),
    envFile: read(files.GITHUB_ENV),
    gh: lines(logs.GH_LOG).map((l) => JSON.parse(l) as Call),
    node: lines(logs.NODE_LOG),
    npm: lines(logs.NPM_LOG),
  };
}

export interface ActionRun {
  /** The action's exit: the first failed step's code, else 0. */
  code: number | null;
  outputs: Record<string, string>;
  steps: { name: string; run: StepRun }[];
  out: string;
  gh: Call[];
  node: string[];
  npm: string[];
}

/**
 * Run action.yml's steps in order with `with` as its inputs (undeclared ones throw, as GitHub warns
 * and ignores them). `uses:` steps (actions/setup-node) are not run: the runner's node stands in.
 */
export async function runAction(job: Job, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const { action } = readAction();
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`action.yml declares no input ${name}`);
  const ctx: Record<string, string> = { 'github.token': 'ghs_job_token', 'github.action_path': ROOT };
  for (const [name, spec] of Object.entries(action.inputs)) ctx[`inputs.${name}`] = name in inputs ? inputs[name] : resolve(spec.default ?? '', ctx);
  const result: ActionRun = { code: 0, outputs: {}, steps: [], out: '', gh: [], node: [], npm: [] };
  for (const step of action.runs.steps) {
    if (step.uses !== undefined) continue;
    if (step.if !== undefined) throw new Error(`the harness runs no conditional shell step (${step.name ?? ''})`);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolve(String(v), ctx)]));
    const run = await runScript(job, step.run ?? '', { ...env, GITHUB_ACTION_PATH: ROOT, ...stepEnv });
    result.steps.push({ name: step.name ?? '', run });
    result.out += run.out;
    result.gh.push(...run.gh);
    result.node.push(...run.node);
    result.npm.push(...run.npm);
    if (step.id !== undefined) for (const [k, v] of Object.entries(run.outputs)) ctx[`steps.${step.id}.outputs.${k}`] = v;
    if (run.code !== 0) {
      result.code = run.code;
      break;
    }
  }
  for (const [name, spec] of Object.entries(action.outputs)) {
    result.outputs[name] = spec.value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => ctx[expr] ?? '');
  }
  return result;
}

/** meetctl's own command lines among the recorded node calls, without the path to bin/meetctl.js. */
export function meetctlCalls(node: string[]): string[] {
  return node
    .filter((l) => l.includes('bin/meetctl.js '))
    .map((l) => l.slice(l.indexOf('bin/meetctl.js ') + 'bin/meetctl.js '.length).trim())
    .filter((l) => l !== '--version');
}

/*
 * Whole jobs of a workflow, step after step, as a runner runs them: each step's `if:` is evaluated
 * (a condition without a status function means `success() && …`, as on GitHub), a failed step makes
 * the later ones see failure(), and `${{ }}` in env and with is filled in from the context and the
 * outputs of the steps so far. Only the expression forms the workflows use are known.
 */

export interface WorkflowStep extends ActionStep {
  'continue-on-error'?: boolean;
}

export interface JobStepResult {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  /** The shell step's run, or the last step of the meetctl action; absent for other `uses:`. */
  run?: StepRun;
  action?: ActionRun;
  /** A step that uses another action (checkout, upload-artifact): its filled-in `with`. */
  with?: Record<string, string>;
}

export interface JobRun {
  /** Failed, as the job would end: some step failed. */
  failed: boolean;
  steps: JobStepResult[];
  step(name: string): JobStepResult;
}

/**
 * Run a workflow job's steps in order. `ctx` holds the `${{ }}` values (github.*, secrets.*, …);
 * `env` is put after the job's env (what a test sets for the whole job, e.g. the emulator's URL).
 * `uses: ./` runs action.yml with the step's `with`; any other `uses:` is recorded and succeeds.
 */
export async function runJob(job: Job, wfJob: { env?: Record<string, string>; steps: WorkflowStep[] }, ctx: Record<string, string> = {}, env: Record<string, string> = {}): Promise<JobRun> {
  const values: Record<string, string> = { 'github.token': 'ghs_job_token', ...ctx };
  let status: 'success' | 'failure' = 'success';
  const steps: JobStepResult[] = [];
  const fillAll = (obj: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fill(String(v), values)]));
  const jobEnv = { ...fillAll(wfJob.env), ...env };
  for (const s of wfJob.steps) {
    const name = s.name ?? s.uses ?? s.run ?? '';
    const cond = s.if === undefined ? 'success()' : s.if.replace(/^\s*\$\{\{\s*([\s\S]*?)\s*\}\}\s*$/, '$1');
    const withStatus = /\b(success|failure|always|cancelled)\(\)/.test(cond) ? cond : `success() && (${cond})`;
    const go = evaluate(withStatus, values, status);
    if (go === null || go === false || go === '') {
      steps.push({ name, outcome: 'skipped' });
      continue;
    }
    const stepEnv = { ...jobEnv, ...fillAll(s.env) };
    let code: number | null = 0;
    let result: JobStepResult;
    if (s.run !== undefined) {
      const run = await runScript(job, s.run, stepEnv);
      code = run.code;
      if (s.id !== undefined) for (const [k, v] of Object.entries(run.outputs)) values[`steps.${s.id}.outputs.${k}`] = v;
      result = { name, outcome: code === 0 ? 'success' : 'failure', run };
    } else if (s.uses === './') {
      const action = await runAction(job, fillAll(s.with), stepEnv);
      code = action.code;
      if (s.id !== undefined) for (const [k, v] of Object.entries(action.outputs)) values[`steps.${s.id}.outputs.${k}`] = v;
      result = { name, outcome: code === 0 ? 'success' : 'failure', action };
    } else {
      result = { name, outcome: 'success', with: fillAll(s.with) };
    }
    if (code !== 0 && s['continue-on-error'] !== true) status = 'failure';
    steps.push(result);
  }
  return {
    failed: status === 'failure',
    steps,
    step(name: string) {
      const found = steps.find((x) => x.name === name);
      if (!found) throw new Error(`no step ${name}`);
      return found;
    },
  };
}

/** Make the job's working directory a git repository with one commit of what it holds; its sha. */
export function gitCommit(work: string, message = 'meetings'): string {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], { cwd: work, encoding: 'utf8' }).trim();
  if (!existsSync(join(work, '.git'))) git('init', '-q', '-b', 'main');
  git('add', '-A', '--', 'meetings');
  git('commit', '-q', '--allow-empty', '-m', message);
  return git('rev-parse', 'HEAD');
}

/** The git tree hash of `dir` at `commit` in the job's working directory. */
export function gitTree(work: string, commit: string, dir = 'meetings'): string {
  return execFileSync('git', ['rev-parse', `${commit}:${dir}`], { cwd: work, encoding: 'utf8' }).trim();
}
