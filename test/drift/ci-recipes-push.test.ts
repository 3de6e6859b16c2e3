/** apply.yml on a push to main: which reviewed plan is applied, and when nothing is, run step by step against the emulator. */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gitCommit, gitTree, newJob } from '../action/harness.js';
import { EXAMPLES } from '../support/cli.js';
import { HAS_JQ, workflow, ciSteps } from './ci-support.js';

// Each test runs meetctl several times through bash and node: generous on a shared, noisy machine.
describe('examples/ci workflow steps, run against the emulator (push)', { timeout: 180_000 }, () => {
  const ci = ciSteps();
  const { fixtures, step, applyEnv, MANUAL_RUN_URL, reviewedArtifact, pull, merged, runs, artifacts } = ci;

  test.skipIf(!HAS_JQ)('push: applies the plan reviewed on the merged PR; its meetctl-force label, on the PR when it was planned, passes --force', async () => {
    fixtures({ api: { ...merged(['meetctl-force']), ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) }, artifact: await reviewedArtifact({ labels: ['meetctl-force'] }) });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(0);
    expect(found.outputs).toEqual({ force: 'true', args: '--auto-approve --max-plan-age 24h --force', mode: 'reviewed' });
    expect(found.gh.find((c) => c.args[0] === 'run')?.args).toEqual(['run', 'download', '98', '--name', 'meetctl-plan', '--dir', expect.any(String)]);
    expect(existsSync(join(ci.work, 'plan.json'))).toBe(true);
    expect(found.summary).toMatch(/Applying the plan reviewed on pull request #7 \(\[plan run 98\]/);

    const applied = await step('apply.yml', 'Apply', applyEnv(), { 'steps.source.outputs.args': found.outputs.args });
    expect(applied.code).toBe(0);
    expect(applied.meetctl).toEqual(['apply plan.json --format markdown --auto-approve --max-plan-age 24h --force --full-report apply-full.md']);
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

    rmSync(join(ci.work, 'plan.json'));
    ci.job = newJob(ci.work, { GITHUB_SHA: ci.sha });
    fixtures({ api: { ...api, ...merged() }, artifact: await reviewedArtifact({ labels: ['meetctl-force'] }) });
    const removed = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(removed.outputs).toEqual(expect.objectContaining({ force: 'false', mode: 'reviewed' }));
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

  test.skipIf(!HAS_JQ)('push: only a pull request merged into this branch, by this very commit, is the one whose plan was reviewed', async () => {
    const intoDevelop = { ...pull(), number: 8, base: { ref: 'develop' } };
    const containsIt = { ...pull(), number: 9, merge_commit_sha: '0ther' };
    for (const prs of [[intoDevelop], [containsIt], [{ ...pull(), merged_at: null }]]) {
      const commits = { 'repos/acme/meetings/pulls/8/commits': [{ sha: 'c2' }], 'repos/acme/meetings/pulls/9/commits': [{ sha: 'c2' }] };
      fixtures({ api: { ...merged(), ...commits, [`repos/acme/meetings/commits/${ci.sha}/pulls`]: prs, ...runs(), ...artifacts([{ name: 'meetctl-plan', expired: false }]) }, artifact: await reviewedArtifact() });
      const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
      expect(found.code, JSON.stringify(prs)).toBe(1);
      expect(found.summary).toMatch(new RegExp(`Commit \`${ci.sha}\` did not come from a pull request merged into \`main\``));
      expect(found.outputs.mode).toBeUndefined();
      expect(existsSync(join(ci.work, 'plan.json'))).toBe(false);
    }
    // Among the pull requests of the commit, the one merged into main by it.
    fixtures({ api: { ...merged(), [`repos/acme/meetings/commits/${ci.sha}/pulls`]: [intoDevelop, containsIt, pull()], ...runs(), ...artifacts([]) } });
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
      expect(existsSync(join(ci.work, 'plan.json'))).toBe(false);
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
      expect(existsSync(join(ci.work, 'plan.json'))).toBe(false);
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
    const board = join(ci.work, 'meetings', 'leadership', 'board-review.yaml');
    writeFileSync(board, readFileSync(board, 'utf8').replace(/^title: .*$/m, 'title: Board Review (renamed by the other PR)'));
    const planned = gitTree(ci.work, ci.sha);
    ci.sha = gitCommit(ci.work, 'the other PR');
    ci.job = newJob(ci.work, { GITHUB_SHA: ci.sha });
    fixtures({ api: { ...api, ...merged() }, artifact });
    const found = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(found.code).toBe(1);
    expect(found.summary).toMatch(/^### meetctl apply: nothing was applied/);
    expect(found.summary).toContain(`main moved since the plan was made: \`meetings/\` at \`${ci.sha}\` (tree \`${gitTree(ci.work, ci.sha)}\`) is not the \`meetings/\` the reviewed plan was made from (tree \`${planned}\``);
    expect(found.summary).toMatch(/\*\*What to do:\*\* [^\n]*re-plan/);
    expect(found.outputs.mode).toBeUndefined();
    expect(found.meetctl).toEqual([]);
    expect(existsSync(join(ci.work, 'plan.json'))).toBe(false);

    // A later commit that leaves meetings/ as planned (here: put the title back): the plan applies.
    writeFileSync(board, readFileSync(join(EXAMPLES, 'leadership', 'board-review.yaml')));
    ci.sha = gitCommit(ci.work, 'revert the other PR');
    ci.job = newJob(ci.work, { GITHUB_SHA: ci.sha });
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
      rmSync(join(ci.work, 'plan.json'), { force: true });
      ci.job = newJob(ci.work, { GITHUB_SHA: ci.sha });
      const dir = join(ci.work, `artifact-${Object.keys(bad)[0]}`);
      cpSync(artifact, dir, { recursive: true });
      writeFileSync(join(dir, 'plan-source.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(artifact, 'plan-source.json'), 'utf8')), ...bad }));
      fixtures({ api: { ...api, ...merged() }, artifact: dir });
      const refused = await step('apply.yml', 'Find the reviewed plan', applyEnv());
      expect(refused.code, String(reason)).toBe(1);
      expect(refused.summary).toMatch(reason);
      expect(existsSync(join(ci.work, 'plan.json'))).toBe(false);
    }
    rmSync(join(artifact, 'plan-source.json'));
    ci.job = newJob(ci.work, { GITHUB_SHA: ci.sha });
    fixtures({ api: { ...api, ...merged() }, artifact });
    const none = await step('apply.yml', 'Find the reviewed plan', applyEnv());
    expect(none.code).toBe(1);
    expect(none.summary).toMatch(/has no plan-source\.json beside plan\.json/);
  });
});
