import { describe, expect, it } from 'vitest';
import { makePlan, type Plan } from '../../core/plan.js';
import { countOutcomes, type ApplyReport, type ChangeOutcome } from '../../core/report.js';
import { renderApplyMarkdown, renderApplyText, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { BASE_URL, change, NOW, sampleReport } from './fixtures.js';
import { WORDS } from './fixtures.js';

/** A title written to fake output: a new plan line, a colour escape, bidi overrides, a table break and HTML. */
const HOSTILE = [
  'Evil',
  '✗ meetings/fake.yaml',
  '  ~ title: "a" → "b"\r\u001b[31mRED\u001b[0m',
  '\u202eesrever\u202c \u2066isolated\u2069 \u2028sep\u0085nel',
  '| cell | break |',
  '<script>alert(1)</script><img src=x onerror=alert(2)>',
  '`tick` ``two`` \\| [link](javascript:alert(3)) &amp;',
].join('\n');

/** Characters that must never reach the output raw (the text renderer's line breaks aside). */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function hostilePlan(): Plan {
  return makePlan({
    baseUrl: BASE_URL,
    controls: { sendEmail: false },
    now: NOW,
    changes: [
      change({
        id: `m1${HOSTILE}`,
        kind: `series${HOSTILE}`,
        file: `meetings/evil${HOSTILE}.yaml`,
        label: HOSTILE,
        patch: { title: HOSTILE, [`key${HOSTILE}`]: [HOSTILE], agenda: 'short' },
        before: { title: `old ${HOSTILE}`, agenda: 'a | b' },
        warnings: [HOSTILE],
      }),
      change({ id: 'm2', file: 'meetings/n.yaml', action: 'notUpdatable', label: HOSTILE, reason: HOSTILE, warnings: [HOSTILE] }),
      change({ id: 'm3', file: 'meetings/e.yaml', action: 'error', label: HOSTILE, reason: HOSTILE }),
    ],
  });
}

function hostileReport(): ApplyReport {
  const base = { kind: 'series', action: 'update' as const, file: `meetings/${HOSTILE}.yaml`, label: HOSTILE, attempts: 1 };
  const outcomes: ChangeOutcome[] = [
    {
      ...base,
      id: 'a1',
      status: 'applied',
      warnings: [HOSTILE],
      patch: { title: HOSTILE, [`key${HOSTILE}`]: [HOSTILE], meetingOptions: { [HOSTILE]: HOSTILE }, password: '(sensitive)' },
      sensitive: ['password'],
    },
    { ...base, id: `f1${HOSTILE}`, status: 'failed', message: HOSTILE, httpStatus: 400, trackingId: HOSTILE, warnings: [] },
  ];
  return { ...sampleReport(), outcomes, counts: countOutcomes(outcomes) };
}

/**
 * The Markdown with every code span removed (CommonMark: a run of n backticks up to the next run of
 * exactly n). Outside a span, a backslash escapes the first backtick of a run (`mdText` writes \`).
 */
function outsideCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    const open = /`+/.exec(md.slice(i));
    if (!open) return out + md.slice(i);
    let start = i + open.index;
    let fence = open[0];
    if (backslashesBefore(md, start) % 2 === 1) {
      start += 1;
      fence = fence.slice(1);
      if (fence === '') {
        out += md.slice(i, start);
        i = start;
        continue;
      }
    }
    const rest = md.slice(start + fence.length);
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`).exec(rest);
    if (!close) return out + md.slice(i);
    out += md.slice(i, start);
    i = start + fence.length + close.index + fence.length;
  }
  return out;
}

/** Length of the backslash run right before position `i`. */
function backslashesBefore(text: string, i: number): number {
  let n = 0;
  while (i - n - 1 >= 0 && text[i - n - 1] === '\\') n += 1;
  return n;
}

/**
 * Cell delimiters of a table row: pipes with no backslash before them. A pipe after an even run of
 * two or more backslashes is ambiguous between GFM parsers, so it fails the test outright.
 */
function cellDelimiters(row: string): number {
  let delimiters = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] !== '|') continue;
    const run = backslashesBefore(row, i);
    if (run === 0) delimiters += 1;
    else if (run % 2 === 0) throw new Error(`ambiguous pipe at ${i} in ${row}`);
  }
  return delimiters;
}

/** Raw HTML tags: a `<` that opens a tag and is not backslash-escaped. */
function rawTags(text: string): string[] {
  const tags: string[] = [];
  for (const m of text.matchAll(/<\/?[a-z][^>]*>/gi)) {
    if (backslashesBefore(text, m.index) % 2 === 0) tags.push(m[0]);
  }
  return tags;
}

/** Every table (a run of lines starting with `| `) has the same number of cells in every row. */
function expectTablesIntact(md: string): number {
  let tables = 0;
  let expected: number | undefined;
  for (const line of md.split('\n')) {
    if (!line.startsWith('| ')) {
      expected = undefined;
      continue;
    }
    const count = cellDelimiters(line);
    if (expected === undefined) {
      expected = count;
      tables += 1;
    }
    expect(count, line).toBe(expected);
  }
  return tables;
}

describe('hostile text in labels, values, reasons, paths and warnings', () => {
  it('plan text: no raw control or bidi character, and no forged line', () => {
    for (const color of [false, true]) {
      const text = renderPlanText(hostilePlan(), { color, words: WORDS });
      const withoutOurColours = text.replace(/\u001b\[\d+m/g, '');
      expect(withoutOurColours).not.toMatch(RAW_UNSAFE);
      expect(text).not.toContain('\u001b[31mRED');
      const lines = withoutOurColours.split('\n');
      expect(lines.some((l) => l.startsWith('✗ meetings/fake.yaml'))).toBe(false);
      expect(lines.some((l) => /^\s+~ title: "a"/.test(l))).toBe(false);
      // header, blank; the update (file, change, 3 fields, warning); not updatable (file, line, warning); error (file, line); blank, closing; final newline
      expect(lines).toHaveLength(2 + (1 + 1 + 3 + 1) + (1 + 1 + 1) + (1 + 1) + 2 + 1);
    }
  });

  it('plan markdown: tables keep their columns and no HTML gets in', () => {
    const md = renderPlanMarkdown(hostilePlan(), { words: WORDS });
    expect(md).not.toMatch(RAW_UNSAFE);
    expect(expectTablesIntact(md)).toBe(2);
    const outside = outsideCodeSpans(md);
    expect(outside).not.toMatch(/(?<!\\)\]\(javascript:/);
    // The only raw HTML is our own (a small plan: its one section is open).
    expect(new Set(rawTags(outside))).toStrictEqual(new Set(['<details open>', '<summary>', '</summary>', '<code>', '</code>', '</details>']));
  });

  it('apply text: no raw control or bidi character, and no forged line', () => {
    const text = renderApplyText(hostileReport(), { color: false, words: WORDS });
    expect(text).not.toMatch(RAW_UNSAFE);
    expect(text.split('\n').some((l) => l.startsWith('✗ meetings/fake.yaml'))).toBe(false);
  });

  it('apply markdown: rows keep their columns and no HTML gets in', () => {
    const md = renderApplyMarkdown(hostileReport(), { words: WORDS });
    expect(md).not.toMatch(RAW_UNSAFE);
    // The counts, the not-applied rows, and the fields sent by the applied meeting.
    expect(expectTablesIntact(md)).toBe(3);
    expect(md.split('\n').filter((l) => l.startsWith('| ')).every((row) => [3, 7].includes(cellDelimiters(row)))).toBe(true);
    expect(md.split('\n').filter((l) => l.startsWith('| ') && cellDelimiters(l) === 3)).toHaveLength(2 + 4);
    const outside = outsideCodeSpans(md);
    expect(outside).not.toMatch(/(?<!\\)\]\(javascript:/);
    // The only raw HTML is our own: one folded section, whole.
    expect(rawTags(outside)).toStrictEqual(['<details>', '<summary>', '<code>', '</code>', '<code>', '</code>', '</summary>', '</details>']);
  });

  it('apply markdown: a title, id, path or field that spells `<details>`, `</details>`, `|`, backticks or a bidi override stays inside its section', () => {
    const evil = 'x | y ` z `` </details></summary><details open><summary>fake \u202eesrever\u202c \u2067rtl\u2069 |';
    const outcomes: ChangeOutcome[] = ['applied', 'applied', 'failed', 'stale'].map((status, i) => ({
      id: `id${i}${evil}`,
      kind: 'series',
      action: 'update',
      file: `meetings/${evil}.yaml`,
      label: evil,
      status: status as ChangeOutcome['status'],
      attempts: 1,
      message: status === 'applied' ? undefined : evil,
      trackingId: status === 'failed' ? evil : undefined,
      warnings: status === 'applied' ? [evil] : [],
      patch: status === 'applied' ? { title: evil, [evil]: { [evil]: evil } } : undefined,
    }));
    const report: ApplyReport = { ...sampleReport(), outcomes, counts: countOutcomes(outcomes) };
    const md = renderApplyMarkdown(report, { words: WORDS });
    expect(md).not.toMatch(RAW_UNSAFE);
    expect(md).toContain('\\u202eesrever\\u202c');
    // Counts (1 row), not applied (2 rows), then one table of 2 fields per applied meeting.
    expect(expectTablesIntact(md)).toBe(4);
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.filter((r) => cellDelimiters(r) === 7)).toHaveLength(2 + 1 + 2 + 2);
    expect(rows.filter((r) => cellDelimiters(r) === 3)).toHaveLength(2 * (2 + 2));
    // Raw HTML: exactly two sections, each opened and closed once, in order, none nested.
    const tags = rawTags(outsideCodeSpans(md));
    const section = ['<details>', '<summary>', '<code>', '</code>', '<code>', '</code>', '</summary>', '</details>'];
    expect(tags).toStrictEqual([...section, ...section]);
    // Each <summary> holds its whole title on the line that opens the section.
    for (const line of md.split('\n').filter((l) => l.startsWith('<details>'))) {
      expect(line).toMatch(/^<details><summary>✓ series <code>[^<]*<\/code> “[^<]*” · <code>[^<]*<\/code><\/summary>$/);
    }
  });

  it('the visible text still says what the title was', () => {
    const text = renderPlanText(hostilePlan(), { color: false, words: WORDS });
    expect(text).toContain('\\u202eesrever\\u202c');
    expect(text).toContain('Evil\\n✗ meetings/fake.yaml');
  });
});
