/**
 * Every change a plan sends is one a reviewer can see: a long value is shown around what differs,
 * not cut in its middle, and characters that do not show are shown when they are the change.
 */
import { describe, expect, it } from 'vitest';
import { makePlan, type Plan } from '../../core/plan.js';
import { renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { formatPair } from '../../core/render/sanitize.js';
import { BASE_URL, change, NOW, WORDS } from './fixtures.js';

const AGENDA = (budget: string) => `${'Welcome everyone. '.repeat(8)}Budget: ${budget} EUR.${' Closing remarks and next steps for the quarter.'.repeat(3)}`;
const TITLE = (team: string) => `Quarterly business review with the EMEA ${team} leadership team and the regional finance partners (Berlin)`;

function planOf(patch: Record<string, string>, before: Record<string, string>): Plan {
  return makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [change({ id: 'm1', file: 'meetings/m.yaml', patch, before })] });
}

/** The before and after a rendered line or row shows for `field`. */
function shownText(plan: Plan, field: string): string[] {
  const line = renderPlanText(plan, { color: false, words: WORDS }).split('\n').find((l) => l.includes(`~ ${field}:`)) ?? '';
  return line.slice(line.indexOf(':') + 2).split(' → ');
}

describe('a change inside a long value', () => {
  it('is shown where it is, with what surrounds it, in text and markdown', () => {
    const plan = planOf({ agenda: AGENDA('90,000'), title: TITLE('legal') }, { agenda: AGENDA('10,000'), title: TITLE('sales') });
    const [before, after] = shownText(plan, 'agenda');
    expect(before).not.toBe(after);
    expect(before).toContain('Budget: 10,000 EUR.');
    expect(after).toContain('Budget: 90,000 EUR.');
    expect(before).toMatch(/^"….*…"$/);
    const [oldTitle, newTitle] = shownText(plan, 'title');
    expect([oldTitle.includes('EMEA sales leadership'), newTitle.includes('EMEA legal leadership')]).toEqual([true, true]);
    const md = renderPlanMarkdown(plan, { words: WORDS });
    expect(md).toContain('Budget: 10,000 EUR.');
    expect(md).toContain('Budget: 90,000 EUR.');
    expect(md).toContain('EMEA legal leadership');
  });

  it('keeps at most about 80 characters a side, however long the values and whatever changed', () => {
    for (const [a, b] of [
      ['x'.repeat(1300), 'y'.repeat(1300)],
      [`${'a'.repeat(600)}${'b'.repeat(100)}${'a'.repeat(600)}`, `${'a'.repeat(600)}${'c'.repeat(100)}${'a'.repeat(600)}`],
      ['a'.repeat(1300), `${'a'.repeat(1300)}!`],
      ['😀'.repeat(200), `${'😀'.repeat(100)}🙂${'😀'.repeat(100)}`],
    ]) {
      const shown = formatPair(a, b);
      expect(shown.before).not.toBe(shown.after);
      for (const side of [shown.before, shown.after]) expect(Array.from(JSON.parse(side) as string).length).toBeLessThanOrEqual(82);
      expect(shown.after).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no surrogate pair split
    }
    // Short values are shown whole, as before.
    expect(formatPair('Team sync', 'Team sync (v2)')).toEqual({ before: '"Team sync"', after: '"Team sync (v2)"' });
  });
});

describe('a change in characters that do not show', () => {
  it('shows them: a zero-width space or a soft hyphen always, a joiner when it is the difference', () => {
    const plan = planOf({ title: 'Meeting\u200b 0', agenda: 'Old agenda 0\u00ad' }, { title: 'Meeting 0', agenda: 'Old agenda 0' });
    expect(shownText(plan, 'title')).toEqual(['"Meeting 0"', '"Meeting\\u200b 0"']);
    expect(shownText(plan, 'agenda')).toEqual(['"Old agenda 0"', '"Old agenda 0\\u00ad"']);
    // A zero-width joiner builds emoji and scripts: it stays, unless it is all that changed.
    expect(formatPair('Family 👨\u200d👩', 'Family 👨\u200d👩 (v2)').before).toBe('"Family 👨\u200d👩"');
    expect(formatPair('A\u200bB', 'A\u200dB')).toEqual({ before: '"A\\u200bB"', after: '"A\\u200dB"' });
    const joined = formatPair('AB', 'A\u200dB');
    expect(joined).toEqual({ before: '"AB"', after: '"A\\u200dB"' });
    expect(formatPair('a b', 'a\u00a0b')).toEqual({ before: '"a b"', after: '"a\\u00a0b"' });
    // In a long value only the part around the difference is shown, escaped.
    const long = formatPair(`${'x'.repeat(600)} y ${'x'.repeat(600)}`, `${'x'.repeat(600)}\u00a0y ${'x'.repeat(600)}`);
    expect(long.after).toBe(`"…${'x'.repeat(20)}\\u00a0y ${'x'.repeat(18)}…"`);
    expect(long.before).toBe(`"…${'x'.repeat(20)} y ${'x'.repeat(18)}…"`);
    // Two spellings of é (composed, decomposed) look the same: shown escaped.
    expect(formatPair('Caf\u00e9', 'Cafe\u0301')).toEqual({ before: '"Caf\\u00e9"', after: '"Cafe\\u0301"' });
  });
});
