/**
 * Issue 15: every format shows the three sent actions — `+` create with the body it sends, `~`
 * update, `-` delete said plainly — deletions first, and the orphans a plan without --prune leaves.
 */
import { describe, expect, it } from 'vitest';
import { makePlan, type Change } from '../../core/plan.js';
import { planAnnotations } from '../../core/render/annotations.js';
import { planClosing, planSummaryLine } from '../../core/render/changes.js';
import { renderApplyJson, renderApplyMarkdown, renderApplyText, renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { serializePlan } from '../../core/saved-plan.js';
import { BASE_URL, change, CREATED, giantPlan, lifecyclePlan, lifecycleReport, NOW, PRUNED, WORDS } from './fixtures.js';
import { expectGolden } from './golden.js';

const HERE = { cwd: '/work/repo' };
const text = (plan = lifecyclePlan()) => renderPlanText(plan, { color: false, words: WORDS });
const markdown = (plan = lifecyclePlan(), maxChars?: number) => renderPlanMarkdown(plan, { words: WORDS, ...(maxChars === undefined ? {} : { maxChars }) });

/** Positions of `needles` in `haystack`, all found and in this order. */
function expectInOrder(haystack: string, needles: string[]): void {
  const at = needles.map((n) => haystack.indexOf(n));
  needles.forEach((n, i) => expect(at[i], n).toBeGreaterThanOrEqual(0));
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

function creates(count: number): Change[] {
  return Array.from({ length: count }, (_, i) =>
    change({ id: `new:k${i}`, key: `k${i}`, action: 'create', file: `meetings/k${i}.yaml`, label: `K ${i}`, patch: { title: `K ${i}` }, fingerprint: '' }),
  );
}

describe('a plan that creates, updates, cancels and prunes', () => {
  it('text: deletions first and plainly, then the create with its body, then the update; orphans listed (golden)', () => {
    const out = text();
    expectGolden('plan-lifecycle.txt', out);
    expect(out.split('\n')[0]).toBe('meetctl plan — 1 to create, 1 to update, 2 to delete, 3 unchanged, 0 not updatable, 0 errors · 0 warnings');
    expectInOrder(out, [
      `- delete series ${PRUNED}  "Old retro"  (key old-retro: no file declares it) — cannot be recovered`,
      '- cancel scheduledMeeting ',
      '+ meetings/eng/planning.yaml\n  + create series eng-planning  "Eng planning"\n      + title: "Eng planning"',
      '      + password: (sensitive)',
      '~ meetings/sales/weekly-sales-sync.yaml',
      'Orphaned (owned, no file declares them): 1\n  old-standup  7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e  "Old standup"\nWith --prune',
    ]);
    expect(renderPlanText(lifecyclePlan(), { color: true, words: WORDS })).toContain('\u001b[31m-\u001b[39m');
  });

  it('markdown: the counts with create and delete columns, deletions first and never folded (golden)', () => {
    const md = markdown();
    expectGolden('plan-lifecycle.md', md);
    expect(md).toContain('| Create | Update | Delete | Unchanged | Not updatable | Errors | Warnings |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| 1 | 1 | 2 | 3 | 0 | 0 | 0 |');
    expectInOrder(md, [
      '#### To delete (cannot be recovered)',
      `- \\- **delete** series \`${PRUNED}\``,
      '- \\- **cancel** scheduledMeeting',
      '<details open><summary>+ create series <code>eng-planning</code>',
      '| `password` | (sensitive) |',
      '<details open><summary>~ series',
      '#### Orphaned (owned, no file declares them): 1',
    ]);
    expect(md.slice(0, md.indexOf('<details'))).not.toContain('<details');
  });

  it('json: the saved-plan file, with the actions, key, prune, orphans and owned (golden)', () => {
    const json = renderPlanJson(lifecyclePlan());
    expect(json).toBe(serializePlan(lifecyclePlan()));
    expectGolden('plan-lifecycle.json', json);
    const parsed = JSON.parse(json) as { changes: Change[]; orphans: unknown[]; owned: number; summary: Record<string, number> };
    expect(parsed.changes.filter((c) => c.action !== 'noop').map((c) => c.action).sort()).toEqual(['create', 'delete', 'delete', 'update']);
    expect(parsed.summary).toMatchObject({ create: 1, update: 1, delete: 2 });
    expect(parsed.orphans).toHaveLength(1);
    expect(parsed.owned).toBe(12);
  });

  it('github: each deletion is an annotation, first; orphans are notices; creates and updates are not problems (golden)', () => {
    const out = planAnnotations(lifecyclePlan(), HERE, 'plan', WORDS);
    expectGolden('github-plan-lifecycle.txt', out);
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`::warning title=meetctl plan::series ${PRUNED} "Old retro": delete: no file declares it; cannot be recovered`);
    expect(lines[1]).toMatch(/^::warning file=meetings\/sales\/weekly-sales-sync\.yaml,line=1,title=meetctl plan::scheduledMeeting \S+ "Weekly Sales Sync": cancel: cannot be recovered$/);
    expect(lines[2]).toMatch(/^::notice title=meetctl plan::orphaned 7e7e\S+ "Old standup" \(key old-standup\): no file declares it; --prune would delete it$/);
  });

  it('never prints the value of a sensitive field of a create, in text, markdown or annotations', () => {
    for (const out of [text(), markdown(), planAnnotations(lifecyclePlan(), HERE, 'plan', WORDS)]) {
      expect(out).not.toContain('ENG_PLANNING_PASSWORD');
    }
  });

  it('core knows no provider word: without the provider\'s kind words a delete of any kind is a "delete"', () => {
    const plain = renderPlanText(lifecyclePlan(), { color: false, words: { ...WORDS, kinds: {} } });
    expect(plain).toContain('- delete scheduledMeeting ');
    expect(plain).not.toContain('cancel');
  });
});

describe('the summary, the closing line and the open sections count creates and deletes', () => {
  it('the summary line reads as before without creates and deletes, and names them otherwise', () => {
    const summary = { create: 0, update: 2, delete: 0, noop: 1, notUpdatable: 0, error: 0, warnings: 0 };
    expect(planSummaryLine(summary)).toBe('2 to update, 1 unchanged, 0 not updatable, 0 errors · 0 warnings');
    expect(planSummaryLine({ ...summary, delete: 1 })).toBe('0 to create, 2 to update, 1 to delete, 1 unchanged, 0 not updatable, 0 errors · 0 warnings');
  });

  it('a plan that only deletes or only creates is not "no changes", and tells about emails', () => {
    const deleting = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [change({ id: PRUNED, key: 'old', action: 'delete', prune: true, file: '' })] });
    const creating = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: creates(1) });
    for (const plan of [deleting, creating]) expect(planClosing(plan, WORDS)).toBe('Invitees will not be emailed (pass --send-email to apply to notify them).');
  });

  it('orphans alone are nothing to apply, but not a plan that matches', () => {
    const plan = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [], orphans: [{ id: PRUNED, key: 'old' }] });
    expect(planClosing(plan, WORDS)).toBe('No changes to apply.');
    expect(text(plan)).toContain('Orphaned (owned, no file declares them): 1\n  old  6d6d');
  });

  it('a pruning plan shows its deletes, and no orphans section', () => {
    const plan = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [change({ id: PRUNED, key: 'old', action: 'delete', prune: true, file: '' })] });
    expect(text(plan)).toContain(`- delete series ${PRUNED}  (key old: no file declares it) — cannot be recovered`);
    expect(text(plan)).not.toContain('Orphaned');
    expect(markdown(plan)).toContain(`- \\- **delete** series \`${PRUNED}\` · key \`old\`: no file declares it`);
    expect(markdown(plan)).not.toContain('Orphaned');
  });

  it('markdown sections are open up to SMALL_PLAN changes sent, creates included', () => {
    const plan = (n: number) => makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: creates(n) });
    expect(markdown(plan(10))).toContain('<details open>');
    expect(markdown(plan(11))).not.toContain('<details open>');
  });

  it('a comment too long for GitHub keeps every deletion and drops updates first', () => {
    const big = giantPlan(300);
    const removed = Array.from({ length: 5 }, (_, i) => change({ id: `gone${i}`, key: `gone-${i}`, action: 'delete', prune: true, file: '', label: `Gone ${i}` }));
    const md = markdown(makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [...big.changes, ...removed] }), 10_000);
    expect(md.length).toBeLessThanOrEqual(10_000);
    for (let i = 0; i < 5; i++) expect(md).toContain(`\`gone${i}\``);
    expect(md.trimEnd().split('\n').at(-1)).toMatch(/^… \d+ more meetings not shown/);
  });
});

describe('an apply report with created and deleted outcomes', () => {
  it('text: "- deleted", "- cancelled", then "+ created" with the id the server gave and the key (golden)', () => {
    const out = renderApplyText(lifecycleReport(), { color: false, words: WORDS });
    expectGolden('apply-lifecycle.txt', out);
    expectInOrder(out, [
      `- deleted series ${PRUNED}  "Old retro"\n`,
      '- cancelled scheduledMeeting ',
      `+ created series ${CREATED} (eng-planning)  "Eng planning"  meetings/eng/planning.yaml\n`,
      'Apply complete.',
    ]);
    expect(out).not.toContain('new:eng-planning');
  });

  it('a cancel planned on a series this apply created is named by the id it was sent to, not its placeholder', () => {
    const report = lifecycleReport();
    const cancel = { ...report.outcomes[2], id: 'new:eng-planning_20270408T070000Z', sentTo: `${CREATED}_20270408T070000Z` };
    const withCancel = { ...report, outcomes: [...report.outcomes, cancel] };
    for (const out of [renderApplyText(withCancel, { color: false, words: WORDS }), renderApplyMarkdown(withCancel, { words: WORDS })]) {
      expect(out).toContain(`${CREATED}_20270408T070000Z`);
      expect(out).not.toContain('new:eng-planning_');
    }
  });

  it('markdown: applied sections deletions first, the create under its new id, secrets masked (golden)', () => {
    const md = renderApplyMarkdown(lifecycleReport(), { words: WORDS });
    expectGolden('apply-lifecycle.md', md);
    expectInOrder(md, [
      `<details><summary>- deleted series <code>${PRUNED}</code> “Old retro”</summary>\n\nDeleted; it cannot be recovered.`,
      '<details><summary>- cancelled scheduledMeeting',
      `<details><summary>+ created series <code>${CREATED}</code> (<code>eng-planning</code>) “Eng planning”`,
      '| `password` | (sensitive) |',
      '<details><summary>✓ series',
    ]);
  });

  it('json: each outcome carries its action, and a create its createdId (golden)', () => {
    const json = renderApplyJson(lifecycleReport());
    expectGolden('apply-lifecycle.json', json);
    const outcomes = (JSON.parse(json) as ReturnType<typeof lifecycleReport>).outcomes;
    expect(outcomes.map((o) => [o.action, o.createdId])).toEqual([
      ['create', CREATED],
      ['update', undefined],
      ['delete', undefined],
      ['delete', undefined],
    ]);
  });
});
