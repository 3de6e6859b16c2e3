/**
 * Warnings of meetings that send nothing (a recurrence rule Webex stores differently from the file):
 * counted in the summary and shown briefly — `! <file>: <warning>` — in every format, never as a diff.
 */
import { describe, expect, it } from 'vitest';
import { makePlan, type Change, type Plan } from '../../core/plan.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { BASE_URL, NOW, SERIES } from './fixtures.js';
import { expectGolden } from './golden.js';
import { WORDS } from './fixtures.js';

const MONTHLY_WARNING = 'recurrence: Webex keeps only the first BYMONTHDAY of a MONTHLY rule: BYMONTHDAY=1,15 becomes BYMONTHDAY=1.';
const COUNT_WARNING = 'recurrence: Webex allows at most 261 occurrences for a WEEKLY rule: COUNT=400 becomes COUNT=261.';

function change(partial: Partial<Change> & Pick<Change, 'id' | 'file'>): Change {
  return { kind: 'series', action: 'noop', patch: {}, before: {}, fingerprint: '', warnings: [], order: 0, ...partial };
}

function noopWarningsPlan(withUpdate: boolean): Plan {
  const changes: Change[] = [
    change({ id: '2b000000000000000000000000000002', file: 'meetings/board/monthly.yaml', label: 'Board', warnings: [MONTHLY_WARNING] }),
    change({ id: '3c000000000000000000000000000003', file: 'meetings/team/weekly.yaml', label: 'Team', warnings: [COUNT_WARNING] }),
    change({ id: '4d000000000000000000000000000004', file: 'meetings/team/quiet.yaml', label: 'Quiet' }),
  ];
  if (withUpdate) {
    changes.push(
      change({
        id: SERIES,
        file: 'meetings/sales/weekly-sales-sync.yaml',
        label: 'Weekly Sales Sync',
        action: 'update',
        patch: { title: 'Weekly Sales Sync' },
        before: { title: 'Sales Sync' },
        fingerprint: `sha256:${'0'.repeat(64)}`,
      }),
    );
  }
  return makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, changes, now: NOW });
}

describe('warnings on unchanged meetings', () => {
  it('are counted in the summary', () => {
    expect(noopWarningsPlan(false).summary).toEqual({ create: 0, update: 0, delete: 0, noop: 3, notUpdatable: 0, error: 0, warnings: 2 });
  });

  it('text: one line each, after the changes, before the closing sentence (golden)', () => {
    const text = renderPlanText(noopWarningsPlan(true), { color: false, words: WORDS });
    expectGolden('plan-noop-warnings.txt', text);
    expect(text).toContain(`! meetings/board/monthly.yaml: ${MONTHLY_WARNING}\n! meetings/team/weekly.yaml: ${COUNT_WARNING}\n`);
    expect(text).not.toContain('quiet.yaml');
    expect(text.indexOf('! meetings/board/monthly.yaml')).toBeGreaterThan(text.indexOf('~ title'));
  });

  it('text: shown when nothing changes, with the warning count', () => {
    const text = renderPlanText(noopWarningsPlan(false), { color: false, words: WORDS });
    expect(text).toBe(
      'meetctl plan — 0 to update, 3 unchanged, 0 not updatable, 0 errors · 2 warnings\n\n' +
        `! meetings/board/monthly.yaml: ${MONTHLY_WARNING}\n` +
        `! meetings/team/weekly.yaml: ${COUNT_WARNING}\n\n` +
        'No changes. Your meetings match the configuration.\n',
    );
    expect(text).not.toContain('~');
  });

  it('markdown: a short list after the changed meetings, no table or <details> for them (golden)', () => {
    const md = renderPlanMarkdown(noopWarningsPlan(true), { words: WORDS });
    expectGolden('plan-noop-warnings.md', md);
    expect(md).toContain('| 1 | 3 | 0 | 0 | 2 |');
    expect(md).toContain('#### Warnings on unchanged meetings\n\n- ⚠️ `meetings/board/monthly.yaml`: ');
    expect(md.match(/<details open>/g)).toHaveLength(1);
    const nothing = renderPlanMarkdown(noopWarningsPlan(false), { words: WORDS });
    expect(nothing).toContain('#### Warnings on unchanged meetings');
    expect(nothing).not.toContain('<details');
  });

  it('json: the noop change carries its warning', () => {
    const json = JSON.parse(renderPlanJson(noopWarningsPlan(false)));
    expect(json.summary.warnings).toBe(2);
    expect(json.changes.find((c: Change) => c.file === 'meetings/board/monthly.yaml')).toMatchObject({ action: 'noop', patch: {}, warnings: [MONTHLY_WARNING] });
  });
});
