import { describe, expect, it } from 'vitest';
import { makePlan } from '../../core/plan.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { serializePlan } from '../../core/saved-plan.js';
import { BASE_URL, change, emptyPlan, giantPlan, NOW, samplePlan, SERIES } from './fixtures.js';
import { expectGolden } from './golden.js';
import { WORDS } from './fixtures.js';

describe('renderPlanText', () => {
  it('matches the golden file (no colour)', () => {
    expectGolden('plan.txt', renderPlanText(samplePlan(), { color: false, words: WORDS }));
  });

  it('matches the golden file (colour)', () => {
    expectGolden('plan.color.txt', renderPlanText(samplePlan(), { color: true, words: WORDS }));
  });

  it('uses no escape sequences without colour, and some with it', () => {
    expect(renderPlanText(samplePlan(), { color: false, words: WORDS })).not.toContain('\u001b');
    expect(renderPlanText(samplePlan(), { color: true, words: WORDS })).toContain('\u001b[32m+\u001b[39m agenda');
  });

  it('says there is nothing to do when every meeting matches', () => {
    expectGolden('plan-no-changes.txt', renderPlanText(emptyPlan(), { color: false, words: WORDS }));
    expect(renderPlanText(emptyPlan(), { color: false, words: WORDS })).toContain('No changes. Your meetings match the configuration.');
  });

  it('counts noops without listing them', () => {
    const text = renderPlanText(samplePlan(), { color: false, words: WORDS });
    expect(text).toContain('40 unchanged');
    expect(text).not.toContain('meetings/team/');
  });

  it('shows only the members that change of an object sent whole (the others go as they are)', () => {
    const stream = { destination: 'YouTube', rtmpUrl: 'rtmp://a.example/live', streamUrl: 'https://example.com/watch' };
    const update = change({ id: SERIES, file: 'a.yaml', patch: { liveStream: { ...stream, resolution: '1080p' } }, before: { liveStream: { ...stream, resolution: '720p' } } });
    const plan = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [update] });
    const text = renderPlanText(plan, { color: false, words: WORDS });
    expect(text).toContain('~ liveStream.resolution: "720p" → "1080p"');
    expect(text).not.toMatch(/liveStream\.(destination|rtmpUrl|streamUrl)/);
    expect(renderPlanMarkdown(plan, { words: WORDS })).not.toMatch(/liveStream\.(destination|rtmpUrl|streamUrl)/);
  });

  it('does not claim the meetings match when some could not be planned', () => {
    const plan = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [change({ id: 'e1', file: 'a.yaml', action: 'error', reason: 'boom' })] });
    const text = renderPlanText(plan, { color: false, words: WORDS });
    expect(text).toContain('No changes to apply.');
    expect(text).not.toContain('match the configuration');
  });

  it('tells when apply will email invitees', () => {
    expect(renderPlanText(samplePlan({ sendEmail: true }), { color: false, words: WORDS })).toContain('Invitees will be emailed about each change (--send-email).');
  });

  it('is stable whatever order the changes come in', () => {
    const plan = samplePlan();
    const shuffled = { ...plan, changes: [...plan.changes].reverse() };
    expect(renderPlanText(shuffled, { color: false, words: WORDS })).toBe(renderPlanText(plan, { color: false, words: WORDS }));
    expect(renderPlanMarkdown(shuffled, { words: WORDS })).toBe(renderPlanMarkdown(plan, { words: WORDS }));
  });

  it('elides long strings in the middle and keeps both ends', () => {
    const long = `start-${'x'.repeat(200)}-end`;
    const plan = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: [change({ id: 'm', file: 'a.yaml', patch: { agenda: long }, before: {} })] });
    const line = renderPlanText(plan, { color: false, words: WORDS }).split('\n').find((l) => l.includes('agenda'))!;
    expect(line).toMatch(/\+ agenda: "start-x+…x+-end"$/);
    expect(line.length).toBeLessThan(100);
  });

  it('names the dependency when it is not in the plan', () => {
    const plan = makePlan({
      baseUrl: BASE_URL,
      controls: { sendEmail: false },
      now: NOW,
      changes: [change({ id: 's_1', kind: 'scheduledMeeting', file: 'a.yaml', dependsOn: 's', patch: { title: 'x' }, before: { title: 'y' } })],
    });
    expect(renderPlanText(plan, { color: false, words: WORDS })).toContain('(after s)');
  });
});

describe('renderPlanJson', () => {
  it('is the saved-plan file and matches the golden file', () => {
    const plan = samplePlan();
    expect(renderPlanJson(plan)).toBe(serializePlan(plan));
    expectGolden('plan.json', renderPlanJson(plan));
  });
});

describe('renderPlanMarkdown', () => {
  it('matches the golden file', () => {
    expectGolden('plan.md', renderPlanMarkdown(samplePlan(), { words: WORDS }));
  });

  it('matches the golden file when there is nothing to do', () => {
    expectGolden('plan-no-changes.md', renderPlanMarkdown(emptyPlan(), { words: WORDS }));
  });

  it('puts the summary table first, then the email note, then the meetings', () => {
    const md = renderPlanMarkdown(samplePlan(), { words: WORDS });
    const table = md.indexOf('| Update | Unchanged | Not updatable | Errors | Warnings |');
    const note = md.indexOf('Invitees will not be emailed');
    // A small plan (at most SMALL_PLAN updates): its sections are open.
    const first = md.indexOf('<details open>');
    expect(table).toBeGreaterThan(0);
    expect(table).toBeLessThan(note);
    expect(note).toBeLessThan(first);
    expect(md.indexOf('#### Not updatable')).toBeGreaterThan(md.lastIndexOf('</details>'));
    expect(md.indexOf('#### Errors')).toBeGreaterThan(md.indexOf('#### Not updatable'));
  });

  describe('a giant plan (2,000 meetings)', () => {
    const plan = giantPlan(2000);
    const full = renderPlanMarkdown(plan, { words: WORDS, maxChars: Number.MAX_SAFE_INTEGER });
    const md = renderPlanMarkdown(plan, { words: WORDS });

    it('is shortened to the comment limit and matches the golden file', () => {
      expect(full.length).toBeGreaterThan(65_536);
      expect(md.length).toBeLessThanOrEqual(65_536);
      expectGolden('plan-giant.md', md);
    });

    it('ends with the "more meetings" line, whose numbers add up', () => {
      const shown = md.split('<details>').length - 1;
      const last = md.trimEnd().split('\n').at(-1)!;
      const over = (full.length - 65_536).toLocaleString('en-US');
      expect(last).toBe(
        `… ${(2000 - shown).toLocaleString('en-US')} more meetings not shown (${over} characters over the 65,536 limit of a comment); run \`meetctl plan\` for the full plan.`,
      );
      expect(shown).toBeGreaterThan(100);
    });

    it('never cuts a section or a table', () => {
      expect(md.split('<details>').length).toBe(md.split('</details>').length);
      const sections = md.split('<details>').slice(1);
      for (const section of sections) {
        expect(section).toMatch(/^<summary>[^\n]*<\/summary>\n\n\| Field \| Before \| After \|\n\| --- \| --- \| --- \|\n(\| [^\n]* \|\n){3}\n<\/details>\n/);
      }
      // The kept sections are a prefix: meetings are dropped from the end.
      expect(full.startsWith(md.slice(0, md.lastIndexOf('</details>')))).toBe(true);
    });

    it('honours a smaller limit too, down to one that leaves no room for any meeting', () => {
      for (const maxChars of [50_000, 10_000, 2_000, 700, 300, 40]) {
        expect(renderPlanMarkdown(plan, { words: WORDS, maxChars }).length).toBeLessThanOrEqual(maxChars);
      }
      expect(renderPlanMarkdown(plan, { words: WORDS, maxChars: 700 })).toContain('… 2,000 more meetings not shown');
    });
  });

  it('keeps errors and not-updatable meetings before dropping changed ones', () => {
    const big = giantPlan(300);
    const plan = makePlan({
      baseUrl: BASE_URL,
      controls: { sendEmail: false },
      now: NOW,
      changes: [...big.changes, change({ id: 'zzzz', file: 'zzz.yaml', action: 'error', reason: 'not found (404)' })],
    });
    const md = renderPlanMarkdown(plan, { words: WORDS, maxChars: 10_000 });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md).toContain('#### Errors');
    expect(md).toContain('not found (404)');
    expect(md.trimEnd().split('\n').at(-1)).toMatch(/^… \d+ more meetings not shown/);
  });
});
