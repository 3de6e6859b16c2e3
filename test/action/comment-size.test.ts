/**
 * The PR comment and the job summary at their size limits: the action gives meetctl the room a
 * comment leaves (meetctl shortens the plan itself), puts the whole plan in the summary when it
 * fits, and cuts a report only as a last resort. Apart from action.test.ts so that the two run side
 * by side: these plans are thousands of changes.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { EXAMPLES, runCli, tempDir, writeTree } from '../support/cli.js';
import { comments, meetctlCalls, newJob, readAction, runAction, runScript, type ActionStep, type Job } from './harness.js';
import { resolve } from './expressions.js';

const MARKER = '<!-- meetctl:plan:meetings -->';
const RUN_URL = 'https://github.com/acme/meetings/actions/runs/4242';
const GHOST = 'ffffeeeeffffeeeeffffeeeeffffeeee';

/**
 * A plan far over a comment: n one-off meetings in `big/` whose files change the agenda (`file`
 * names each file), and one file whose meeting does not exist, an error.
 */
function bigPlan(n: number, file: (i: number) => string) {
  const now = '2027-01-15T09:00:00Z';
  const meetings = Array.from({ length: n }, (_, i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    return { id: `${i.toString(16).padStart(5, '0')}${'b'.repeat(27)}`, title: `Meeting ${i}`, start: `2027-03-${day}T09:00:00Z`, end: `2027-03-${day}T09:30:00Z`, timezone: 'UTC', agenda: `Old agenda ${i}` };
  });
  const files: Record<string, string> = { 'big/zz-ghost.yaml': `id: ${GHOST}\ntitle: Ghost\n` };
  meetings.forEach((m, i) => (files[`big/${file(i)}`] = `id: ${m.id}\ntitle: ${m.title}\ntimezone: UTC\nstart: ${m.start}\nend: ${m.end}\nagenda: New agenda ${i}\n`));
  return { seed: { now, meetings }, now, files };
}

/** meetctl's last line when it shortened a Markdown report: its count of what it left out. */
const COUNT_LINE = /\n… [\d,]+ more meetings not shown \([\d,]+ characters over [^)]+\); run `meetctl plan` for the full plan\.\n$/;
describe('action.yml: a plan at the size limits of a comment and a job summary', { timeout: 180_000 }, () => {
  let work: string;
  let job: Job;

  beforeEach(async () => {
    work = tempDir('meetctl-action-');
    cpSync(EXAMPLES, join(work, 'meetings'), { recursive: true });
    writeFileSync(join(work, '.event.json'), JSON.stringify({ pull_request: { number: 7, head: { sha: 'c0ffee1234567890abcdef' } } }));
    job = newJob(work, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
  });
  test('a report meetctl did not fit to the room (not markdown) is cut at a whole section as a last resort, with a line saying how much was left out', async () => {
    const section = (i: number) => `<details><summary>meeting ${i}</summary>\n\n${'x'.repeat(900)}\n\n</details>\n\n`;
    let md = '### meetctl plan\n\n';
    for (let i = 0; md.length + section(i).length <= 65_000; i++) md += section(i);
    md = md.replace('\n\n', `\n\n${'y'.repeat(65_536 - md.length - 1)}\n`);
    expect(md.length).toBe(65_536);
    const report = join(job.github.RUNNER_TEMP, 'report.md');
    writeFileSync(report, md);
    const { action } = readAction();
    const ctx: Record<string, string> = { 'inputs.command': 'plan', 'inputs.comment': 'true', 'inputs.dir': 'meetings', 'steps.run.outputs.exit-code': '2', 'steps.run.outputs.report': report, 'inputs.github-token': 'ghs_job_token' };
    for (const id of ['frame', 'comment']) {
      const step = action.runs.steps.find((s) => s.id === id) as ActionStep;
      const run = await runScript(job, step.run ?? '', Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolve(v, ctx)])));
      expect(run.code).toBe(0);
      for (const [k, v] of Object.entries(run.outputs)) ctx[`steps.${id}.outputs.${k}`] = v;
    }
    const [comment] = comments(job);
    expect(comment.body.length).toBeLessThanOrEqual(65_536);
    expect(comment.body.startsWith(`${MARKER}\n### meetctl plan`)).toBe(true);
    const m = /<\/details>\n\n\n… cut to fit a comment: the last ([\d,]+) characters of the report are left out; the log of https:\/\/github\.com\/acme\/meetings\/actions\/runs\/4242 holds all of it\.\n\n<sub>Planned from .*<\/sub>\n$/.exec(comment.body);
    expect(m).not.toBeNull();
    const kept = comment.body.indexOf('\n\n… cut to fit');
    expect(md.startsWith(comment.body.slice(`${MARKER}\n`.length, kept))).toBe(true);
    expect(Number(m?.[1].replace(/,/g, ''))).toBe(`${MARKER}\n`.length + md.length - kept);
  });

  test("a plan of thousands of changes and an error: the comment is meetctl's own shortened plan, its Errors and its count line kept, and the job summary holds the whole plan, as the comment says", async () => {
    const { seed, now, files } = bigPlan(2_000, (i) => `m-${String(i).padStart(5, '0')}.yaml`);
    const big = await startEmulator({ seed, now });
    try {
      writeTree(work, files);
      const run = await runAction(job, { command: 'plan', dir: 'big', token: big.adminToken, 'base-url': big.baseUrl, 'plan-file': 'big.json' });
      expect(run.outputs['exit-code']).toBe('1');
      const [comment] = comments(job);
      expect(comment.body.length).toBeLessThanOrEqual(65_536);
      expect(comment.body).toContain('\n#### Errors\n\n');
      expect(comment.body).toContain(GHOST);
      const report = readFileSync(run.outputs.report, 'utf8');
      expect(report).toMatch(COUNT_LINE);
      // Nothing of meetctl's report is cut: the comment is all of it, then where the rest is, then the footer.
      expect(comment.body.startsWith(`<!-- meetctl:plan:big -->\n${report}\nThe whole plan is in the job summary of ${RUN_URL}.\n\n<sub>Planned from `)).toBe(true);
      expect(comment.body).not.toContain('cut to fit');

      // The summary is the whole plan: the saved plan as show prints it with no limit near.
      const whole = await runCli(['show', join(work, 'big.json'), '--format', 'markdown', '--max-chars', String(1e8)]);
      expect(whole.stdout).not.toMatch(/ not shown /);
      expect(whole.stdout.match(/<details><summary>~ series /g)).toHaveLength(2_000);
      expect(whole.stdout).toContain('\n#### Errors\n\n');
      expect(job.summary).toBe(whole.stdout);
      expect(meetctlCalls(run.node).slice(1)).toEqual(['show big.json --format markdown --max-chars 1048576']);
    } finally {
      await big.close();
    }
  });

  test('a plan whose Markdown passes even 1 MiB: the job summary holds what fits and says what it left out, and the comment says so and points to the saved plan', async () => {
    // Long paths make each meeting's section long, so that fewer meetings pass 1 MiB.
    const { seed, now, files } = bigPlan(1_600, (i) => `${'d'.repeat(240)}/${'f'.repeat(230)}-${i}.yaml`);
    const big = await startEmulator({ seed, now });
    try {
      writeTree(work, files);
      const run = await runAction(job, { command: 'plan', dir: 'big', token: big.adminToken, 'base-url': big.baseUrl, 'plan-file': 'big.json' });
      expect(run.outputs['exit-code']).toBe('1');
      const [comment] = comments(job);
      const report = readFileSync(run.outputs.report, 'utf8');
      expect(comment.body.length).toBeLessThanOrEqual(65_536);
      expect(comment.body).toContain('\n#### Errors\n\n');
      expect(report).toMatch(COUNT_LINE);
      expect(comment.body.startsWith(`<!-- meetctl:plan:big -->\n${report}\nThe job summary of ${RUN_URL} holds more of the plan, and the plan file that run saved holds all of it (\`meetctl show FILE\` prints it).\n\n<sub>`)).toBe(true);
      // GitHub's limit is 1 MiB of UTF-8; meetctl kept the errors and ends with its count.
      expect(Buffer.byteLength(job.summary)).toBeLessThanOrEqual(1_048_576);
      expect(job.summary.length).toBeGreaterThan(report.length * 5);
      expect(job.summary).toContain('\n#### Errors\n\n');
      expect(job.summary).toMatch(COUNT_LINE);
      // 1 MiB of characters was more than 1 MiB of UTF-8 (“ ” and · take more than a byte): shown again in a room that holds.
      expect(meetctlCalls(run.node).slice(1)).toEqual(['show big.json --format markdown --max-chars 1048576', 'show big.json --format markdown --max-chars 349525']);
      expect(job.summary).toMatch(/characters over --max-chars 349,525\)/);
      const text = await runCli(['show', join(work, 'big.json')]);
      expect(text.stdout.match(/^ {2}~ series /gm)).toHaveLength(1_600);
    } finally {
      await big.close();
    }
  });
});
