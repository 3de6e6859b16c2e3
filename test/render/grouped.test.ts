/**
 * Identical changes (issue 16): when a defaults file changes, hundreds of meetings get the same
 * field changes. They are shown once, with the count and the meetings listed (folded in Markdown);
 * a small plan's sections are open.
 */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../core/plan.js';
import { renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { BASE_URL, change, groupedPlan, NOW } from './fixtures.js';
import { expectGolden } from './golden.js';
import { WORDS } from './fixtures.js';

describe('identical changes', () => {
  it('text: the change once with the count, then each meeting and its file (golden)', () => {
    const text = renderPlanText(groupedPlan(12), { color: false, words: WORDS });
    expectGolden('plan-grouped.txt', text);
    expect(text).toContain('~ 12 meetings, the same change:\n      ~ reminderTime: 15 → 10\n');
    expect(text.match(/reminderTime: 15 → 10/g)).toHaveLength(2); // the group, and the standup with its own warning
    expect(text).toContain('~ 3 meetings, the same change:');
    expect(text).toContain('  ~ scheduledMeeting 1d824a4a205042eba9574e00b711b226_20270316T080000Z  "Team meeting 0001"  meetings/team/meeting-0001.yaml  (after 1d824a4a205042eba9574e00b711b226)');
  });

  it('markdown: one folded section per group, its meetings listed inside (golden)', () => {
    const md = renderPlanMarkdown(groupedPlan(399), { words: WORDS });
    expectGolden('plan-grouped.md', md);
    expect(md).toContain('<details><summary>~ 399 meetings, the same change: <code>reminderTime</code> <code>15</code> → <code>10</code></summary>');
    expect(md).toContain('<details><summary>~ 3 meetings, the same change: <code>password</code> (sensitive), <code>agenda</code> → <code>&quot;Pipeline&quot;</code></summary>');
    expect(md).toContain('- … and 299 more meetings: `meetctl plan` lists them all\n');
    // A big plan: folded.
    expect(md).not.toContain('<details open>');
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
  });

  it('a small plan: sections open, a group of three included (golden)', () => {
    const md = renderPlanMarkdown(groupedPlan(3), { words: WORDS });
    expectGolden('plan-grouped-small.md', md);
    expect(md).not.toMatch(/<details>/);
    expect(md.match(/<details open>/g)).toHaveLength(2 + 3); // two groups; retro, standup and d one by one
  });

  it('two identical changes stay apart; the count of meetings not shown counts each member of a group', () => {
    const two = makePlan({
      baseUrl: BASE_URL,
      controls: { sendEmail: false },
      now: NOW,
      changes: ['a', 'b'].map((x) => change({ id: x, file: `${x}.yaml`, patch: { reminderTime: 10 }, before: { reminderTime: 15 } })),
    });
    expect(renderPlanText(two, { color: false, words: WORDS })).not.toContain('the same change');
    const md = renderPlanMarkdown(groupedPlan(399), { words: WORDS, maxChars: 1500 });
    expect(md.length).toBeLessThanOrEqual(1500);
    // Nothing fits but the summary: every one of the 405 changed meetings is counted, not the 5 sections.
    expect(md).toMatch(/… 405 more meetings not shown/);
  });
});
