/**
 * Webex's five-year caps and first-value truncation, end to end against the emulator: the plan
 * sends the rule exactly as Webex stores it, with a warning; after apply the next plan is empty
 * and still carries the warning, on a change that sends nothing.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const WEEKLY = 'a1000000000000000000000000000001';
const UNTIL = 'a1000000000000000000000000000002';
const MONTHLY = 'a1000000000000000000000000000003';
const CAP_DAY = 'a1000000000000000000000000000004';

const series = (id: string, title: string, recurrence: string) => ({
  id,
  title,
  timezone: 'Europe/Berlin',
  start: '2027-03-02T09:00:00+01:00',
  end: '2027-03-02T09:30:00+01:00',
  recurrence,
});

const seed = {
  now: NOW,
  meetings: [
    series(WEEKLY, 'Weekly', 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20'),
    series(UNTIL, 'Daily until', 'FREQ=DAILY;INTERVAL=1;COUNT=20'),
    series(MONTHLY, 'Monthly', 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=12'),
    series(CAP_DAY, 'Daily to the cap day', 'FREQ=DAILY;INTERVAL=1;COUNT=20'),
  ],
};

const file = (id: string, recurrence: string) => `id: ${id}\nrecurrence: ${recurrence}\n`;

const files = {
  'weekly.yaml': file(WEEKLY, 'FREQ=WEEKLY;BYDAY=TU;COUNT=400'),
  // Eight years after the emulator's now.
  'until.yaml': file(UNTIL, 'FREQ=DAILY;UNTIL=20350115T000000Z'),
  'monthly.yaml': file(MONTHLY, 'FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=12'),
  // On the cap day, later than the time of day of "now" but not later than that day: Webex keeps it.
  'cap-day.yaml': file(CAP_DAY, 'FREQ=DAILY;UNTIL=20320115T200000Z'),
};

// The limit is the date of the last meeting: the Tuesdays from 2027-03-02 that start within five years.
const WEEKLY_WARNING = 'recurrence: Webex ends a series at most five years from now: COUNT=400 becomes COUNT=255 (the last meeting on 2032-01-13 instead of 2034-10-24).';
const UNTIL_WARNING = 'recurrence: Webex ends a series at most five years from now: UNTIL=20350115T000000Z becomes UNTIL=20320115T235959Z.';
const MONTHLY_WARNING = 'recurrence: Webex keeps only the first BYMONTHDAY of a MONTHLY rule: BYMONTHDAY=1,15 becomes BYMONTHDAY=1.';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup() {
  emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
  const dir = writeTree(tempDir(), files);
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
  return { emu, dir, env };
}

interface PlanChange {
  id: string;
  file: string;
  action: string;
  patch: Record<string, unknown>;
  before: Record<string, unknown>;
  warnings: string[];
}

function byId(plan: { changes: PlanChange[] }): Record<string, PlanChange> {
  return Object.fromEntries(plan.changes.map((c) => [c.id, c]));
}

describe('recurrence caps against the emulator', () => {
  test('validate warns at the rule and exits 0 (its "now" is the local clock)', async () => {
    const { dir } = await setup();
    const res = await runCli(['validate', '--dir', dir]);
    expect(res.code).toBe(0);
    // The file gives no start: where the meetings fall is the live series', so only the documented count is said.
    expect(res.stdout).toContain(`${dir}/weekly.yaml:2:13: warning: COUNT=400 may be more than Webex keeps: a series ends at most five years from now (261 meetings of a WEEKLY rule`);
    expect(res.stdout).toMatch(/until\.yaml:2:13: warning: UNTIL=20350115T000000Z is more than five years from now.*\(recurrence\)/);
    expect(res.stdout).toMatch(/monthly\.yaml:2:13: warning: Webex keeps only the first BYMONTHDAY of a MONTHLY rule \(1\) \(recurrence\)/);
  });

  test('plan sends the capped rule with a warning; after apply the next plan is empty and still warns', async () => {
    const { emu, dir, env } = await setup();
    const first = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], env);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(2);
    const plan = JSON.parse(first.stdout);
    expect(plan.summary).toEqual({ create: 0, update: 3, delete: 0, noop: 1, notUpdatable: 0, error: 0, warnings: 3 });
    const changes = byId(plan);
    expect(changes[WEEKLY]).toMatchObject({
      action: 'update',
      patch: { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=255' },
      before: { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20' },
      warnings: [WEEKLY_WARNING],
    });
    expect(changes[UNTIL]).toMatchObject({
      action: 'update',
      patch: { recurrence: 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115T235959Z' },
      before: { recurrence: 'FREQ=DAILY;INTERVAL=1;COUNT=20' },
      warnings: [UNTIL_WARNING],
    });
    expect(changes[CAP_DAY]).toMatchObject({
      action: 'update',
      patch: { recurrence: 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115T200000Z' },
      warnings: [],
    });
    expect(changes[MONTHLY]).toMatchObject({ action: 'noop', patch: {}, warnings: [MONTHLY_WARNING] });

    const applied = await runCli(['apply', '--dir', dir, '--auto-approve', '--force', '--format', 'json'], env);
    expect(applied.code).toBe(0);
    const report = JSON.parse(applied.stdout);
    expect(report.counts.applied).toBe(3);
    // The emulator stored exactly what the plan predicted, and said nothing about it.
    for (const id of [WEEKLY, UNTIL, CAP_DAY]) expect(emu.getMeeting(id)?.recurrence).toBe(changes[id].patch.recurrence);
    expect(report.outcomes.flatMap((o: { warnings: string[] }) => o.warnings)).toEqual([]);

    const second = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], env);
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout);
    expect(again.summary).toEqual({ create: 0, update: 0, delete: 0, noop: 4, notUpdatable: 0, error: 0, warnings: 3 });
    const after = byId(again);
    expect(after[WEEKLY]).toMatchObject({ action: 'noop', patch: {}, warnings: [WEEKLY_WARNING] });
    expect(after[UNTIL]).toMatchObject({ action: 'noop', patch: {}, warnings: [UNTIL_WARNING] });
    expect(after[MONTHLY]).toMatchObject({ action: 'noop', patch: {}, warnings: [MONTHLY_WARNING] });
    expect(after[CAP_DAY]).toMatchObject({ action: 'noop', patch: {}, warnings: [] });

    // The text and Markdown plans show the warnings of the unchanged meetings, briefly, not as a diff.
    const text = await runCli(['plan', '--dir', dir], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('0 to update, 4 unchanged, 0 not updatable, 0 errors · 3 warnings');
    expect(text.stdout).toContain(`! ${dir}/weekly.yaml: ${WEEKLY_WARNING}`);
    expect(text.stdout).toContain(`! ${dir}/until.yaml: ${UNTIL_WARNING}`);
    expect(text.stdout).not.toContain('~');
    const md = await runCli(['plan', '--dir', dir, '--format', 'markdown'], env);
    expect(md.stdout).toContain('| 0 | 4 | 0 | 0 | 3 |');
    expect(md.stdout).toContain('#### Warnings on unchanged meetings');
    expect(md.stdout).not.toContain('<details>');
  });

  test('a MONTHLY rule that matches the live one but for its second BYMONTHDAY: no update, the warning in the JSON plan', async () => {
    const { dir, env } = await setup();
    const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--target', MONTHLY, '--detailed-exitcode'], env);
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout);
    expect(plan.summary).toEqual({ create: 0, update: 0, delete: 0, noop: 1, notUpdatable: 0, error: 0, warnings: 1 });
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ id: MONTHLY, action: 'noop', patch: {}, before: {}, warnings: [MONTHLY_WARNING] });
  });
});
