/**
 * `--format markdown` when the files do not validate (issue 16): the problems become the comment,
 * one table row each with `file:line:col` and the message, instead of an empty stdout.
 */
import { describe, expect, it } from 'vitest';
import { error } from '../../core/diagnostics.js';
import { renderValidationMarkdown } from '../../core/render/index.js';
import { DIAGNOSTICS } from './fixtures.js';
import { expectGolden } from './golden.js';

describe('renderValidationMarkdown', () => {
  it('validate: the summary line, then one row per problem (golden)', () => {
    const md = renderValidationMarkdown({ command: 'validate', diagnostics: DIAGNOSTICS, fileCount: 4 });
    expectGolden('validate.md', md);
    expect(md).toContain('| error | `meetings/eng/standup.yaml:4:6` | the meeting must last at least 10 minutes | `end` |');
  });

  it('plan: nothing was planned, and why (golden)', () => {
    const md = renderValidationMarkdown({ command: 'plan', diagnostics: DIAGNOSTICS, fileCount: 4 });
    expectGolden('plan-invalid.md', md);
    expect(md.startsWith('### meetctl plan\n\n**Nothing was planned:** the files do not validate (3 errors)')).toBe(true);
  });

  it('a valid tree: the summary, no table', () => {
    expect(renderValidationMarkdown({ command: 'validate', diagnostics: [], fileCount: 5 })).toBe('### meetctl validate\n\n5 files valid.\n');
  });

  it('a message or path that spells Markdown or HTML stays text in its cell', () => {
    const evil = error('x', 'bad | cell <img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold**\nnext', { file: 'a|b`c.yaml', line: 1, col: 1, field: 'a|b' });
    const md = renderValidationMarkdown({ command: 'validate', diagnostics: [evil], fileCount: 1 });
    const row = md.split('\n').find((l) => l.startsWith('| error'))!;
    expect(row).toBe(
      '| error | ``a\\|b`c.yaml:1:1`` | bad \\| cell \\<img src=x onerror=alert(1)\\> \\[link\\](javascript:alert(1)) \\*\\*bold\\*\\*\\\\nnext | `a\\|b` |',
    );
    expect(md).not.toMatch(/(?<!\\)<img/);
  });

  it('thousands of problems: cut to the limit at a row, with the count of the rest', () => {
    const many = Array.from({ length: 3000 }, (_, i) => error('rule.x', `problem number ${i}`, { file: `meetings/m-${String(i).padStart(4, '0')}.yaml`, line: 1, col: 1 }));
    const md = renderValidationMarkdown({ command: 'validate', diagnostics: many, fileCount: 3000 });
    expect(md.length).toBeLessThanOrEqual(65_536);
    const rows = md.split('\n').filter((l) => l.startsWith('| error')).length;
    expect(md.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^… ${(3000 - rows).toLocaleString('en-US')} more problems not shown \\(`));
  });
});
