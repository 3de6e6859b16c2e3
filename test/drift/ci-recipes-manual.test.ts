/** apply.yml's manual run and apply's refusals of a reviewed plan, run step by step against the emulator. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { meetctlCalls, runScript } from '../action/harness.js';
import { runCli } from '../support/cli.js';
import { HAS_JQ, emulatorVariant, named, workflow, ciSteps } from './ci-support.js';

// Each test runs meetctl several times through bash and node: generous on a shared, noisy machine.
describe('examples/ci workflow steps, run against the emulator (manual run and apply)', { timeout: 180_000 }, () => {
  const ci = ciSteps();
  const { webex, fixtures, step, applyEnv, MANUAL_RUN_URL, reviewedPlan, manualRun, pull, merged, runs, artifacts, applyAndExplain } = ci;

  test('the first meetctl step builds meetctl once for the job and puts it on PATH, for the emulator step', async () => {
    const setup = await step('apply.yml', 'Set up meetctl', applyEnv());
    expect(setup.code).toBe(0);
    expect(setup.npm.map((l) => l.split(': ')[1])).toEqual(['ci --ignore-scripts --no-audit --no-fund --loglevel=error', 'run build --silent']);
    const emulator = emulatorVariant(workflow('apply.yml').text) as { run: string }[];
    // The emulator step's own script, with meetctl from PATH; stopped once it has written its env.
    const started = await runScript(ci.job, emulator[0].run.replace(' &\n', ' & pid=$!\n') + 'kill "$pid"\n');
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
    expect(ci.job.summary).toMatch(new RegExp(`^Plan made by this run from \`${ci.sha}\`, started by octocat, and applied at once by this same run \\(nobody reviewed it in between\\):\n\n### meetctl plan`));

    const applied = await step('apply.yml', 'Apply', applyEnv(), { 'steps.source.outputs.args': found.outputs.args });
    expect(applied.code).toBe(0);
    expect(applied.meetctl).toEqual(['apply plan.json --format markdown --auto-approve --max-plan-age 24h --force --max-changes 10 --full-report apply-full.md']);
    expect(applied.summary).toMatch(/### meetctl apply/);
    expect(readFileSync(join(ci.work, 'apply.md'), 'utf8')).toMatch(/### meetctl apply/);
    // The record keeps the whole report: here, small enough, the same as the summary's.
    expect(readFileSync(join(ci.work, 'apply-full.md'), 'utf8')).toBe(readFileSync(join(ci.work, 'apply.md'), 'utf8'));

    const verified = await step('apply.yml', 'Verify that nothing is left to do', applyEnv());
    expect(verified.code).toBe(0);
    expect(verified.summary).toBe('');
  });

  test('manual run with dry_run: only plans from main and shows it; nothing is applied, nor verified', async () => {
    const ran = await manualRun({ dry_run: 'true', force: 'false', max_changes: '' });
    expect(ran.failed).toBe(false);
    const meetctl = ran.steps.flatMap((x) => meetctlCalls(x.action?.node ?? []));
    expect(meetctl).toEqual(['plan --dir meetings --format markdown --out plan.json --detailed-exitcode']);
    expect(ran.step('Apply').outcome).toBe('skipped');
    expect(ran.step('Verify that nothing is left to do').outcome).toBe('skipped');
    expect(ci.job.summary).toMatch(new RegExp(`^Dry run by octocat: the plan from \`${ci.sha}\` below is shown only, nothing was applied\\. To apply`));
    expect(ci.job.summary).toMatch(/### meetctl plan/);
    // Webex is as it was: a plan now still has the same changes.
    expect((await runCli(['plan', '--dir', join(ci.work, 'meetings'), '--detailed-exitcode'], webex())).code).toBe(2);
  });

  test('manual run without dry_run: its summary says the plan is applied at once, with no review in between', async () => {
    const ran = await manualRun({ dry_run: 'false', force: 'false', max_changes: '' });
    expect(ran.failed).toBe(false);
    expect(ran.step('Apply').outcome).toBe('success');
    expect(ci.job.summary).toMatch(new RegExp(`^Plan made by this run from \`${ci.sha}\`, started by octocat, and applied at once by this same run \\(nobody reviewed it in between\\):`));
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

  test("apply.yml: a mass change refused for --force says the label must be on the PR when it is planned, not added after", async () => {
    const { text } = workflow('apply.yml');
    expect(text).not.toMatch(/or afterwards, then re-run/);
    expect(text).not.toMatch(/add the label \\`\$FORCE_LABEL\\` to the pull request and re-run this job/);
    expect(text).toMatch(/must be on the pull request when its plan runs/);
  });

  test.skipIf(!HAS_JQ)('push without a usable reviewed plan: fails with what to do, never plans on its own', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ [`repos/acme/meetings/commits/${ci.sha}/pulls`]: [] }, /did not come from a pull request merged into `main`/],
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

  test('apply refuses the whole reviewed plan (too old, another base URL, --max-changes): the summary says why and what to do', async () => {
    const planFile = await reviewedPlan();
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { createdAt: string; baseUrl: string };
    const manual = /\*\*What to do:\*\*.*\[Run workflow\]\(https:\/\/github\.com\/acme\/meetings\/actions\/workflows\/meetctl-apply\.yml\)/;
    const env = applyEnv({ MODE: 'reviewed' });
    const args = '--auto-approve --max-plan-age 24h';

    writeFileSync(join(ci.work, 'plan.json'), JSON.stringify({ ...plan, createdAt: '2020-01-01T00:00:00.000Z' }));
    const old = await applyAndExplain(env, args);
    expect(old.applied.code).toBe(1);
    expect(old.applied.outputs['exit-code']).toBe('1');
    expect(old.explained.summary).toMatch(/### Nothing was applied: the plan was made at 2020-01-01T00:00:00.000Z, longer ago than --max-plan-age/);
    expect(old.explained.summary).toMatch(/does not fall back to a plan nobody reviewed/);
    expect(old.explained.summary).toMatch(manual);
    expect(old.explained.out).toMatch(/::error title=meetctl apply::Nothing was applied/);

    writeFileSync(join(ci.work, 'plan.json'), JSON.stringify(plan));
    const foreign = await applyAndExplain({ ...env, WEBEX_BASE_URL: 'http://127.0.0.1:9/v1' }, args);
    expect(foreign.applied.code).toBe(1);
    expect(foreign.explained.summary).toMatch(/### Nothing was applied: the plan was made for http:\/\/127\.0\.0\.1:\d+\/v1, not http:\/\/127\.0\.0\.1:9\/v1/);
    expect(foreign.explained.summary).toMatch(manual);

    const limited = await applyAndExplain(env, `${args} --max-changes 1`);
    expect(limited.applied.code).toBe(1);
    expect(limited.applied.meetctl[0]).toMatch(/--max-changes 1 --full-report apply-full.md$/);
    expect(limited.explained.summary).toMatch(/### Nothing was applied: the plan has \d+ changes, more than --max-changes 1[\s\S]*Raise or clear the limit/);

    // Nothing was changed by any of them: the same plan still applies cleanly.
    const applied = await step('apply.yml', 'Apply', env, { 'steps.source.outputs.args': args });
    expect(applied.code).toBe(0);
  });

  test('apply of a reviewed plan whose meeting changed in Webex since: stale, not applied, and the summary asks for a manual run', async () => {
    const planFile = await reviewedPlan();
    writeFileSync(join(ci.work, 'plan.json'), readFileSync(planFile));
    const id = '1d824a4a205042eba9574e00b711b226';
    const r = await fetch(`${ci.emu.baseUrl}/meetings/${id}`, {
      method: 'PATCH',
      // As Webex documents it: a JSON merge patch body, and the host named by an admin acting for them.
      headers: { authorization: `Bearer ${ci.emu.adminToken}`, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify({ title: 'Renamed in Webex after the review', hostEmail: 'sales.lead@example.com' }),
    });
    expect(r.ok).toBe(true);
    const { applied, explained } = await applyAndExplain(applyEnv({ MODE: 'reviewed' }), '--auto-approve --max-plan-age 24h');
    expect(applied.code).toBe(1);
    expect(applied.summary).toMatch(/### meetctl apply/);
    expect(explained.summary).toMatch(/### 1 meeting\(s\) changed in Webex since the plan was made: their changes were not applied/);
    expect(explained.summary).toMatch(/Nothing unreviewed was applied[\s\S]*\[Run workflow\]/);
    const live = (await (await fetch(`${ci.emu.baseUrl}/meetings/${id}?hostEmail=sales.lead%40example.com`, { headers: { authorization: `Bearer ${ci.emu.adminToken}` } })).json()) as { title: string };
    expect(live.title).toBe('Renamed in Webex after the review');
  });
});
