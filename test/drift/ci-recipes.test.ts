/**
 * The CI recipes in examples/ci: their workflow files as written and try-locally.sh (their steps
 * run against the emulator: ci-recipes-push, ci-recipes-pr and ci-recipes-manual, with ci-support.ts).
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runShellScript, tempDir } from '../support/cli.js';
import { CI, emulatorVariant, named, workflow } from './ci-support.js';

describe('examples/ci workflows', () => {
  test('plan.yml: markdown plan as a PR comment (the action), plan.json as an artifact', () => {
    const { wf, steps, text } = workflow('plan.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    // Only pull requests into the branch apply.yml applies: a plan against another base is never the reviewed one.
    expect((wf.on.pull_request as { branches?: string[] }).branches).toEqual((workflow('apply.yml').wf.on.push as { branches: string[] }).branches);
    expect(wf.permissions['pull-requests']).toBe('write');
    // No separate validate step: plan validates, and its comment lists the problems (a failed
    // validate step would skip the plan and leave the last commit's plan comment in place).
    expect(steps.find((s) => s.with?.command === 'validate')).toBeUndefined();
    expect(named(steps, 'Set up meetctl')).toEqual(expect.objectContaining({ uses: './' }));
    expect(named(steps, 'Set up meetctl')?.with).toBeUndefined();
    const plan = named(steps, 'Plan');
    expect(plan).toEqual(expect.objectContaining({ id: 'plan', uses: './', with: { command: 'plan', dir: 'meetings', 'plan-file': 'plan.json', comment: true } }));
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact') === true);
    expect(upload?.if).toBe("steps.plan.outputs.has-changes == 'true'");
    expect(upload?.with).toEqual(expect.objectContaining({ name: 'meetctl-plan', path: 'plan.json\nplan-source.json\n' }));
    // The side file records the tree of the folder the Plan step planned.
    expect(named(steps, 'Record what was planned')?.env?.DIR).toBe(plan?.with?.dir);
    expect(named(steps, 'Record what was planned')?.if).toBe(upload?.if);
    // The emulator step comes after the first use of the action, which puts `meetctl` on PATH.
    expect(text.indexOf('# - name: Start the Webex emulator')).toBeGreaterThan(text.indexOf('name: Set up meetctl'));
    expect(emulatorVariant(text)).toEqual([expect.objectContaining({ name: 'Start the Webex emulator', run: expect.stringContaining('meetctl emulator --port 0') })]);
  });

  test('apply.yml: on push to main the reviewed plan; by hand a fresh plan, with force and max_changes inputs', () => {
    const { wf, runs, text, steps } = workflow('apply.yml');
    expect(wf.on.push).toEqual(expect.objectContaining({ branches: ['main'] }));
    const dispatch = wf.on.workflow_dispatch as { inputs: Record<string, { type: string }> };
    expect(dispatch.inputs.force.type).toBe('boolean');
    expect(dispatch.inputs.max_changes.type).toBe('string');
    expect(wf.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'read' });
    expect(runs).toMatch(/gh run download .*--name meetctl-plan/);
    expect(named(steps, 'Apply')?.with).toEqual({ command: 'apply', 'plan-file': 'plan.json', args: '${{ steps.source.outputs.args }} --full-report apply-full.md', 'report-file': 'apply.md' });
    // A fresh plan only on a manual run (or against the emulator): never as a silent fallback on push.
    const fresh = named(steps, 'Plan from main (manual run)');
    expect(fresh?.if).toBe("steps.source.outputs.mode == 'fresh' || steps.source.outputs.mode == 'dry-run'");
    expect(named(steps, 'Apply')?.if).toBe("steps.source.outputs.mode == 'reviewed' || steps.source.outputs.mode == 'fresh'");
    expect(fresh?.with).toEqual(expect.objectContaining({ command: 'plan', 'plan-file': 'plan.json', comment: false }));
    expect(named(steps, 'Say what stopped the apply')?.if).toBe("failure() && steps.apply.outputs.exit-code == '1'");
    expect(named(steps, 'Verify that nothing is left to do')?.with).toEqual(expect.objectContaining({ command: 'plan', 'fail-on-changes': true }));
    // The folder whose tree is checked against the plan's is the one planned and verified.
    const dirs = steps.filter((s) => s.with?.dir !== undefined).map((s) => s.with?.dir);
    expect(dirs.length).toBeGreaterThan(1);
    for (const dir of dirs) expect(dir).toBe(named(steps, 'Find the reviewed plan')?.env?.DIR);
    expect(text).toMatch(/meetctl-force/);
    // The emulator note: a plan from another emulator instance is refused whole (base URL), not stale.
    expect(text).toMatch(/refused whole: its base URL differs/);
    expect(text.indexOf('# - name: Start the Webex emulator')).toBeGreaterThan(text.indexOf('name: Set up meetctl'));
    expect(emulatorVariant(text)).toEqual([expect.objectContaining({ run: expect.stringContaining('MEETCTL_EMULATOR=1') })]);
  });

  test('drift.yml: nightly; exit 2 (drift) and exit 1 (error) open or update the meetctl-drift issue', () => {
    const { wf, runs, text, steps } = workflow('drift.yml');
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    expect(wf.permissions.issues).toBe('write');
    expect(named(steps, 'Check for drift')).toEqual(expect.objectContaining({ id: 'drift', uses: './', with: { command: 'drift', dir: 'meetings', 'report-file': 'drift.md', args: '--max-chars 64000 --full-report drift-full.md' } }));
    // The whole report, of which the issue may show only part, is the run's artifact.
    expect(named(steps, 'Upload the full drift report')).toEqual(
      expect.objectContaining({
        if: "${{ !cancelled() && (steps.drift.outputs.exit-code == '2' || steps.drift.outputs.exit-code == '1') }}",
        uses: expect.stringMatching(/^actions\/upload-artifact@[0-9a-f]{40}$/),
        with: expect.objectContaining({ name: 'meetctl-drift-report', path: 'drift-full.md', 'if-no-files-found': 'ignore' }),
      }),
    );
    expect(steps.findIndex((s) => s.name === 'Upload the full drift report')).toBeLessThan(steps.findIndex((s) => s.name === 'Open or update the drift issue'));
    expect(runs).toMatch(/gh issue create .*--label "\$LABEL"/);
    expect(runs).toMatch(/gh issue edit/);
    expect(Object.values(wf.jobs)[0].env?.LABEL).toBe('meetctl-drift');
    // Exit 1 fails the drift step; the issue is still written after it.
    expect(named(steps, 'Open or update the drift issue')?.if).toBe("${{ !cancelled() && (steps.drift.outputs.exit-code == '2' || steps.drift.outputs.exit-code == '1') }}");
    expect(named(steps, 'Close the drift issue once in sync')?.if).toBe("steps.drift.outputs.exit-code == '0'");
    expect(emulatorVariant(text)).toHaveLength(1);
  });

  test('the write token only in apply.yml, from a protected environment; plan and drift, which any branch can change, read a read-only token', () => {
    const apply = Object.values(workflow('apply.yml').wf.jobs);
    expect(apply).toHaveLength(1);
    expect(apply[0].environment).toBe('webex-production');
    expect(apply[0].env?.WEBEX_ACCESS_TOKEN).toBe('${{ secrets.WEBEX_WRITE_TOKEN }}');
    for (const name of ['plan.yml', 'drift.yml']) {
      const { wf, text } = workflow(name);
      for (const j of Object.values(wf.jobs)) {
        expect(j.env?.WEBEX_ACCESS_TOKEN, name).toBe('${{ secrets.WEBEX_READ_TOKEN }}');
        expect(j.environment, name).toBeUndefined();
      }
      const code = text.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
      expect(code, name).not.toMatch(/WEBEX_WRITE_TOKEN|secrets\.WEBEX_ACCESS_TOKEN/);
    }
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
    const res = await runShellScript(script, { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR });
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

  test('a tree of your own ids without a snapshot: fails at the plan, showing the plan and saying to take a snapshot', async () => {
    const tree = tempDir('meetctl-own-tree-');
    writeFileSync(join(tree, 'team.yaml'), 'id: 0123456789abcdef0123456789abcdef\ntitle: Team\n');
    const res = await runShellScript(join(CI, 'try-locally.sh'), { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, MEETINGS_DIR: tree });
    expect(res.code).toBe(1);
    expect(res.out).toContain('0123456789abcdef0123456789abcdef was not found (404)');
    expect(res.out).toMatch(/FAILED: plan exited 1; .*take a snapshot: SNAPSHOT=prod\.json/);
  }, 120_000);
});
