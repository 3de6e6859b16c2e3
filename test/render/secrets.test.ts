import { describe, expect, it } from 'vitest';
import { makePlan, type Plan } from '../../core/plan.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { serializePlan } from '../../core/saved-plan.js';
import { BASE_URL, change, NOW } from './fixtures.js';

const NEW_PASSWORD = 'N3w-S3cret!x';
const OLD_PASSWORD = 'Old-S3cret?y';
const PANELIST_REF = '${env:PANELIST_PASSWORD}';
const OLD_PANELIST = 'Old-Panelist#z';

/** A change whose patch carries a literal password and whose `before` holds the live secrets unmasked. */
function secretPlan(action: 'update' | 'notUpdatable' = 'update'): Plan {
  return makePlan({
    baseUrl: BASE_URL,
    sendEmail: false,
    now: NOW,
    changes: [
      change({
        meetingId: 'm1',
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
      const outputs = [renderPlanText(secretPlan(action), { color: false }), renderPlanText(secretPlan(action), { color: true }), renderPlanMarkdown(secretPlan(action))];
      for (const out of outputs) {
        for (const secret of [NEW_PASSWORD, OLD_PASSWORD, PANELIST_REF, OLD_PANELIST, 'S3cret', 'PANELIST_PASSWORD']) expect(out).not.toContain(secret);
      }
    });
  }

  it('the fields are still listed as changing, masked', () => {
    const text = renderPlanText(secretPlan(), { color: false });
    expect(text).toContain('~ password: (sensitive)');
    expect(text).toContain('~ panelistPassword: (sensitive)');
    expect(text).toContain('~ title: "Board meeting" → "Board"');
    expect(renderPlanMarkdown(secretPlan())).toContain('| `password` | (sensitive) | (sensitive) |');
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
