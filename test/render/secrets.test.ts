import { describe, expect, it } from 'vitest';
import { executePlan } from '../../core/executor.js';
import { AdaptiveLimit } from '../../core/gate.js';
import { makePlan, type Plan } from '../../core/plan.js';
import { countOutcomes, type ApplyReport, type ChangeOutcome } from '../../core/report.js';
import { renderApplyJson, renderApplyMarkdown, renderApplyText, renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { serializePlan } from '../../core/saved-plan.js';
import { BASE_URL, change, NOW } from './fixtures.js';
import { WORDS } from './fixtures.js';

const NEW_PASSWORD = 'N3w-S3cret!x';
const OLD_PASSWORD = 'Old-S3cret?y';
const PANELIST_REF = '${env:PANELIST_PASSWORD}';
const OLD_PANELIST = 'Old-Panelist#z';

/** A change whose patch carries a literal password and whose `before` holds the live secrets unmasked. */
function secretPlan(action: 'update' | 'notUpdatable' = 'update'): Plan {
  return makePlan({
    baseUrl: BASE_URL,
    controls: { sendEmail: false },
    now: NOW,
    changes: [
      change({
        id: 'm1',
        file: 'meetings/board.yaml',
        label: 'Board meeting',
        action,
        reason: action === 'notUpdatable' ? 'the meeting has ended' : undefined,
        patch: { title: 'Board', password: NEW_PASSWORD, panelistPassword: PANELIST_REF, meetingOptions: { enabledChat: false } },
        before: { title: 'Board meeting', password: OLD_PASSWORD, panelistPassword: OLD_PANELIST, meetingOptions: { enabledChat: true } },
        sensitive: ['password', 'panelistPassword'],
      }),
    ],
  });
}

describe('sensitive fields', () => {
  for (const action of ['update', 'notUpdatable'] as const) {
    it(`no text or Markdown output shows a sensitive value (${action})`, () => {
      const outputs = [renderPlanText(secretPlan(action), { color: false, words: WORDS }), renderPlanText(secretPlan(action), { color: true, words: WORDS }), renderPlanMarkdown(secretPlan(action), { words: WORDS })];
      for (const out of outputs) {
        for (const secret of [NEW_PASSWORD, OLD_PASSWORD, PANELIST_REF, OLD_PANELIST, 'S3cret', 'PANELIST_PASSWORD']) expect(out).not.toContain(secret);
      }
    });
  }

  it('the fields are still listed as changing, masked', () => {
    const text = renderPlanText(secretPlan(), { color: false, words: WORDS });
    expect(text).toContain('~ password: (sensitive)');
    expect(text).toContain('~ panelistPassword: (sensitive)');
    expect(text).toContain('~ title: "Board meeting" → "Board"');
    expect(renderPlanMarkdown(secretPlan(), { words: WORDS })).toContain('| `password` | (sensitive) | (sensitive) |');
  });

  it('the JSON plan never holds a live secret, and keeps the reference apply resolves', () => {
    const json = renderPlanJson(secretPlan());
    expect(json).not.toContain(OLD_PASSWORD);
    expect(json).not.toContain(OLD_PANELIST);
    const saved = JSON.parse(json) as Plan;
    expect(saved.changes[0].before).toStrictEqual({ title: 'Board meeting', password: '(sensitive)', panelistPassword: '(sensitive)', meetingOptions: { enabledChat: true } });
    expect(saved.changes[0].patch.panelistPassword).toBe(PANELIST_REF);
    expect(serializePlan(secretPlan())).toBe(json);
  });
});

describe('sensitive fields in the apply report', () => {
  const SECRETS = [NEW_PASSWORD, OLD_PASSWORD, PANELIST_REF, OLD_PANELIST, 'S3cret', 'PANELIST_PASSWORD'];

  async function appliedReport(): Promise<ApplyReport> {
    return executePlan({
      changes: secretPlan().changes,
      send: async () => ({ ok: true, attempts: 1, warnings: [] }),
      limit: new AdaptiveLimit(2),
      baseUrl: BASE_URL,
      controls: { sendEmail: false },
    });
  }

  it('the executor records what an applied change sent with its sensitive values masked', async () => {
    const [outcome] = (await appliedReport()).outcomes;
    expect(outcome.status).toBe('applied');
    expect(outcome.patch).toStrictEqual({ title: 'Board', password: '(sensitive)', panelistPassword: '(sensitive)', meetingOptions: { enabledChat: false } });
    expect(outcome.sensitive).toStrictEqual(['password', 'panelistPassword']);
    // The plan the report was made from still sends the real values.
    expect(secretPlan().changes[0].patch.password).toBe(NEW_PASSWORD);
  });

  it('no apply output shows a password or a reference to one; the Markdown masks them as the plan does', async () => {
    const report = await appliedReport();
    const md = renderApplyMarkdown(report, { words: WORDS });
    for (const out of [md, renderApplyJson(report), renderApplyText(report, { color: false, words: WORDS })]) {
      for (const secret of SECRETS) expect(out).not.toContain(secret);
    }
    expect(md).toContain('| `password` | (sensitive) |');
    expect(md).toContain('| `panelistPassword` | (sensitive) |');
    expect(md).toContain('| `title` | `"Board"` |');
    // The same masked rows as the plan's comment.
    expect(renderPlanMarkdown(secretPlan(), { words: WORDS })).toContain('| `password` | (sensitive) | (sensitive) |');
  });

  it('the Markdown masks a sensitive field even when the report holds its value', () => {
    const outcome: ChangeOutcome = {
      id: 'm1',
      kind: 'series',
      action: 'update',
      file: 'meetings/board.yaml',
      status: 'applied',
      attempts: 1,
      warnings: [],
      patch: { password: NEW_PASSWORD, panelistPassword: PANELIST_REF, title: 'Board' },
      sensitive: ['password', 'panelistPassword'],
    };
    const md = renderApplyMarkdown({ ...sampleReportBase(), outcomes: [outcome], counts: countOutcomes([outcome]) }, { words: WORDS });
    for (const secret of SECRETS) expect(md).not.toContain(secret);
    expect(md).toContain('| `password` | (sensitive) |');
  });
});

function sampleReportBase(): Omit<ApplyReport, 'outcomes' | 'counts'> {
  return { baseUrl: BASE_URL, startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), interrupted: false, controls: { sendEmail: false } };
}
