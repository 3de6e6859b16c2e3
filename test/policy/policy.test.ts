import { describe, expect, test } from 'vitest';
import { makePlan, type Change } from '../../core/plan.js';
import { checkChangeCounts, checkDeletes, checkPlanAge, checkSavedPlanTarget, guardNotes } from '../../core/policy.js';

function change(i: number, action: Change['action']): Change {
  return { id: `m${i}`, kind: 'series', action, file: `f${i}.yaml`, patch: {}, before: {}, fingerprint: '', warnings: [], order: 0 };
}

function planOf(updates: number, total: number, createdAt = '2027-03-01T08:00:00.000Z') {
  const changes = Array.from({ length: total }, (_, i) => change(i, i < updates ? 'update' : 'noop'));
  return makePlan({ baseUrl: 'http://x/v1', controls: { sendEmail: false }, changes, now: new Date(createdAt) });
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

describe('checkChangeCounts counts what the files declare and what already exists, by document', () => {
  const plan = (changes: Change[]) => makePlan({ baseUrl: 'http://x/v1', controls: { sendEmail: false }, changes, now: new Date('2027-03-01T08:00:00.000Z') });
  const doc = (key: string, action: Change['action'], n = 0): Change => ({ ...change(n, action), id: `${key}#${n}`, key, file: `${key}.yaml` });

  test('creates are no managed objects: 10 existing rewritten beside 30 new ones is still 10 of 10', () => {
    const changes = [...Array.from({ length: 10 }, (_, i) => doc(`old${i}`, 'update')), ...Array.from({ length: 30 }, (_, i) => doc(`new${i}`, 'create'))];
    expect(checkChangeCounts(plan(changes), words)?.message).toMatch(/^the plan changes 10 of 10 managed things \(100%\)/);
  });

  test("a document's other objects (its unchanged overrides) do not dilute the share, and one change re-sending them counts once", () => {
    // 4 of 10 documents rewritten, each with 3 unchanged objects of its own beside: 4 of 10, not 4 of 40.
    const diluted = Array.from({ length: 10 }, (_, i) => [doc(`d${i}`, i < 4 ? 'update' : 'noop'), ...[1, 2, 3].map((n) => doc(`d${i}`, 'noop', n))]).flat();
    expect(checkChangeCounts(plan(diluted), words)?.message).toMatch(/^the plan changes 4 of 10 managed things \(40%\)/);
    // One document whose change re-sends its 5 other objects, among 10: 1 of 10, within the guard.
    const resent = [...[0, 1, 2, 3, 4, 5].map((n) => doc('d0', 'update', n)), ...Array.from({ length: 9 }, (_, i) => doc(`d${i + 1}`, 'noop'))];
    expect(checkChangeCounts(plan(resent), words)).toBeUndefined();
  });

  test("a cancel (a delete of one of a file's scheduled meetings) changes that file's meeting; a prune delete's meeting has no file", () => {
    // 4 of 10 files each cancel one occurrence and change nothing else: 4 of 10, as 4 updates would be.
    const cancels = Array.from({ length: 10 }, (_, i) => [doc(`d${i}`, 'noop'), ...(i < 4 ? [doc(`d${i}`, 'delete', 1)] : [])]).flat();
    expect(checkChangeCounts(plan(cancels), words)?.message).toMatch(/^the plan changes 4 of 10 managed things \(40%\)/);
    // 3 of 10 updated beside 20 prune deletes: 3 of 10 (the delete guard weighs the deletes), not 3 of 30.
    const pruned = [...Array.from({ length: 10 }, (_, i) => doc(`d${i}`, i < 3 ? 'update' : 'noop')), ...Array.from({ length: 20 }, (_, i) => ({ ...doc(`gone${i}`, 'delete'), prune: true }))];
    expect(checkChangeCounts(plan(pruned), words)).toBeUndefined();
    expect(checkChangeCounts(plan([...pruned, doc('d3', 'update')]), words)?.message).toMatch(/^the plan changes 4 of 10 managed things/);
  });

  test('a change with no key (a plan saved before keys) is its own document; an error is not counted as managed', () => {
    const changes = [...Array.from({ length: 4 }, (_, i) => change(i, 'update')), ...Array.from({ length: 6 }, (_, i) => change(i + 4, 'noop')), ...Array.from({ length: 5 }, (_, i) => change(i + 10, 'error'))];
    expect(checkChangeCounts(plan(changes), words)?.message).toMatch(/^the plan changes 4 of 10 managed things/);
  });
});

describe('guardNotes: what apply will refuse without --force, said when the plan is made', () => {
  test('a mass change is named, without "nothing was applied"; a plan within the guards has no note', () => {
    expect(guardNotes(planOf(12, 12), words)).toEqual(['apply: the plan changes 12 of 12 managed things (100%), more than 30%: a typo can rewrite them all, so this needs --force']);
    expect(guardNotes(planOf(3, 10), words)).toEqual([]);
  });

  test('so is a delete guard', () => {
    const changes = Array.from({ length: 10 }, (_, i) => ({ ...change(i, i < 2 ? 'delete' : 'noop'), prune: i < 2 ? true : undefined }));
    const plan = { ...makePlan({ baseUrl: 'http://x/v1', controls: { sendEmail: false }, changes, now: new Date() }), owned: 10 };
    expect(guardNotes(plan, words)).toEqual([expect.stringMatching(/^apply: the plan deletes 2 of 10 owned things \(20%\), more than 10%: .* needs --max-deletes 2 or --force$/)]);
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

  test('the refusal names the limit as --max-plan-age takes it (a second is not "0 min")', () => {
    expect(checkPlanAge(planOf(1, 1), 24 * 3600e3, made + 25 * 3600e3)?.message).toContain('longer ago than --max-plan-age (24h)');
    expect(checkPlanAge(planOf(1, 1), 90 * 60e3, made + 2 * 3600e3)?.message).toContain('(90m)');
    expect(checkPlanAge(planOf(1, 1), 1e3, made + 60e3)?.message).toContain('(1s)');
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

describe('checkDeletes (the delete guard)', () => {
  /** `deletes` prune deletes of `owned` owned objects, the rest of them unchanged; `cancels` deletes that are not prunes. */
  function pruning(deletes: number, owned: number, cancels = 0) {
    const changes = [
      ...Array.from({ length: deletes }, (_, i): Change => ({ ...change(i, 'delete'), prune: true, file: '' })),
      ...Array.from({ length: owned - deletes }, (_, i) => change(deletes + i, 'noop')),
      ...Array.from({ length: cancels }, (_, i) => change(owned + i, 'delete')),
    ];
    return makePlan({ baseUrl: 'http://x/v1', controls: { sendEmail: false }, changes, owned, now: new Date('2027-03-01T08:00:00.000Z') });
  }

  test.each([
    // deletes, owned, maxDeletes, force, refusal code
    [0, 10, undefined, false, undefined],
    [9, 9, undefined, false, undefined], // fewer than 10 owned: the share guard does not apply, however many go
    [1, 10, undefined, false, undefined], // 10% of 10
    [2, 10, undefined, false, 'policy.deletes'],
    [2, 10, undefined, true, undefined],
    [10, 100, undefined, false, undefined],
    [11, 100, undefined, false, 'policy.deletes'],
    [2, 10, 2, false, undefined], // --max-deletes replaces the share
    [1, 10, 0, false, 'policy.maxDeletes'],
    [1, 5, 0, false, 'policy.maxDeletes'], // ... even below 10 owned
    [3, 10, 2, false, 'policy.maxDeletes'],
    [3, 10, 2, true, undefined], // --force lifts --max-deletes too
  ])('%i of %i owned, --max-deletes %s, force %s → %s', (deletes, owned, maxDeletes, force, code) => {
    expect(checkDeletes(pruning(deletes, owned), { maxDeletes, force, noun: 'things' })?.code).toBe(code);
  });

  test('only prunes count: cancelling occurrences a file declares is not guarded', () => {
    expect(checkDeletes(pruning(0, 10, 5), { noun: 'things' })).toBeUndefined();
    expect(checkDeletes(pruning(0, 10, 5), { maxDeletes: 0, noun: 'things' })).toBeUndefined();
  });

  test('the sentences say what to pass, in the caller\'s words', () => {
    expect(checkDeletes(pruning(2, 10), { noun: 'things' })?.message).toBe(
      'the plan deletes 2 of 10 owned things (20%), more than 10%: a deleted thing cannot be recovered, so this needs --max-deletes 2 or --force (nothing was applied)',
    );
    expect(checkDeletes(pruning(1, 10), { maxDeletes: 0, noun: 'things' })?.message).toBe(
      'the plan deletes 1 thing, more than --max-deletes 0: a deleted thing cannot be recovered, so this needs --force (nothing was applied)',
    );
  });
});
