import { describe, expect, test } from 'vitest';
import { makePlan, type Change } from '../../core/plan.js';
import { checkChangeCounts, checkPlanAge, checkSavedPlanTarget } from '../../core/policy.js';

function change(i: number, action: Change['action']): Change {
  return { id: `m${i}`, kind: 'series', action, file: `f${i}.yaml`, patch: {}, before: {}, fingerprint: '', warnings: [], order: 0 };
}

function planOf(updates: number, total: number, createdAt = '2027-03-01T08:00:00.000Z') {
  const changes = Array.from({ length: total }, (_, i) => change(i, i < updates ? 'update' : 'noop'));
  return makePlan({ baseUrl: 'http://x/v1', sendEmail: false, changes, now: new Date(createdAt) });
}

const words = { noun: 'things', massChangeWhy: 'a typo can rewrite them all' };

describe('checkChangeCounts', () => {
  test.each([
    // updates, total, maxChanges, force, refusal code
    [3, 10, undefined, false, undefined],
    [4, 10, undefined, false, 'policy.massChange'],
    [4, 10, undefined, true, undefined],
    [9, 9, undefined, false, undefined], // fewer than 10 managed: the share guard does not apply
    [5, 100, 4, false, 'policy.maxChanges'],
    [5, 100, 5, false, undefined],
    [5, 100, 4, true, 'policy.maxChanges'], // --force lifts the share guard only
  ])('%i of %i, --max-changes %s, force %s → %s', (updates, total, maxChanges, force, code) => {
    expect(checkChangeCounts(planOf(updates, total), { maxChanges, force, ...words })?.code).toBe(code);
  });

  test('the sentence uses the caller\'s words', () => {
    expect(checkChangeCounts(planOf(12, 12), words)?.message).toBe(
      'the plan changes 12 of 12 managed things (100%), more than 30%: a typo can rewrite them all, so this needs --force (nothing was applied)',
    );
  });
});

describe('checkPlanAge (by the server clock)', () => {
  const made = Date.parse('2027-03-01T08:00:00.000Z');
  test.each([
    [made + 23 * 3600e3, undefined],
    [made + 25 * 3600e3, 'policy.planAge'],
    [made - 60e3, undefined], // within the tolerance for clocks moving on between reads
    [made - 3 * 60e3, 'policy.planFromFuture'],
  ])('server now %s → %s', (now, code) => {
    expect(checkPlanAge(planOf(1, 1), 24 * 3600e3, now)?.code).toBe(code);
  });

  test('a createdAt that is not a date is refused', () => {
    expect(checkPlanAge({ ...planOf(1, 1), createdAt: 'yesterday' }, 3600e3, made)?.code).toBe('policy.badCreatedAt');
  });
});

describe('checkSavedPlanTarget', () => {
  test.each([
    ['http://x/v1', 2, undefined],
    ['http://y/v1', 2, 'policy.otherTarget'],
    ['http://x/v1', 1, 'policy.formatVersion'],
  ])('applied against %s, format %i → %s', (baseUrl, version, code) => {
    expect(checkSavedPlanTarget({ ...planOf(1, 1), formatVersion: version }, baseUrl)?.code).toBe(code);
  });
});
