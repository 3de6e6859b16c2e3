/**
 * Drift of the lifecycle (issue 15), from hand-made plans: a keyed file whose meeting is gone (the
 * plan creates it) is missing, an owned meeting no file declares is orphaned; both are drift (exit 2)
 * in JSON, text, markdown and the annotations.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { makePlan, type Change } from '../../core/plan.js';
import { driftAnnotations } from '../../core/render/annotations.js';
import { buildDriftReport, driftExitCode, driftStatusLine } from '../../core/render/drift-report.js';
import { renderDriftMarkdown } from '../../core/render/drift-markdown.js';
import { renderDriftText } from '../../core/render/drift-text.js';
import { renderDriftJson } from '../../core/render/json.js';
import { webexProvider } from '../../meetings/provider.js';

const WORDS = webexProvider.words;

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function change(partial: Partial<Change> & Pick<Change, 'id' | 'action'>): Change {
  return { kind: 'series', file: 'meetings/x.yaml', patch: {}, before: {}, fingerprint: 'f', warnings: [], order: 0, ...partial };
}

const CREATE = change({
  id: 'new:weekly-sync',
  key: 'weekly-sync',
  action: 'create',
  file: 'meetings/weekly-sync.yaml',
  label: 'Weekly Sync',
  patch: { title: 'Weekly Sync', start: '2027-03-01T09:00:00Z', end: '2027-03-01T09:30:00Z', integrationTags: ['meetctl:weekly-sync'] },
});
// An `at:` override of the series to create: part of the missing meeting, not drift of its own.
const OVERRIDE = change({
  id: 'new:weekly-sync_20270308T090000Z',
  key: 'weekly-sync',
  kind: 'scheduledMeeting',
  action: 'update',
  file: 'meetings/weekly-sync.yaml',
  dependsOn: 'new:weekly-sync',
  order: 1,
  patch: { title: 'Weekly Sync (review)' },
});

const plan = makePlan({
  baseUrl: 'http://127.0.0.1:9/v1',
  controls: { sendEmail: false },
  now: new Date('2027-01-15T09:00:00Z'),
  changes: [
    CREATE,
    OVERRIDE,
    change({ id: 'aaaa', key: 'standup', action: 'noop', file: 'meetings/standup.yaml' }),
    change({ id: 'bbbb', action: 'update', file: 'meetings/b.yaml', label: 'Town hall', patch: { title: 'Town Hall' }, before: { title: 'Town hall' } }),
  ],
  orphans: [
    { id: 'f1000000000000000000000000000002', key: 'old-retro', label: 'Retro <b>old</b>' },
    { id: 'f1000000000000000000000000000001', key: 'design-review' },
  ],
  owned: 3,
  notes: ['orphans: owned meetings that no file declares are looked for among the meetings of 2 hosts the files name; an owned meeting of a host no file names is not seen'],
});

function golden(name: string, text: string): string {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
  }
  return readFileSync(file, 'utf8');
}

describe('missing and orphaned meetings', () => {
  const report = buildDriftReport(plan);

  test('a create is a missing meeting (its overrides fold into it), plan.orphans are orphans', () => {
    expect(report.missing).toEqual([{ id: 'new:weekly-sync', key: 'weekly-sync', kind: 'series', file: 'meetings/weekly-sync.yaml', label: 'Weekly Sync' }]);
    expect(report.orphans.map((o) => o.key)).toEqual(['design-review', 'old-retro']);
    expect(report.drifted.map((m) => m.id)).toEqual(['bbbb']);
    expect(report.summary).toEqual({ managed: 4, inSync: 1, drifted: 1, notUpdatable: 0, missing: 1, orphaned: 2, unmanaged: 0, errors: 0 });
  });

  test('either alone is drift: exit 2, said on the status line', () => {
    const onlyMissing = buildDriftReport(makePlan({ baseUrl: 'x', controls: { sendEmail: false }, changes: [CREATE, OVERRIDE] }));
    expect(onlyMissing.inSync).toBe(false);
    expect(driftExitCode(onlyMissing)).toBe(2);
    expect(onlyMissing.drifted).toEqual([]);
    expect(driftStatusLine(onlyMissing, WORDS)).toBe('meetctl drift: 0 meetings drifted, 1 missing (exit 2)');

    const onlyOrphans = buildDriftReport(makePlan({ baseUrl: 'x', controls: { sendEmail: false }, changes: [], orphans: [{ id: 'o1', key: 'gone' }], owned: 1 }));
    expect(driftExitCode(onlyOrphans)).toBe(2);
    expect(driftStatusLine(onlyOrphans, WORDS)).toBe('meetctl drift: 0 meetings drifted, 1 orphaned (exit 2)');

    const owningNothingAmiss = buildDriftReport(makePlan({ baseUrl: 'x', controls: { sendEmail: false }, changes: [change({ id: 'a', key: 'a', action: 'noop' })], owned: 1 }));
    expect(driftExitCode(owningNothingAmiss)).toBe(0);
  });

  test('an error that waits on a create is still an error (exit 1)', () => {
    const broken = buildDriftReport(makePlan({ baseUrl: 'x', controls: { sendEmail: false }, changes: [CREATE, { ...OVERRIDE, action: 'error', reason: 'no such occurrence' }] }));
    expect(broken.errors).toEqual([{ id: OVERRIDE.id, file: OVERRIDE.file, message: 'no such occurrence' }]);
    expect(driftExitCode(broken)).toBe(1);
  });

  test('a pruning delete is an orphan, and an orphan is not also listed as unmanaged', () => {
    const pruned = makePlan({
      baseUrl: 'x',
      controls: { sendEmail: false },
      changes: [change({ id: 'o2', key: 'gone-too', action: 'delete', prune: true, label: 'Gone too' })],
      orphans: [{ id: 'o1', key: 'gone' }],
    });
    const r = buildDriftReport(pruned, { unmanaged: [{ id: 'o1', title: 'Gone' }, { id: 'u1', title: 'Hand-made' }], checkedUnmanaged: true });
    expect(r.orphans).toEqual([
      { id: 'o1', key: 'gone' },
      { id: 'o2', key: 'gone-too', label: 'Gone too' },
    ]);
    expect(r.unmanaged.map((u) => u.id)).toEqual(['u1']);
  });

  test('a cancel the file declares that is still to be sent is drift of that file, not an orphan', () => {
    const cancel = change({ id: 's1_20270308T090000Z', kind: 'scheduledMeeting', action: 'delete', file: 'meetings/s1.yaml', order: 1 });
    const report = buildDriftReport(makePlan({ baseUrl: 'http://x/v1', controls: { sendEmail: false }, changes: [change({ id: 's1', action: 'noop', file: 'meetings/s1.yaml' }), cancel], now: new Date('2027-01-15T09:00:00Z') }));
    expect(report.inSync).toBe(false);
    expect(report.drifted).toEqual([expect.objectContaining({ id: 's1_20270308T090000Z', fields: [{ field: '(exists)', live: true, desired: false }] })]);
    expect(report.orphans).toEqual([]);
    expect(driftExitCode(report)).toBe(2);
  });

  test('JSON matches the golden file', () => {
    expect(renderDriftJson(report)).toBe(golden('drift-lifecycle.json', renderDriftJson(report)));
  });

  test('text matches the golden file', () => {
    const text = renderDriftText(report, { color: false, words: WORDS });
    expect(text).toBe(golden('drift-lifecycle.txt', text));
    expect(text).toContain(
      '+ series "Weekly Sync": declared by meetings/weekly-sync.yaml (key weekly-sync) but not found: it was deleted outside git, or never created — meetctl apply would create it',
    );
    expect(text).toContain('meetctl plan --prune would delete them');
  });

  test('markdown matches the golden file: Missing and Orphaned columns and sections', () => {
    const md = renderDriftMarkdown(report, { words: WORDS });
    expect(md).toBe(golden('drift-lifecycle.md', md));
    expect(md.startsWith('### meetctl drift\n\n| Drifted | In sync | Not updatable | Missing | Orphaned | Errors |\n')).toBe(true);
    expect(md).not.toContain('<b>old</b>');
  });

  test('annotations: a missing meeting at its file, orphans without one', () => {
    const text = driftAnnotations(report, { cwd: '/repo' }, WORDS);
    expect(text).toContain('::warning file=meetings/weekly-sync.yaml,line=1,title=meetctl drift::series new:weekly-sync "Weekly Sync": declared by meetings/weekly-sync.yaml (key weekly-sync) but not found');
    expect(text).toContain('::warning title=meetctl drift::orphaned meeting f1000000000000000000000000000001 (key design-review): owned, but no file declares it; meetctl plan --prune would delete it\n');
  });
});
