import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/cli.js';

const CI = join(ROOT, 'examples', 'ci');

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: { run?: string; uses?: string; if?: string; name?: string }[]; env?: Record<string, string> }>;
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
    expect(runs).toMatch(/gh pr comment .*--body-file plan\.md/);
    const steps = Object.values(wf.jobs)[0].steps;
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact') === true)).toBe(true);
    expect(Object.values(wf.jobs)[0].env?.WEBEX_ACCESS_TOKEN).toBe('${{ secrets.WEBEX_ACCESS_TOKEN }}');
    expect(emulatorVariant(text)).toEqual([expect.objectContaining({ name: 'Start the Webex emulator', run: expect.stringContaining('meetctl emulator --port 0') })]);
  });

  test('apply.yml: on push to main, apply the plan with --auto-approve', () => {
    const { wf, runs, text } = workflow('apply.yml');
    expect(wf.on.push).toEqual(expect.objectContaining({ branches: ['main'] }));
    expect(runs).toMatch(/gh run download .*--name meetctl-plan/);
    expect(runs).toMatch(/meetctl plan --dir meetings --out plan\.json/);
    expect(runs).toMatch(/meetctl apply plan\.json --auto-approve/);
    expect(emulatorVariant(text)).toHaveLength(1);
  });

  test('drift.yml: nightly; exit 2 opens or updates the meetctl-drift issue', () => {
    const { wf, runs, text } = workflow('drift.yml');
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    expect(wf.permissions.issues).toBe('write');
    expect(runs).toMatch(/meetctl drift --dir meetings --format markdown/);
    expect(runs).toMatch(/gh issue create .*--label "\$LABEL"/);
    expect(runs).toMatch(/gh issue edit/);
    expect(Object.values(wf.jobs)[0].env?.LABEL).toBe('meetctl-drift');
    const open = Object.values(wf.jobs)[0].steps.find((s) => s.name === 'Open or update the drift issue');
    expect(open?.if).toBe("steps.drift.outputs.exitcode == '2'");
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
    expect(res.out).toMatch(/drift: exit 0 \(in sync\)/);
    expect(res.out).toMatch(/drift: exit 2/);
    expect(res.out).toMatch(/All three flows behaved as they do in CI/);
    expect(res.out).not.toContain('emulator-admin-token');
  }, 120_000);
});
