/**
 * core/ speaks no provider word (issue 14): every noun and the closing sentence of a plan or a
 * report come from the words the renderer is given. A provider of DNS records, say.
 */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../core/plan.js';
import { countOutcomes, type ApplyReport } from '../../core/report.js';
import { renderApplyMarkdown, renderApplyText, renderDriftText, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { buildDriftReport, driftStatusLine } from '../../core/render/drift-report.js';
import type { RenderWords } from '../../core/render/words.js';
import { BASE_URL, change, NOW } from './fixtures.js';

const WORDS: RenderWords = {
  object: 'record',
  objects: 'records',
  kinds: { zone: { delete: { verb: 'drop', done: 'dropped' } } },
  controlsSentence: (controls, when) => (when === 'plan' ? `Apply will notify: ${String(controls.notify)}.` : `Notified: ${String(controls.notify)}.`),
  unmanaged: { noun: { one: 'zone', many: 'zones' }, label: 'name', facts: [{ field: 'ttl', word: 'ttl' }] },
};
const PROVIDER_WORD = /meeting|invitee|email|webex/i;

const plan = makePlan({
  baseUrl: BASE_URL,
  controls: { notify: true },
  now: NOW,
  changes: [
    ...['a', 'b', 'c'].map((x) => change({ id: x, kind: 'record', file: `dns/${x}.yaml`, patch: { ttl: 60 }, before: { ttl: 300 } })),
    change({ id: 'z', kind: 'zone', action: 'delete', file: 'dns/z.yaml' }),
    change({ id: 'n', kind: 'record', action: 'noop', file: 'dns/n.yaml', warnings: ['stored as 1m'] }),
  ],
});

describe('the renderers use the words they are given', () => {
  it('a plan: the nouns, the kinds and the closing sentence are the provider\'s', () => {
    const text = renderPlanText(plan, { color: false, words: WORDS });
    expect(text).toContain('~ 3 records, the same change:');
    expect(text).toContain('- drop zone z');
    expect(text).toContain('Apply will notify: true.');
    const md = renderPlanMarkdown(plan, { words: WORDS });
    expect(md).toContain('#### Warnings on unchanged records');
    expect(md).toContain('Apply will notify: true.');
    const empty = makePlan({ baseUrl: BASE_URL, controls: {}, now: NOW, changes: [change({ id: 'n', action: 'noop', file: 'dns/n.yaml' })] });
    expect(renderPlanText(empty, { color: false, words: WORDS })).toContain('No changes. Your records match the configuration.');
    for (const out of [text, md]) expect(out).not.toMatch(PROVIDER_WORD);
  });

  it('an apply report and a drift report too', () => {
    const outcomes = [{ id: 'a', kind: 'record', action: 'update' as const, file: 'dns/a.yaml', status: 'failed' as const, attempts: 1, warnings: [] },
      { id: 'b', kind: 'record', action: 'update' as const, file: 'dns/b.yaml', status: 'applied' as const, attempts: 1, warnings: [] }];
    const report: ApplyReport = { baseUrl: BASE_URL, startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), interrupted: false, controls: { notify: false }, outcomes, counts: countOutcomes(outcomes) };
    const md = renderApplyMarkdown(report, { words: WORDS });
    expect(md).toContain('| Status | Record | File |');
    expect(md).toContain('Notified: false.');
    expect(renderApplyText(report, { color: false, words: WORDS })).toContain('Notified: false.');
    const inSync = buildDriftReport(makePlan({ baseUrl: BASE_URL, controls: {}, now: NOW, changes: [change({ id: 'n', action: 'noop', file: 'dns/n.yaml' })] }));
    expect(renderDriftText(inSync, { color: false, words: WORDS })).toContain('No drift: every managed record matches its file.');
    expect(driftStatusLine(inSync, WORDS)).toBe('meetctl drift: in sync (1 managed record)');
    const unmanaged = buildDriftReport(makePlan({ baseUrl: BASE_URL, controls: {}, now: NOW, changes: [change({ id: 'n', action: 'noop', file: 'dns/n.yaml' })] }), {
      unmanaged: [{ id: 'z1', name: 'example.org', ttl: '300' }],
      checkedUnmanaged: true,
    });
    const text = renderDriftText(unmanaged, { color: false, words: WORDS });
    expect(text).toContain('Unmanaged zones (no file declares them):\n  + z1  "example.org"  ttl 300');
    expect(driftStatusLine(unmanaged, WORDS)).toContain('1 unmanaged zone');
    expect(text).not.toMatch(/series|starts|host /);
    expect(md).not.toMatch(PROVIDER_WORD);
  });
});
