import { describe, expect, it } from 'vitest';
import { countOutcomes, type ApplyReport, type ChangeOutcome } from '../../core/report.js';
import { renderApplyJson, renderApplyMarkdown, renderApplyText } from '../../core/render/index.js';
import { cleanReport, interruptedReport, sampleReport } from './fixtures.js';
import { expectGolden } from './golden.js';
import { WORDS } from './fixtures.js';

describe('renderApplyText', () => {
  it('matches the golden file (no colour)', () => {
    expectGolden('apply.txt', renderApplyText(sampleReport(), { color: false, words: WORDS }));
  });

  it('matches the golden file (colour)', () => {
    expectGolden('apply.color.txt', renderApplyText(sampleReport(), { color: true, words: WORDS }));
  });

  it('says an interrupted run was interrupted, first', () => {
    const text = renderApplyText(interruptedReport(), { color: false, words: WORDS });
    expectGolden('apply-interrupted.txt', text);
    expect(text.split('\n')[0]).toMatch(/^Interrupted: /);
  });

  it('reports a clean run as complete, with the email note', () => {
    const text = renderApplyText(cleanReport(), { color: false, words: WORDS });
    expect(text).toContain('1 applied, 0 unchanged, 0 stale, 0 failed, 0 not updatable, 0 skipped');
    expect(text).toContain('Apply complete. Invitees were emailed about each change.');
  });

  it('lists every non-applied outcome with its message, HTTP status and trackingId, worst first', () => {
    const text = renderApplyText(sampleReport(), { color: false, words: WORDS });
    expect(text).toContain('joinBeforeHostMinutes must be 0, 5, 10 or 15 (HTTP 400, trackingId ROUTER_5F3A9C1E-0000-1111-2222-333344445555, 1 attempt)');
    const order = ['✗ failed', '! stale', '! not updatable', '- skipped'].map((s) => text.indexOf(s));
    expect(order.every((pos) => pos >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('renderApplyJson', () => {
  it('is the report as JSON and matches the golden file', () => {
    const json = renderApplyJson(sampleReport());
    expect(JSON.parse(json)).toStrictEqual(sampleReport());
    expectGolden('apply.json', json);
  });
});

describe('renderApplyMarkdown', () => {
  it('matches the golden file', () => {
    expectGolden('apply.md', renderApplyMarkdown(sampleReport(), { words: WORDS }));
  });

  it('says an interrupted run was interrupted before anything else', () => {
    const md = renderApplyMarkdown(interruptedReport(), { words: WORDS });
    expectGolden('apply-interrupted.md', md);
    expect(md.indexOf('Interrupted')).toBeLessThan(md.indexOf('| Applied |'));
  });

  it('stays within the limit with thousands of failures, keeping whole rows', () => {
    const outcomes: ChangeOutcome[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `m${String(i).padStart(5, '0')}`,
      kind: 'series',
      action: 'update',
      file: `meetings/m${i}.yaml`,
      status: 'failed',
      message: 'service unavailable; retries exhausted',
      httpStatus: 503,
      trackingId: `ROUTER_${i}`,
      attempts: 4,
      warnings: [],
    }));
    const report: ApplyReport = { ...sampleReport(), outcomes, counts: countOutcomes(outcomes) };
    const md = renderApplyMarkdown(report, { words: WORDS });
    expect(md.length).toBeLessThanOrEqual(65_536);
    const rows = md.split('\n').filter((l) => l.startsWith('| failed |'));
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) expect(row).toMatch(/^\| failed \| series `m\d{5}` \| `meetings\/m\d+\.yaml` \| .* \| 503 \| `ROUTER_\d+` \|$/);
    expect(md.trimEnd().split('\n').at(-1)).toBe(
      `… ${(3000 - rows.length).toLocaleString('en-US')} more meetings not shown (${(renderApplyMarkdown(report, { words: WORDS, maxChars: Number.MAX_SAFE_INTEGER }).length - 65_536).toLocaleString('en-US')} characters over the 65,536 limit of a comment); run apply with \`--format json\` for the full report.`,
    );
  });

  it('folds each applied meeting in a section with the fields sent, after what needs a human', () => {
    const md = renderApplyMarkdown(sampleReport(), { words: WORDS });
    const order = ['| Applied |', '#### Not applied', '#### Verification warnings', '#### Applied', '<details><summary>✓ series'].map((s) => md.indexOf(s));
    expect(order.every((pos) => pos >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md.split('<details>').length - 1).toBe(2);
    expect(md.split('</details>').length - 1).toBe(2);
    expect(md).toContain('| `meetingOptions.enabledChat` | `false` |');
    expect(md).toContain('Fields sent (accepted after 2 attempts):');
    expect(md).toContain('Invitees were not emailed.');
    expect(renderApplyMarkdown(sampleReport({ sendEmail: true }), { words: WORDS })).toContain('Invitees were emailed about each change.');
  });

  it('says so when an applied outcome does not record its patch', () => {
    const md = renderApplyMarkdown(cleanReport(), { words: WORDS });
    expect(md).toContain('Applied; this report does not record the fields that were sent.');
    expect(md).toContain('</details>');
  });

  it('shortens a giant report between whole sections, keeping what was not applied, with a line saying what was left out', () => {
    const applied: ChangeOutcome[] = Array.from({ length: 5000 }, (_, i) => {
      const n = String(i).padStart(4, '0');
      return {
        id: `${n}${'a'.repeat(28)}`,
        kind: 'series',
        action: 'update',
        file: `meetings/bulk/meeting-${n}.yaml`,
        label: `Bulk meeting ${n}`,
        status: 'applied',
        attempts: 1,
        warnings: [],
        patch: { title: `Bulk meeting ${n} (renamed)`, agenda: `Agenda ${n}`, meetingOptions: { enabledChat: false }, password: '(sensitive)' },
        sensitive: ['password'],
      };
    });
    const outcomes = [...sampleReport().outcomes.filter((o) => o.status !== 'applied'), ...applied];
    const report: ApplyReport = { ...sampleReport(), outcomes, counts: countOutcomes(outcomes) };
    const md = renderApplyMarkdown(report, { words: WORDS });
    const full = renderApplyMarkdown(report, { words: WORDS, maxChars: Number.MAX_SAFE_INTEGER });
    expect(full.length).toBeGreaterThan(1_000_000);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md.startsWith(full.slice(0, full.indexOf('#### Applied')))).toBe(true);

    // Every section that is shown is whole, and the comment ends right after one of them.
    const sections = md.split('<details>').length - 1;
    expect(sections).toBeGreaterThan(50);
    expect(md.split('</details>').length - 1).toBe(sections);
    const lines = md.trimEnd().split('\n');
    expect(lines.at(-3)).toBe('</details>');
    expect(lines.at(-2)).toBe('');
    expect(lines.at(-1)).toBe(
      `… ${(5000 - sections).toLocaleString('en-US')} more meetings not shown (${(full.length - 65_536).toLocaleString('en-US')} characters over the 65,536 limit of a comment); run apply with \`--format json\` for the full report.`,
    );
    // Every table shown is whole: the sections kept are the first ones, each with all its fields.
    const fieldRows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(fieldRows).toHaveLength(sections * 4);
    expect(md).toContain(`<code>${String(sections - 1).padStart(4, '0')}${'a'.repeat(28)}</code>`);
    expect(md).not.toContain(`<code>${String(sections).padStart(4, '0')}${'a'.repeat(28)}</code>`);
  });
});
