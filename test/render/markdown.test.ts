import { describe, expect, it } from 'vitest';
import { fitMarkdown, htmlText, mdCode, mdText } from '../../core/render/markdown.js';
import { elideMiddle, escapeUnsafe, formatValue } from '../../core/render/sanitize.js';

describe('mdCode', () => {
  const cases: [string, boolean, string][] = [
    ['plain', false, '`plain`'],
    ['a`b', false, '``a`b``'],
    ['``x', false, '``` ``x ```'],
    ['a|b', true, '`a\\|b`'],
    ['a|b', false, '`a|b`'],
    ['a\\\\|b', true, '`a\\\\\\|b`'], // an even run gets one more backslash
    ['a\\|b', true, '`a\\\\\\|b`'], // an odd run gets two: the pipe stays escaped however backslashes pair
    ['<b>', false, '`<b>`'],
    ['line\nbreak', false, '`line\\nbreak`'],
  ];
  for (const [input, inTable, expected] of cases) {
    it(`${JSON.stringify(input)}${inTable ? ' in a table' : ''} → ${expected}`, () => expect(mdCode(input, inTable)).toBe(expected));
  }
});

describe('mdText and htmlText', () => {
  it('escape what could become markup', () => {
    expect(mdText('a *b* _c_ <i> [l](u) `x` | ~s~ &amp; ![i](u) \\')).toBe('a \\*b\\* \\_c\\_ \\<i\\> \\[l\\](u) \\`x\\` \\| \\~s\\~ \\&amp; \\!\\[i\\](u) \\\\');
    expect(htmlText(`<a href="x">'&'</a> | \`[l](u)`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; &#124; &#96;&#91;l&#93;(u)');
  });

  it('make no mention and no issue reference (a word joiner after the sign), and leave emails and entities alone', () => {
    const WJ = '\u2060';
    for (const render of [mdText, htmlText]) {
      expect(render('@octocat, (@org/team) see #12')).toBe(`@${WJ}octocat, (@${WJ}org/team) see #${WJ}12`);
      expect(render('mail sales.lead@example.com about x#2')).toBe('mail sales.lead@example.com about x#2');
    }
    expect(htmlText("it's #1")).toBe(`it&#39;s #${WJ}1`);
  });
});

describe('sanitize', () => {
  it('escapes controls, separators and bidi overrides visibly', () => {
    expect(escapeUnsafe('a\nb\tc\u001b[0m\u202e\u2066\u2028\u0085\u061c')).toBe('a\\nb\\tc\\u001b[0m\\u202e\\u2066\\u2028\\u0085\\u061c');
    expect(escapeUnsafe('ünïcödé ✓ 会議')).toBe('ünïcödé ✓ 会議');
  });

  it('elides long strings in the middle without splitting a surrogate pair', () => {
    expect(elideMiddle('x'.repeat(80))).toBe('x'.repeat(80));
    const long = 'a'.repeat(50) + '😀'.repeat(50);
    const elided = elideMiddle(long);
    expect(Array.from(elided)).toHaveLength(80);
    expect(elided).toBe(`${'a'.repeat(40)}…${'😀'.repeat(39)}`);
  });

  it('formats values: strings quoted, others as compact JSON, absence named', () => {
    expect(formatValue('a"b')).toBe('"a\\"b"');
    expect(formatValue([{ name: 'Dept', value: 'Sales' }])).toBe('[{"name":"Dept","value":"Sales"}]');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('(none)');
  });
});

describe('fitMarkdown', () => {
  const footer = (dropped: number) => `+${dropped}\n`;
  const doc = {
    head: 'HEAD\n\n',
    groups: [
      { header: '## A\n\n', items: ['a1\n', 'a2\n', 'a3\n'], trailer: '\n', priority: 1 },
      { header: '## B\n\n', items: ['b1\n', 'b2\n'], trailer: '\n', priority: 0 },
    ],
  };

  it('returns the whole document when it fits', () => {
    expect(fitMarkdown(doc, 1000, footer)).toBe('HEAD\n\n## A\n\na1\na2\na3\n\n## B\n\nb1\nb2\n');
  });

  it('keeps the higher-priority group and drops items from the end', () => {
    // The whole document is 34 characters.
    const out = fitMarkdown(doc, 33, footer);
    expect(out).toBe('HEAD\n\n## A\n\na1\n\n## B\n\nb1\nb2\n\n+2\n');
    expect(out.length).toBeLessThanOrEqual(33);
  });

  it('leaves out a group header when none of its items fit', () => {
    expect(fitMarkdown(doc, 30, footer)).toBe('HEAD\n\n## B\n\nb1\nb2\n\n+3\n');
  });

  it('is never longer than the limit', () => {
    for (let max = 0; max <= 60; max++) expect(fitMarkdown(doc, max, footer).length).toBeLessThanOrEqual(max);
  });
});
