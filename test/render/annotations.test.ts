/**
 * GitHub workflow commands (issue 16): every problem as `::error file=…,line=…,col=…,title=…::…`,
 * escaped as the Actions runner unescapes them (actions/runner ActionCommand.cs), with paths
 * relative to the repository root.
 */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../core/plan.js';
import {
  applyAnnotations,
  diagnosticAnnotations,
  driftAnnotations,
  escapeData,
  escapeProperty,
  formatAnnotation,
  planAnnotations,
  repoPath,
} from '../../core/render/annotations.js';
import { buildDriftReport } from '../../core/render/drift-report.js';
import { BASE_URL, change, DIAGNOSTICS, NOW, samplePlan, sampleReport } from './fixtures.js';
import { expectGolden } from './golden.js';
import { WORDS } from './fixtures.js';

const HERE = { cwd: '/work/repo' };

/** The runner's own unescaping (ActionCommand.UnescapeData / UnescapeProperty): `%25` last. */
function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

describe('workflow-command escaping', () => {
  it('data: % first, so the runner gives back exactly the text; properties also escape : and ,', () => {
    for (const text of ['100% sure', '%0A is not a newline', 'a:b,c', 'title=x::y']) {
      expect(unescapeData(escapeData(text))).toBe(text);
      expect(unescapeProperty(escapeProperty(text))).toBe(text);
    }
    expect(escapeData('50%: a, b')).toBe('50%25: a, b');
    expect(escapeProperty('50%: a, b')).toBe('50%25%3A a%2C b');
  });

  it('a newline or a control character cannot start a line of its own (a forged command)', () => {
    const line = formatAnnotation({ level: 'error', title: 't\n::warning::x', message: 'one\n::error::forged\r\u001b[31m', file: 'a\nb.yaml', line: 1 });
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toBe('::error file=a\\nb.yaml,line=1,title=t\\n%3A%3Awarning%3A%3Ax::one\\n::error::forged\\r\\u001b[31m\n');
  });
});

describe('repoPath', () => {
  it('relative to $GITHUB_WORKSPACE whatever the working directory or --dir was, with / separators', () => {
    expect(repoPath('meetings/a.yaml', { cwd: '/work/repo' })).toBe('meetings/a.yaml');
    expect(repoPath('./meetings//a.yaml', { cwd: '/work/repo' })).toBe('meetings/a.yaml');
    expect(repoPath('meetings/a.yaml', { cwd: '/work/repo/sub', workspace: '/work/repo' })).toBe('sub/meetings/a.yaml');
    expect(repoPath('/work/repo/meetings/a.yaml', { cwd: '/tmp', workspace: '/work/repo' })).toBe('meetings/a.yaml');
    expect(repoPath('../up/meetings/a.yaml', { cwd: '/work/repo/sub', workspace: '/work/repo' })).toBe('up/meetings/a.yaml');
  });

  it('a file outside the workspace keeps the path it was given', () => {
    expect(repoPath('/elsewhere/a.yaml', { cwd: '/work/repo', workspace: '/work/repo' })).toBe('/elsewhere/a.yaml');
    expect(repoPath('../other/a.yaml', { cwd: '/work/repo', workspace: '/work/repo' })).toBe('../other/a.yaml');
  });
});

describe('annotations', () => {
  it('validate: each diagnostic at its file, line and column (golden)', () => {
    const out = diagnosticAnnotations(DIAGNOSTICS, 'validate', HERE);
    expectGolden('github-validate.txt', out);
    expect(out).toContain('::error file=meetings/eng/standup.yaml,line=4,col=6,title=meetctl validate%3A rule.durationTooShort::the meeting must last at least 10 minutes (end)\n');
    expect(out).toContain('::warning file=meetings/eng/standup.yaml,line=2,col=1,');
  });

  it('plan: meetings that cannot be planned or updated, and the warnings, at their files; updates are not problems (golden)', () => {
    const out = planAnnotations(samplePlan(), HERE, 'plan', WORDS);
    expectGolden('github-plan.txt', out);
    expect(out.split('\n').filter(Boolean)).toHaveLength(3);
    expect(out).toContain('::error file=meetings/y.yaml,line=1,title=meetctl plan::series 7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a: could not be planned: ');
    expect(out).not.toContain('Pipeline review');
  });

  it('apply: what was not applied is an error, verification warnings are warnings (golden)', () => {
    const out = applyAnnotations(sampleReport(), HERE);
    expectGolden('github-apply.txt', out);
    expect(out).toContain('::error file=meetings/eng/standup.yaml,line=1,title=meetctl apply::series b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0 "Standup": failed: ');
    expect(out).not.toMatch(/applied:|unchanged:/);
  });

  it('drift: drifted meetings name their fields, never values or secrets (golden)', () => {
    const plan = makePlan({
      baseUrl: BASE_URL,
      controls: { sendEmail: false },
      now: NOW,
      changes: [
        change({
          id: 'a'.repeat(32),
          file: 'meetings/a.yaml',
          label: 'A',
          patch: { title: 'A', password: '${env:PW}' },
          before: { title: 'Live title', password: '(sensitive)' },
          sensitive: ['password'],
        }),
        change({ id: 'b'.repeat(32), file: 'meetings/b.yaml', action: 'notUpdatable', reason: 'the meeting is in progress', patch: { title: 'B' }, before: { title: 'b' } }),
        change({ id: 'c'.repeat(32), file: 'meetings/c.yaml', action: 'error', reason: 'not found (404)' }),
      ],
    });
    const report = buildDriftReport(plan, {
      unmanaged: [{ id: 'd'.repeat(32), title: 'Side meeting' }],
      errors: [{ message: 'could not list meeting series: HTTP 500' }],
      checkedUnmanaged: true,
    });
    const out = driftAnnotations(report, HERE, WORDS);
    expectGolden('github-drift.txt', out);
    expect(out).toContain('::warning file=meetings/a.yaml,line=1,title=meetctl drift::series aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "A": differs from its file: title, password\n');
    expect(out).not.toMatch(/Live title|PW/);
    expect(out).toContain('::notice title=meetctl drift::unmanaged series dddddddddddddddddddddddddddddddd "Side meeting": no file declares it\n');
  });
});
