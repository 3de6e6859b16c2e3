import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { BIN, EXAMPLES, ROOT, runCli, tempDir } from '../support/cli.js';

const CI = join(ROOT, 'examples', 'ci');

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[]; env?: Record<string, string> }>;
}

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  name?: string;
  id?: string;
  env?: Record<string, string>;
}

function workflow(name: string): { text: string; wf: Workflow; runs: string } {
  const text = readFileSync(join(CI, name), 'utf8');
  const wf = parse(text) as Workflow;
  const runs = Object.values(wf.jobs)
    .flatMap((j) => j.steps.map((s) => s.run ?? ''))
    .join('\n');
  return { text, wf, runs };
}

/** The commented emulator variant, uncommented: it must be a valid list of steps too. */
function emulatorVariant(text: string): unknown {
  const block = text
    .split('\n')
    .filter((l) => /^ {6}# {1,}(- name|  run|  {4}|  \S)/.test(l) || /^ {6}# - name: Start the Webex emulator/.test(l))
    .map((l) => l.replace(/^( {6})# /, '$1'))
    .join('\n');
  return parse(block);
}

describe('examples/ci workflows', () => {
  test('plan.yml: markdown plan as a PR comment, plan.json as an artifact', () => {
    const { wf, runs, text } = workflow('plan.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions['pull-requests']).toBe('write');
    expect(runs).toMatch(/meetctl plan --dir meetings --format markdown --out plan\.json --detailed-exitcode/);
    // meetctl's own comment is found by its marker and updated; another bot's comment is never edited.
    expect(runs).not.toMatch(/--edit-last/);
    expect(runs).toMatch(/issues\/comments\/\$id/);
    expect(Object.values(wf.jobs)[0].steps.find((s) => s.name === 'Comment the plan on the pull request')?.env?.MARKER).toBe('<!-- meetctl-plan -->');
    const steps = Object.values(wf.jobs)[0].steps;
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact') === true)).toBe(true);
    expect(Object.values(wf.jobs)[0].env?.WEBEX_ACCESS_TOKEN).toBe('${{ secrets.WEBEX_ACCESS_TOKEN }}');
    expect(emulatorVariant(text)).toEqual([expect.objectContaining({ name: 'Start the Webex emulator', run: expect.stringContaining('meetctl emulator --port 0') })]);
  });

  test('apply.yml: on push to main the reviewed plan; by hand a fresh plan, with force and max_changes inputs', () => {
    const { wf, runs, text } = workflow('apply.yml');
    expect(wf.on.push).toEqual(expect.objectContaining({ branches: ['main'] }));
    const dispatch = wf.on.workflow_dispatch as { inputs: Record<string, { type: string }> };
    expect(dispatch.inputs.force.type).toBe('boolean');
    expect(dispatch.inputs.max_changes.type).toBe('string');
    expect(wf.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'read' });
    expect(runs).toMatch(/gh run download .*--name meetctl-plan/);
    expect(runs).toMatch(/meetctl apply plan\.json "\$\{args\[@\]\}"/);
    expect(runs).toMatch(/--auto-approve --format markdown --max-plan-age "\$MAX_PLAN_AGE"/);
    const steps = Object.values(wf.jobs)[0].steps;
    // A fresh plan only on a manual run (or against the emulator): never as a silent fallback on push.
    const fresh = steps.find((s) => s.run?.includes('meetctl plan --dir meetings --format markdown --out plan.json'));
    expect(fresh?.if).toBe("steps.source.outputs.mode == 'fresh'");
    expect(text).toMatch(/meetctl-force/);
    // The emulator note: a plan from another emulator instance is refused whole (base URL), not stale.
    expect(text).toMatch(/refused whole: its base URL differs/);
    expect(emulatorVariant(text)).toEqual([expect.objectContaining({ run: expect.stringContaining('MEETCTL_EMULATOR=1') })]);
  });

  test('drift.yml: nightly; exit 2 (drift) and exit 1 (error) open or update the meetctl-drift issue', () => {
    const { wf, runs, text } = workflow('drift.yml');
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    expect(wf.permissions.issues).toBe('write');
    expect(runs).toMatch(/meetctl drift --dir meetings --format markdown/);
    expect(runs).toMatch(/gh issue create .*--label "\$LABEL"/);
    expect(runs).toMatch(/gh issue edit/);
    expect(Object.values(wf.jobs)[0].env?.LABEL).toBe('meetctl-drift');
    const open = Object.values(wf.jobs)[0].steps.find((s) => s.name === 'Open or update the drift issue');
    expect(open?.if).toBe("steps.drift.outputs.exitcode == '2' || steps.drift.outputs.exitcode == '1'");
    const close = Object.values(wf.jobs)[0].steps.find((s) => s.name === 'Close the drift issue once in sync');
    expect(close?.if).toBe("steps.drift.outputs.exitcode == '0'");
    const failStep = Object.values(wf.jobs)[0].steps.find((s) => s.name === 'Fail on an error');
    expect(failStep?.if).toBe("steps.drift.outputs.exitcode != '0' && steps.drift.outputs.exitcode != '2'");
    expect(emulatorVariant(text)).toHaveLength(1);
  });

  test('no workflow holds a literal secret', () => {
    for (const name of ['plan.yml', 'apply.yml', 'drift.yml']) {
      const { text } = workflow(name);
      for (const line of text.split('\n').filter((l) => /(TOKEN|PASSWORD):/.test(l) && !l.trim().startsWith('#'))) {
        expect(line).toMatch(/\$\{\{ (secrets\.\w+|github\.token) \}\}/);
      }
    }
  });
});

describe('examples/ci/try-locally.sh', () => {
  test('runs plan, apply and drift against the emulator and exits 0', async () => {
    const script = join(CI, 'try-locally.sh');
    expect(statSync(script).mode & 0o111).not.toBe(0);
    const res = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn('bash', [script], { env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    if (res.code !== 0) console.error(res.out.slice(-3000));
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/plan: exit 2 \(changes\)/);
    expect(res.out).toMatch(/plan after apply: exit 0/);
    expect(res.out).toMatch(/apply of a plan made for another base URL: refused whole \(exit 1\), nothing applied/);
    expect(res.out).toMatch(/apply of the reviewed plan: exit 1, the Sales series is stale/);
    expect(res.out).toMatch(/manual run: planned afresh and applied \(exit 0\); plan after it: exit 0/);
    expect(res.out).toMatch(/drift: exit 0 \(in sync\)/);
    expect(res.out).toMatch(/drift: exit 2/);
    expect(res.out).toMatch(/All three flows behaved as they do in CI/);
    expect(res.out).not.toContain('emulator-admin-token');
  }, 120_000);
});

/*
 * The workflows' own shell steps, run as GitHub runs them (bash -eo pipefail), against the
 * emulator: `npx` runs this checkout's meetctl, `gh` is a stand-in that answers from fixtures
 * (through jq, as gh --jq does) and records every call.
 */
const HAS_JQ = (() => {
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const GH_SHIM = `#!/usr/bin/env node
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const args = process.argv.slice(2);
const fx = JSON.parse(fs.readFileSync(process.env.GH_FIXTURES, 'utf8'));
const stdin = args.includes('--input') ? fs.readFileSync(0, 'utf8') : '';
fs.appendFileSync(process.env.GH_LOG, JSON.stringify({ args, stdin }) + '\\n');
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
function out(value) {
  const jq = opt('--jq');
  if (jq === undefined) return process.stdout.write(JSON.stringify(value));
  const text = execFileSync('jq', ['-r', jq], { input: JSON.stringify(value), encoding: 'utf8' });
  process.stdout.write(text.split('\\n').map((l) => (l === 'null' ? '' : l)).join('\\n'));
}
if (args[0] === 'api') {
  const path = args.slice(1).find((a, i, all) => !a.startsWith('-') && !['-X', '--jq', '--input'].includes(all[i]));
  if (opt('-X') === 'PATCH') process.exit(0);
  const key = path.split('?')[0];
  if (!(key in fx.api)) { process.stderr.write('gh: Not Found (HTTP 404)\\n'); process.exit(1); }
  out(fx.api[key]);
} else if (args[0] === 'run' && args[1] === 'download') {
  fs.mkdirSync(opt('--dir'), { recursive: true });
  fs.copyFileSync(fx.artifact, opt('--dir') + '/plan.json');
} else if (args[0] === 'issue' && args[1] === 'list') {
  out(fx.issues ?? []);
}
`;

const NPX_SHIM = `#!/usr/bin/env bash
[ "$1" = meetctl ] && shift
printf '%s\\n' "$*" >> "$NPX_LOG"
exec node "${BIN}" "$@"
`;

interface StepRun {
  code: number | null;
  out: string;
  summary: string;
  outputs: Record<string, string>;
  envFile: string;
  gh: { args: string[]; stdin: string }[];
  npx: string[];
}

describe('examples/ci workflow steps, run against the emulator', () => {
  let emu: Emulator;
  let work: string;
  let shims: string;

  beforeEach(async () => {
    emu = await startEmulator();
    work = tempDir('meetctl-ci-');
    cpSync(EXAMPLES, join(work, 'meetings'), { recursive: true });
    shims = join(work, '.shims');
    mkdirSync(shims);
    writeFileSync(join(shims, 'gh'), GH_SHIM);
    writeFileSync(join(shims, 'npx'), NPX_SHIM);
    chmodSync(join(shims, 'gh'), 0o755);
    chmodSync(join(shims, 'npx'), 0o755);
    writeFileSync(join(work, '.fixtures.json'), JSON.stringify({ api: {} }));
  });
  afterEach(async () => {
    await emu.close();
  });

  const webex = () => ({ WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'Ci-Steps-Passw0rd' });
  const fixtures = (fx: Record<string, unknown>) => writeFileSync(join(work, '.fixtures.json'), JSON.stringify({ api: {}, ...fx }));

  /** Run one step's script with the job's and step's literal env, then `env` (the ${{ }} values a runner would fill in). */
  async function step(file: string, name: string, env: Record<string, string> = {}): Promise<StepRun> {
    const { wf } = workflow(file);
    const job = Object.values(wf.jobs)[0];
    const s = job.steps.find((x) => x.name === name);
    if (!s?.run) throw new Error(`${file}: no step ${name}`);
    const literal = (e: Record<string, string> = {}) => Object.fromEntries(Object.entries(e).filter(([, v]) => !String(v).includes('${{')));
    const files = { GITHUB_STEP_SUMMARY: join(work, '.summary'), GITHUB_OUTPUT: join(work, '.output'), GITHUB_ENV: join(work, '.env') };
    for (const f of [...Object.values(files), join(work, '.gh.log'), join(work, '.npx.log')]) writeFileSync(f, '');
    const script = join(work, '.step.sh');
    writeFileSync(script, s.run);
    const runnerTemp = tempDir('meetctl-runner-');
    const res = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: work,
        env: {
          PATH: `${shims}:${process.env.PATH}`,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          RUNNER_TEMP: runnerTemp,
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_REPOSITORY: 'acme/meetings',
          GITHUB_RUN_ID: '4242',
          GITHUB_SHA: 'f00dfeed',
          GITHUB_ACTOR: 'octocat',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_REF: 'refs/heads/main',
          GITHUB_REF_NAME: 'main',
          GITHUB_WORKFLOW_REF: 'acme/meetings/.github/workflows/meetctl-apply.yml@refs/heads/main',
          GH_FIXTURES: join(work, '.fixtures.json'),
          GH_LOG: join(work, '.gh.log'),
          NPX_LOG: join(work, '.npx.log'),
          ...files,
          ...literal(job.env),
          ...literal(s.env),
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
    const outputs = Object.fromEntries(
      read(files.GITHUB_OUTPUT)
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const lines = (f: string) => read(f).split('\n').filter(Boolean);
    return {
      ...res,
      summary: read(files.GITHUB_STEP_SUMMARY),
      outputs,
      envFile: read(files.GITHUB_ENV),
      gh: lines(join(work, '.gh.log')).map((l) => JSON.parse(l) as { args: string[]; stdin: string }),
      npx: lines(join(work, '.npx.log')),
    };
  }

  /** The defaults of the apply job's env on a push (no inputs, no repository variables). */
  const applyEnv = (extra: Record<string, string> = {}) => ({ ...webex(), MAX_PLAN_AGE: '24h', MAX_CHANGES: '', FORCE_INPUT: '', ...extra });

  async function reviewedPlan(): Promise<string> {
    const file = join(work, 'reviewed-plan.json');
    const res = await runCli(['plan', '--dir', join(work, 'meetings'), '--out', file, '--detailed-exitcode'], webex());
    expect(res.code).toBe(2);
    return file;
  }

  test('manual run: plans afresh from main and applies it, with --force and --max-changes from the inputs', async () => {
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv({ GITHUB_EVENT_NAME: 'workflow_dispatch', FORCE_INPUT: 'true' }));
    expect(found.code).toBe(0);
    expect(found.outputs).toEqual({ mode: 'fresh', force: 'true' });
    expect(found.envFile).toContain('MANUAL_RUN_URL=https://github.com/acme/meetings/actions/workflows/meetctl-apply.yml');
    expect(found.gh).toEqual([]);

    const planned = await step('apply.yml', 'Plan from main (manual run)', applyEnv());
    expect(planned.code).toBe(0);
    expect(planned.summary).toMatch(/Plan made by this run from `f00dfeed`, started by octocat/);
    expect(planned.summary).toMatch(/### meetctl plan/);

    const applied = await step('apply.yml', 'Apply', applyEnv({ MODE: 'fresh', FORCE: 'true', MAX_CHANGES: '10' }));
    expect(applied.code).toBe(0);
    expect(applied.npx).toEqual(['apply plan.json --auto-approve --format markdown --max-plan-age 24h --force --max-changes 10']);
    expect(applied.summary).toMatch(/### meetctl apply/);

    const verified = await step('apply.yml', 'Verify that nothing is left to do', applyEnv());
    expect(verified.code).toBe(0);
    expect(verified.summary).toBe('');
  });

  test('manual run on another branch than main: refused, with what to do in the summary', async () => {
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv({ GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF: 'refs/heads/topic', GITHUB_REF_NAME: 'topic' }));
    expect(found.code).toBe(1);
    expect(found.summary).toMatch(/nothing was applied[\s\S]*run it on `main`, not `topic`[\s\S]*Run workflow\]\(https:\/\/github\.com\/acme\/meetings\/actions\/workflows\/meetctl-apply\.yml\)/);
  });

  const merged = (labels: string[] = []) => ({
    'repos/acme/meetings/commits/f00dfeed/pulls': [{ number: 7, merged_at: '2027-01-15T08:00:00Z', head: { ref: 'team/rename' }, labels: labels.map((name) => ({ name })) }],
    'repos/acme/meetings/pulls/7/commits': [{ sha: 'c1' }, { sha: 'c2' }],
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

  test.skipIf(!HAS_JQ)('push: applies the plan reviewed on the merged PR; its meetctl-force label passes --force', async () => {
    fixtures({ api: { ...merged(['meetctl-force']), ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) }, artifact: await reviewedPlan() });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(0);
    expect(found.outputs).toEqual({ force: 'true', mode: 'reviewed' });
    expect(found.gh.find((c) => c.args[0] === 'run')?.args).toEqual(['run', 'download', '98', '--name', 'meetctl-plan', '--dir', expect.any(String)]);
    expect(existsSync(join(work, 'plan.json'))).toBe(true);
    expect(found.summary).toMatch(/Applying the plan reviewed on pull request #7 \(\[plan run 98\]/);

    const applied = await step('apply.yml', 'Apply', applyEnv({ MODE: 'reviewed', FORCE: 'true' }));
    expect(applied.code).toBe(0);
    expect(applied.npx).toEqual(['apply plan.json --auto-approve --format markdown --max-plan-age 24h --force']);
    expect((await step('apply.yml', 'Verify that nothing is left to do', applyEnv())).code).toBe(0);
  });

  test.skipIf(!HAS_JQ)('push: the reviewed plan had no changes (no artifact): nothing to apply, then the check that nothing is left', async () => {
    fixtures({ api: { ...merged(), ...runs(), ...artifacts([]) } });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(0);
    expect(found.outputs).toEqual({ force: 'false', mode: 'none' });
    // Webex still differs from main (the emulator starts with the old meetings): the last step says so.
    const verified = await step('apply.yml', 'Verify that nothing is left to do', applyEnv());
    expect(verified.code).toBe(2);
    expect(verified.summary).toMatch(/### Webex still differs from `main`[\s\S]*manual run: \[Run workflow\]/);
  });

  test.skipIf(!HAS_JQ)('push without a usable reviewed plan: fails with what to do, never plans on its own', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ 'repos/acme/meetings/commits/f00dfeed/pulls': [] }, /did not come from a merged pull request/],
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
      expect(found.npx).toEqual([]);
    }
  });

  test('apply refuses the whole reviewed plan (too old, another base URL, --max-changes): the summary says why and what to do', async () => {
    const planFile = await reviewedPlan();
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { createdAt: string; baseUrl: string };
    const manual = /\*\*What to do:\*\*.*\[Run workflow\]\(https:\/\/github\.com\/acme\/meetings\/actions\/workflows\/meetctl-apply\.yml\)/;
    const env = applyEnv({ MODE: 'reviewed', FORCE: 'false', MANUAL_RUN_URL: 'https://github.com/acme/meetings/actions/workflows/meetctl-apply.yml' });

    writeFileSync(join(work, 'plan.json'), JSON.stringify({ ...plan, createdAt: '2020-01-01T00:00:00.000Z' }));
    const old = await step('apply.yml', 'Apply', env);
    expect(old.code).toBe(1);
    expect(old.summary).toMatch(/### Nothing was applied: the plan was made at 2020-01-01T00:00:00.000Z, longer ago than --max-plan-age/);
    expect(old.summary).toMatch(/does not fall back to a plan nobody reviewed/);
    expect(old.summary).toMatch(manual);
    expect(old.out).toMatch(/::error title=meetctl apply::Nothing was applied/);

    writeFileSync(join(work, 'plan.json'), JSON.stringify(plan));
    const foreign = await step('apply.yml', 'Apply', { ...env, WEBEX_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(foreign.code).toBe(1);
    expect(foreign.summary).toMatch(/### Nothing was applied: the plan was made for http:\/\/127\.0\.0\.1:\d+\/v1, not http:\/\/127\.0\.0\.1:9\/v1/);
    expect(foreign.summary).toMatch(manual);

    const limited = await step('apply.yml', 'Apply', { ...env, MAX_CHANGES: '1' });
    expect(limited.code).toBe(1);
    expect(limited.npx[0]).toMatch(/--max-changes 1$/);
    expect(limited.summary).toMatch(/### Nothing was applied: the plan has \d+ changes, more than --max-changes 1[\s\S]*Raise or clear the limit/);

    // Nothing was changed by any of them: the same plan still applies cleanly.
    const applied = await step('apply.yml', 'Apply', env);
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
    const applied = await step('apply.yml', 'Apply', applyEnv({ MODE: 'reviewed', FORCE: 'false', MANUAL_RUN_URL: 'https://github.com/acme/meetings/actions/workflows/meetctl-apply.yml' }));
    expect(applied.code).toBe(1);
    expect(applied.summary).toMatch(/### meetctl apply/);
    expect(applied.summary).toMatch(/### 1 meeting\(s\) changed in Webex since the plan was made: their changes were not applied/);
    expect(applied.summary).toMatch(/Nothing unreviewed was applied[\s\S]*\[Run workflow\]/);
    const live = (await (await fetch(`${emu.baseUrl}/meetings/${id}?hostEmail=sales.lead%40example.com`, { headers: { authorization: `Bearer ${emu.adminToken}` } })).json()) as { title: string };
    expect(live.title).toBe('Renamed in Webex after the review');
  });

  test.skipIf(!HAS_JQ)('drift.yml: exit 1 (a managed meeting is gone: 404) opens the issue as an error, not drift, then fails the run', async () => {
    const ghost = '00000000000000000000000000000abc';
    const board = readFileSync(join(work, 'meetings', 'leadership', 'board-review.yaml'), 'utf8');
    writeFileSync(join(work, 'meetings', 'leadership', 'gone.yaml'), board.replace(/^id: .*$/m, `id: ${ghost}`));

    const check = await step('drift.yml', 'Check for drift', webex());
    expect(check.code).toBe(0); // the run fails later, after the issue is written
    expect(check.outputs.exitcode).toBe('1');

    fixtures({ issues: [] });
    const opened = await step('drift.yml', 'Open or update the drift issue', { CODE: '1' });
    expect(opened.code).toBe(0);
    const create = opened.gh.find((c) => c.args[0] === 'issue' && c.args[1] === 'create');
    expect(create?.args).toEqual(['issue', 'create', '--title', 'meetctl drift failed: an error, not drift', '--label', 'meetctl-drift', '--body-file', 'issue.md']);
    const body = readFileSync(join(work, 'issue.md'), 'utf8');
    expect(body).toMatch(/\*\*This is an error, not drift:\*\* `meetctl drift` exited 1/);
    expect(body).toMatch(new RegExp(`${ghost}.*not found \\(404\\)`));

    fixtures({ issues: [{ number: 12 }] });
    const updated = await step('drift.yml', 'Open or update the drift issue', { CODE: '1' });
    expect(updated.gh.find((c) => c.args[1] === 'edit')?.args).toEqual(['issue', 'edit', '12', '--title', 'meetctl drift failed: an error, not drift', '--body-file', 'issue.md']);
    expect(updated.gh.find((c) => c.args[1] === 'comment')?.args.join(' ')).toMatch(/The drift check failed again on/);

    const failed = await step('drift.yml', 'Fail on an error', { CODE: '1' });
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/::error title=meetctl drift::meetctl drift exited 1: an error, not drift/);
  });

  test.skipIf(!HAS_JQ)('drift.yml: exit 2 keeps the drift title and the report as the body', async () => {
    writeFileSync(join(work, 'drift.md'), '### meetctl drift\n\nreport\n');
    fixtures({ issues: [] });
    const opened = await step('drift.yml', 'Open or update the drift issue', { CODE: '2' });
    expect(opened.gh.find((c) => c.args[0] === 'issue' && c.args[1] === 'create')?.args).toEqual(['issue', 'create', '--title', 'Webex meetings drifted from meetings/', '--label', 'meetctl-drift', '--body-file', 'issue.md']);
    expect(readFileSync(join(work, 'issue.md'), 'utf8')).toBe('### meetctl drift\n\nreport\n');
  });

  test.skipIf(!HAS_JQ)("plan.yml: updates only the comment that carries meetctl's marker, never another bot's", async () => {
    const MARKER = '<!-- meetctl-plan -->';
    writeFileSync(join(work, 'plan.md'), '### meetctl plan\n\nnew plan\n');
    const other = { id: 1, user: { type: 'Bot', login: 'other-bot[bot]' }, body: '### Coverage report' };
    const ours = { id: 2, user: { type: 'Bot', login: 'github-actions[bot]' }, body: `${MARKER}\n### meetctl plan\n\nold plan\n` };
    const quoted = { id: 3, user: { type: 'User', login: 'octocat' }, body: `${MARKER}\nI pasted the marker` };
    const env = { PR: '7', CODE: '2' };

    fixtures({ api: { 'repos/acme/meetings/issues/7/comments': [other, ours, quoted] } });
    const updated = await step('plan.yml', 'Comment the plan on the pull request', env);
    expect(updated.code).toBe(0);
    const patch = updated.gh.find((c) => c.args.includes('PATCH'));
    expect(patch?.args).toEqual(['api', '-X', 'PATCH', 'repos/acme/meetings/issues/comments/2', '--input', '-']);
    expect(JSON.parse(patch?.stdin ?? '{}')).toEqual({ body: `${MARKER}\n### meetctl plan\n\nnew plan\n` });
    expect(updated.gh.some((c) => c.args[0] === 'pr')).toBe(false);

    fixtures({ api: { 'repos/acme/meetings/issues/7/comments': [other] } });
    const created = await step('plan.yml', 'Comment the plan on the pull request', env);
    expect(created.gh.some((c) => c.args.includes('PATCH'))).toBe(false);
    expect(created.gh.find((c) => c.args[0] === 'pr')?.args).toEqual(['pr', 'comment', '7', '--body-file', 'comment.md']);

    // A plan already cut to the 65,536-character limit still fits with the marker: whole sections are dropped.
    const section = (i: number) => `<details><summary>meeting ${i}</summary>\n\n${'x'.repeat(900)}\n\n</details>\n\n`;
    let md = '### meetctl plan\n\n';
    for (let i = 0; md.length + section(i).length <= 65_000; i++) md += section(i);
    md = md.replace('\n\n', `\n\n${'y'.repeat(65_536 - md.length - 1)}\n`);
    expect(md.length).toBe(65_536);
    writeFileSync(join(work, 'plan.md'), md);
    await step('plan.yml', 'Comment the plan on the pull request', env);
    const body = readFileSync(join(work, 'comment.md'), 'utf8');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(`${MARKER}\n### meetctl plan`)).toBe(true);
    expect(body).toMatch(/<\/details>\n\n\n… cut to fit a comment: the whole plan is in the summary of https:\/\/github\.com\/acme\/meetings\/actions\/runs\/4242\n$/);

    // No plan at all (meetctl failed before planning): the comment says so instead of staying silent.
    writeFileSync(join(work, 'plan.md'), '');
    await step('plan.yml', 'Comment the plan on the pull request', { PR: '7', CODE: '1' });
    expect(readFileSync(join(work, 'comment.md'), 'utf8')).toMatch(/^<!-- meetctl-plan -->\n### meetctl plan\n\n\*\*meetctl plan failed \(exit 1\) before it made a plan\*\*/);
  });
});
