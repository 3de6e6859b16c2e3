import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { makePlan, type Change } from '../../core/plan.js';
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

const DRIFTED = change({
  id: '1d824a4a205042eba9574e00b711b226',
  action: 'update',
  file: 'meetings/sales/weekly-sales-sync.yaml',
  label: 'Weekly Sales Sync',
  patch: { title: 'Weekly Sales Sync', password: '${env:SALES_SYNC_PASSWORD}', meetingOptions: { enabledChat: false }, agenda: null },
  before: { title: 'Sales | Sync `hot`', password: 'Live-Secret-99', meetingOptions: { enabledChat: true }, agenda: 'old agenda' },
  sensitive: ['password'],
});

const plan = makePlan({
  baseUrl: 'http://127.0.0.1:9/v1',
  controls: { sendEmail: false },
  now: new Date('2027-01-15T09:00:00Z'),
  changes: [
    DRIFTED,
    change({ id: 'aaaa', action: 'noop', file: 'meetings/a.yaml' }),
    change({
      id: 'bbbb',
      action: 'notUpdatable',
      file: 'meetings/b.yaml',
      label: 'Town hall',
      reason: 'the meeting is in progress',
      patch: { title: 'Town Hall' },
      before: { title: 'Town hall' },
    }),
    change({ id: 'cccc', action: 'notUpdatable', file: 'meetings/c.yaml', reason: 'the meeting has ended' }),
  ],
});

const unmanaged = [{ id: 'dddd', title: 'Side <b>meeting</b>', start: '2027-02-01T10:00:00Z' }];

describe('buildDriftReport', () => {
  const report = buildDriftReport(plan, { unmanaged, checkedUnmanaged: true });

  test('each drifted field is live vs desired, secrets masked on both sides', () => {
    expect(report.inSync).toBe(false);
    expect(report.drifted).toHaveLength(1);
    expect(report.drifted[0].fields).toEqual([
      { field: 'title', live: 'Sales | Sync `hot`', desired: 'Weekly Sales Sync' },
      { field: 'password', live: '(sensitive)', desired: '(sensitive)' },
      { field: 'meetingOptions.enabledChat', live: true, desired: false },
      { field: 'agenda', live: 'old agenda', desired: null },
    ]);
    expect(renderDriftJson(report)).not.toContain('Live-Secret-99');
  });

  test('a not-updatable meeting that differs is listed apart; one that matches counts as in sync', () => {
    expect(report.notUpdatable.map((m) => m.id)).toEqual(['bbbb']);
    expect(report.notUpdatable[0].reason).toBe('the meeting is in progress');
    expect(report.summary).toEqual({ managed: 4, inSync: 2, drifted: 1, notUpdatable: 1, missing: 0, orphaned: 0, unmanaged: 1, errors: 0 });
  });

  test('JSON has the documented shape', () => {
    const json = JSON.parse(renderDriftJson(report));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['inSync', 'drifted', 'unmanaged', 'notUpdatable', 'errors']));
    expect(json.drifted[0]).toMatchObject({ id: DRIFTED.id, file: DRIFTED.file });
    expect(json.unmanaged[0]).toEqual(unmanaged[0]);
  });

  test('exit codes: 2 for drift, 0 in sync, 1 for any error', () => {
    expect(driftExitCode(report)).toBe(2);
    const clean = buildDriftReport(makePlan({ baseUrl: 'x', controls: { sendEmail: false }, changes: [change({ id: 'a', action: 'noop' })] }));
    expect(clean.inSync).toBe(true);
    expect(driftExitCode(clean)).toBe(0);
    expect(driftStatusLine(clean, WORDS)).toBe('meetctl drift: in sync (1 managed meeting)');
    const broken = buildDriftReport(plan, { errors: [{ message: 'could not list meeting series: HTTP 500' }] });
    expect(driftExitCode(broken)).toBe(1);
  });

  test('unmanaged series alone are drift when they were asked for', () => {
    const onlyUnmanaged = buildDriftReport(makePlan({ baseUrl: 'x', controls: { sendEmail: false }, changes: [] }), { unmanaged, checkedUnmanaged: true });
    expect(driftExitCode(onlyUnmanaged)).toBe(2);
    expect(driftStatusLine(onlyUnmanaged, WORDS)).toContain('1 unmanaged series');
  });
});

describe('the closing sentence', () => {
  const only = (changes: Change[], extra: Parameters<typeof buildDriftReport>[1] = {}) =>
    buildDriftReport(makePlan({ baseUrl: 'x', controls: { sendEmail: false }, changes }), extra);
  const NOT_UPDATABLE = change({ id: 'bbbb', action: 'notUpdatable', reason: 'the meeting has ended', patch: { title: 'T' }, before: { title: 't' } });
  const last = (r: ReturnType<typeof buildDriftReport>) => [
    renderDriftText(r, { color: false, words: WORDS }).trimEnd().split('\n').at(-1),
    renderDriftMarkdown(r, { words: WORDS }).split('\n').find((l) => l.startsWith('Checked ')),
  ];

  test('advises apply only where apply restores something: drift, a missing object, an orphan', () => {
    for (const line of last(only([DRIFTED, NOT_UPDATABLE]))) expect(line).toMatch(/`?meetctl apply`? to restore the files/);
  });

  test('what apply cannot restore (not updatable, unmanaged, errors) is not sent to apply, in text and Markdown alike', () => {
    for (const line of last(only([NOT_UPDATABLE]))) {
      expect(line).not.toMatch(/to restore the files/);
      expect(line).toMatch(/`meetctl apply` cannot restore the meetings that are not updatable: edit their files to accept the live values\.$/);
    }
    for (const line of last(only([], { unmanaged, checkedUnmanaged: true }))) expect(line).toMatch(/No file declares the unmanaged series: `meetctl import --id ID` writes one, or leave them unmanaged\.$/);
    for (const line of last(only([], { errors: [{ message: 'could not list meeting series: HTTP 500' }] }))) expect(line).toMatch(/Some meetings could not be checked\.$/);
  });
});

describe('renderDriftText', () => {
  test('says "field: live X, desired Y" per field', () => {
    const text = renderDriftText(buildDriftReport(plan), { color: false, words: WORDS });
    expect(text).toContain('title: live "Sales | Sync `hot`", desired "Weekly Sales Sync"');
    expect(text).toContain('password: live (sensitive), desired (sensitive)');
    expect(text).toContain('agenda: live "old agenda", desired (none)');
    expect(text).toContain('not updatable: the meeting is in progress');
    expect(text).not.toContain('Live-Secret-99');
  });

  test('a hostile title cannot fake a line', () => {
    const evil = makePlan({
      baseUrl: 'x',
      controls: { sendEmail: false },
      changes: [change({ id: 'e', action: 'update', label: 'x\n~ series fake', patch: { title: 'a\nb' }, before: { title: 'c' } })],
    });
    const text = renderDriftText(buildDriftReport(evil), { color: false, words: WORDS });
    expect(text.split('\n').some((l) => l.startsWith('~ series fake'))).toBe(false);
  });
});

describe('renderDriftMarkdown', () => {
  test('matches the golden file', () => {
    const md = renderDriftMarkdown(buildDriftReport(plan, { unmanaged, checkedUnmanaged: true }), { words: WORDS });
    const file = join(GOLDEN, 'drift.md');
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, md);
    }
    expect(md).toBe(readFileSync(file, 'utf8'));
  });

  test('summary table first, details folded', () => {
    const md = renderDriftMarkdown(buildDriftReport(plan), { words: WORDS });
    expect(md.startsWith('### meetctl drift\n\n| Drifted |')).toBe(true);
    expect(md).toContain('<details><summary>');
  });

  test('stays within the limit, cutting whole sections, never mid-table', () => {
    const many = makePlan({
      baseUrl: 'x',
      controls: { sendEmail: false },
      changes: Array.from({ length: 600 }, (_, i) =>
        change({ id: `m${String(i).padStart(4, '0')}`, action: 'update', file: `meetings/m${i}.yaml`, label: 'A long title '.repeat(5), patch: { title: 'y'.repeat(70), agenda: 'z'.repeat(70) }, before: { title: 'x'.repeat(70), agenda: 'w'.repeat(70) } }),
      ),
    });
    for (const maxChars of [65_536, 5_000]) {
      const md = renderDriftMarkdown(buildDriftReport(many), { words: WORDS, maxChars });
      expect(md.length).toBeLessThanOrEqual(maxChars);
      expect(md).toMatch(/more entries not shown/);
      expect(md.split('<details>').length).toBe(md.split('</details>').length);
      // The last table row before the footer is complete.
      const beforeFooter = md.slice(0, md.lastIndexOf('…'));
      expect(beforeFooter.trimEnd().endsWith('</details>')).toBe(true);
    }
  });
});
