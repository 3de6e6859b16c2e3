/** plan.yml on a pull request and drift.yml's nightly issue, run step by step against the emulator. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateSeed, startEmulator } from '../../emulator/index.js';
import { comments, gitTree, newJob } from '../action/harness.js';
import { HAS_JQ, ciSteps } from './ci-support.js';

// Each test runs meetctl several times through bash and node: generous on a shared, noisy machine.
describe('examples/ci workflow steps, run against the emulator (pull request and drift)', { timeout: 180_000 }, () => {
  const ci = ciSteps();
  const { webex, fixtures, step, pull, runs, planJob } = ci;

  test.skipIf(!HAS_JQ)('plan.yml, the whole job: the labels the pull request has when it is planned are recorded beside the plan', async () => {
    fixtures({ api: { 'repos/acme/meetings/pulls/7': { number: 7, labels: [{ name: 'meetctl-force' }, { name: 'docs' }] } } });
    const ran = await planJob();
    expect(ran.failed).toBe(false);
    expect(JSON.parse(readFileSync(join(ci.work, 'plan-source.json'), 'utf8')).labels).toEqual(['meetctl-force', 'docs']);
  });

  test.skipIf(!HAS_JQ)('plan.yml, the whole job: plan.json and, beside it in the artifact, the meetings/ tree it was planned from', async () => {
    fixtures({ api: { 'repos/acme/meetings/pulls/7': { number: 7, labels: [] } } });
    const ran = await planJob();
    expect(ran.failed).toBe(false);
    const upload = ran.steps.find((x) => x.with?.name === 'meetctl-plan');
    expect(upload?.outcome).toBe('success');
    expect(upload?.with?.path.split('\n').filter(Boolean)).toEqual(['plan.json', 'plan-source.json']);
    expect(JSON.parse(readFileSync(join(ci.work, 'plan-source.json'), 'utf8'))).toEqual(expect.objectContaining({ dir: 'meetings', tree: gitTree(ci.work, 'HEAD'), commit: ci.sha, headSha: 'c2', pullRequest: 7 }));
    // The saved plan keeps its format: nothing was added to it.
    expect(Object.keys(JSON.parse(readFileSync(join(ci.work, 'plan.json'), 'utf8'))).sort()).toEqual(['baseUrl', 'changes', 'controls', 'createdAt', 'formatVersion', 'notes', 'orphans', 'summary']);
  });

  test.skipIf(!HAS_JQ)('drift.yml: exit 1 (a managed meeting is gone: 404) fails the check, then opens the issue as an error, not drift', async () => {
    const ghost = '00000000000000000000000000000abc';
    const board = readFileSync(join(ci.work, 'meetings', 'leadership', 'board-review.yaml'), 'utf8');
    writeFileSync(join(ci.work, 'meetings', 'leadership', 'gone.yaml'), board.replace(/^id: .*$/m, `id: ${ghost}`));

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
    const body = readFileSync(join(ci.work, 'issue.md'), 'utf8');
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
      rmSync(join(ci.work, 'meetings'), { recursive: true });
      mkdirSync(join(ci.work, 'meetings'));
      for (const id of big.listSeriesIds()) {
        const m = big.getMeeting(id)!;
        writeFileSync(join(ci.work, 'meetings', `${id}.yaml`), `id: ${id}\nhostEmail: ${String(m.hostEmail)}\ntitle: ${JSON.stringify(`${String(m.title).slice(0, 80)} as the file says`)}\n`);
      }
      writeFileSync(join(ci.work, 'meetings', 'gone.yaml'), 'id: 00000000000000000000000000000abc\ntitle: Gone\n');
      const env = { WEBEX_BASE_URL: big.baseUrl, WEBEX_ACCESS_TOKEN: big.adminToken };
      const check = await step('drift.yml', 'Check for drift', env);
      expect(check.outputs['exit-code']).toBe('1');
      fixtures({ issues: [] });
      const opened = await step('drift.yml', 'Open or update the drift issue', { CODE: '1', LOG: check.outputs.log });
      expect(opened.code).toBe(0);
      const body = readFileSync(join(ci.work, 'issue.md'), 'utf8');
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body).toMatch(/\*\*This is an error, not drift:\*\*/);
      expect(body).toMatch(/#### Errors[\s\S]*00000000000000000000000000000abc/);
      // meetctl's own count of what it left out, not the recipe's last-resort cut, then where the rest is.
      const [counted, pointer] = body.trimEnd().split('\n').slice(-3).filter((line) => line !== '');
      expect(counted).toMatch(/^… [\d,]+ more entries not shown \([\d,]+ characters over --max-chars 64,000\)/);
      expect(pointer).toBe('The whole report is `drift-full.md` in the artifact `meetctl-drift-report` of [this run](https://github.com/acme/meetings/actions/runs/4242).');
      expect(body).not.toMatch(/cut to fit an issue/);
      // The artifact's file: every series the issue left out is in it.
      const whole = readFileSync(join(ci.work, 'drift-full.md'), 'utf8');
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
    expect(readFileSync(join(ci.work, 'issue.md'), 'utf8')).toBe(readFileSync(join(ci.work, 'drift.md'), 'utf8'));
    expect(readFileSync(join(ci.work, 'issue.md'), 'utf8')).toMatch(/^### meetctl drift/);
    expect(opened.out).not.toMatch(/::error/);
  });

  test.skipIf(!HAS_JQ)('plan.yml on a pull request: the plan as one PR comment that the next push updates', async () => {
    writeFileSync(join(ci.work, '.event.json'), JSON.stringify({ pull_request: { number: 7 } }));
    ci.job = newJob(ci.work, { GITHUB_EVENT_NAME: 'pull_request' });
    const setUp = await step('plan.yml', 'Set up meetctl', webex());
    expect(setUp.code).toBe(0);
    expect(setUp.meetctl).toEqual([]);
    const planned = await step('plan.yml', 'Plan', webex());
    expect(planned.code).toBe(0);
    expect(planned.outputs).toEqual(expect.objectContaining({ 'exit-code': '2', 'has-changes': 'true', 'plan-file': 'plan.json' }));
    expect(existsSync(join(ci.work, 'plan.json'))).toBe(true);
    expect(planned.gh.filter((c) => c.args.includes('POST')).map((c) => c.args[3])).toEqual(['repos/acme/meetings/issues/7/comments']);
    const again = await step('plan.yml', 'Plan', webex());
    expect(again.gh.some((c) => c.args.includes('POST'))).toBe(false);
    expect(again.gh.filter((c) => c.args.includes('PATCH')).map((c) => c.args[3])).toEqual([`repos/acme/meetings/issues/comments/${planned.outputs['comment-id']}`]);
  });

  test.skipIf(!HAS_JQ)('plan.yml, the whole job: files that do not validate replace the last plan comment with the table of problems', async () => {
    const MARKER = '<!-- meetctl:plan:meetings -->';
    writeFileSync(join(ci.work, 'meetings', 'sales', 'defaults.yaml'), 'durationMinutes: 5\n');
    fixtures({ comments: [{ id: 1000, issue: 7, user: { login: 'github-actions[bot]', type: 'Bot' }, body: `${MARKER}\n### meetctl plan\n\nthe plan of the previous commit` }] });
    const ran = await planJob();
    expect(ran.failed).toBe(true);
    const all = comments(ci.job);
    expect(all).toHaveLength(1);
    expect(all[0].body).not.toMatch(/the plan of the previous commit/);
    expect(all[0].body).toMatch(/^<!-- meetctl:plan:meetings -->\n### meetctl plan\n\n\*\*Nothing was planned:\*\* the files do not validate \(1 error\)/);
    expect(all[0].body).toMatch(/\| error \| `meetings\/sales\/defaults\.yaml:1:1` \| unknown field 'durationMinutes' \|/);
    // Nothing is uploaded for apply.
    expect(ran.steps.filter((x) => x.with?.name === 'meetctl-plan').map((x) => x.outcome)).toEqual([]);
  });
});
