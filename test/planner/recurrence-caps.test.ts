/**
 * Webex's adjustments of a recurrence rule (first BYMONTHDAY/BYDAY of MONTHLY/YEARLY, COUNT and
 * UNTIL caps): the planner predicts what Webex stores, warns about it on every plan (also when
 * nothing is sent), and agrees with the emulator, which implements the reference on its own.
 */
import { describe, expect, test } from 'vitest';
import { normalizeRule } from '../../emulator/recurrence.js';
import { summarize } from '../../core/plan.js';
import type { IdentifiedMeeting } from '../../meetings/desired.js';
import { planSeries } from '../../meetings/planner.js';
import type { Meeting } from '../../meetings/client.js';
import { formatRecurrence, normalizeRecurrence, parseRecurrence } from '../../meetings/recurrence.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');
const SERIES = '1d824a4a205042eba9574e00b711b226';
const ctx = { nowMs: NOW, env: {} };

function desired(fields: Record<string, unknown>): IdentifiedMeeting {
  return { id: SERIES, file: 'meetings/sync.yaml', fields, occurrences: [], locate: () => ({ file: 'meetings/sync.yaml', line: 1, col: 1 }) };
}

function live(recurrence: string, extra: Record<string, unknown> = {}): Meeting {
  return {
    id: SERIES,
    meetingType: 'meetingSeries',
    scheduledType: 'meeting',
    state: 'active',
    title: 'Sync',
    timezone: 'Europe/Berlin',
    start: '2027-03-02T09:00:00+01:00',
    end: '2027-03-02T09:30:00+01:00',
    recurrence,
    ...extra,
  };
}

const plan = (fields: Record<string, unknown>, liveRule: string) => planSeries(desired(fields), { ok: true, meeting: live(liveRule) }, ctx).change;

describe('a rule Webex adjusts, on a meeting that already carries the adjustment', () => {
  test('MONTHLY BYMONTHDAY=1,15: no update, and the truncation warning is kept (and counted)', () => {
    const change = plan({ recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=12' }, 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=12');
    expect(change.action).toBe('noop');
    expect(change.patch).toEqual({});
    expect(change.warnings).toEqual(['recurrence: Webex keeps only the first BYMONTHDAY of a MONTHLY rule: BYMONTHDAY=1,15 becomes BYMONTHDAY=1.']);
    expect(summarize([change])).toEqual({ create: 0, update: 0, delete: 0, noop: 1, notUpdatable: 0, error: 0, warnings: 1 });
  });

  test('YEARLY BYDAY=1MO,2TU: no update, with the warning', () => {
    const change = plan({ recurrence: 'FREQ=YEARLY;BYMONTH=3;BYDAY=1MO,2TU;COUNT=3' }, 'FREQ=YEARLY;BYMONTH=3;BYDAY=1MO;COUNT=3');
    expect(change.action).toBe('noop');
    expect(change.warnings).toEqual(['recurrence: Webex keeps only the first BYDAY of a YEARLY rule: BYDAY=1MO,2TU becomes BYDAY=1MO.']);
  });

  test('WEEKLY COUNT=400 against the COUNT that fits five years (255): no update, with the dates in the warning', () => {
    const change = plan({ recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=400' }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=255');
    expect(change.action).toBe('noop');
    expect(change.warnings).toEqual([
      'recurrence: Webex ends a series at most five years from now: COUNT=400 becomes COUNT=255 (the last meeting on 2032-01-13 instead of 2034-10-24).',
    ]);
  });

  test('COUNT reduced on an earlier day: no update, and the warning names what Webex stored', () => {
    // Written last spring: 240 Tuesdays then reached the five-year date.
    const change = plan({ recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=400' }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=240');
    expect(change.action).toBe('noop');
    expect(change.warnings).toEqual(['recurrence: Webex ends a series at most five years after it is written: COUNT=400 is stored as COUNT=240.']);
  });

  test('a live COUNT well short of five years is not taken for a reduced one', () => {
    const change = plan({ recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=400' }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=100');
    expect(change.action).toBe('update');
    expect(change.patch).toEqual({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=255' });
  });

  test('UNTIL eight years ahead against the cap written today: no update, with the cap warning', () => {
    const change = plan({ recurrence: 'FREQ=DAILY;UNTIL=20350115T000000Z' }, 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115T235959Z');
    expect(change.action).toBe('noop');
    expect(change.warnings).toEqual(['recurrence: Webex ends a series at most five years from now: UNTIL=20350115T000000Z becomes UNTIL=20320115T235959Z.']);
  });

  test('UNTIL capped on an earlier day: no update, and the warning names what Webex stored', () => {
    const change = plan({ recurrence: 'FREQ=DAILY;UNTIL=20350115T000000Z' }, 'FREQ=DAILY;INTERVAL=1;UNTIL=20311001T235959Z');
    expect(change.action).toBe('noop');
    expect(change.warnings).toEqual([
      'recurrence: Webex ends a series at most five years after it is written: UNTIL=20350115T000000Z is stored as UNTIL=20311001T235959Z.',
    ]);
  });

  test('UNTIL capped on an earlier day, with a truncated BYMONTHDAY too: no update, both warnings', () => {
    const change = plan({ recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1,15;UNTIL=21241001T000000Z' }, 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;UNTIL=20311001T235959Z');
    expect(change.action).toBe('noop');
    expect(change.warnings).toHaveLength(2);
    expect(change.warnings[0]).toMatch(/first BYMONTHDAY/);
    expect(change.warnings[1]).toMatch(/is stored as UNTIL=20311001T235959Z/);
  });

  test('a live UNTIL well short of the cap is not taken for a capped one', () => {
    const change = plan({ recurrence: 'FREQ=DAILY;UNTIL=20350115T000000Z' }, 'FREQ=DAILY;INTERVAL=1;UNTIL=20290101T000000Z');
    expect(change.action).toBe('update');
    expect(change.patch).toEqual({ recurrence: 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115T235959Z' });
  });

  test('another field changes: the update carries the warning of the unchanged rule', () => {
    const change = planSeries(desired({ title: 'Sync (new)', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=12' }), { ok: true, meeting: live('FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12') }, ctx).change;
    expect(change.action).toBe('update');
    expect(change.patch).toEqual({ title: 'Sync (new)' });
    expect(change.warnings).toEqual([expect.stringMatching(/^recurrence: Webex keeps only the first BYMONTHDAY/)]);
  });
});

describe('a rule Webex adjusts, on a meeting that does not carry it yet', () => {
  test('a COUNT that runs past five years is sent as the meetings that start by then, with the dates', () => {
    const change = plan({ recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=400' }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20');
    expect(change.action).toBe('update');
    expect(change.patch).toEqual({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=255' });
    expect(change.warnings).toEqual([
      'recurrence: Webex ends a series at most five years from now: COUNT=400 becomes COUNT=255 (the last meeting on 2032-01-13 instead of 2034-10-24).',
    ]);
  });

  test('the limit is the date of the last meeting, not a count per frequency: a quarterly COUNT=60 ends in 2041', () => {
    const change = plan({ recurrence: 'FREQ=MONTHLY;INTERVAL=3;COUNT=60' }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20');
    expect(change.patch).toEqual({ recurrence: 'FREQ=MONTHLY;INTERVAL=3;COUNT=20' });
    expect(change.warnings).toEqual([
      'recurrence: Webex ends a series at most five years from now: COUNT=60 becomes COUNT=20 (the last meeting on 2031-12-02 instead of 2041-12-02).',
    ]);
  });

  test('a rule that never ends is unlimited: sent as written, no warning', () => {
    const change = plan({ recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20');
    expect(change.patch).toEqual({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR' });
    expect(change.warnings).toEqual([]);
  });

  test('three meetings a week may pass 261 when they all start within five years', () => {
    const change = plan({ recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=700' }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20');
    expect(change.patch).toEqual({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR;COUNT=700' });
    expect(change.warnings).toEqual([]);
  });

  test('UNTIL beyond the cap is sent as the last second of the day five years from the server now', () => {
    const change = plan({ recurrence: 'FREQ=DAILY;UNTIL=20350115T000000Z' }, 'FREQ=DAILY;INTERVAL=1;COUNT=20');
    expect(change.patch).toEqual({ recurrence: 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115T235959Z' });
  });
});

describe('the planner predicts what the emulator stores', () => {
  const nows = ['2027-01-15T09:00:00Z', '2027-01-15T23:59:30Z', '2028-02-29T12:00:00Z', '2027-12-31T00:00:01Z'].map(Date.parse);
  const rules = [
    ...(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'] as const).flatMap((f) => {
      const cap = { YEARLY: 5, MONTHLY: 60, WEEKLY: 261, DAILY: 1826 }[f];
      return [`FREQ=${f};COUNT=${cap - 1}`, `FREQ=${f};COUNT=${cap}`, `FREQ=${f};COUNT=${cap + 1}`, `FREQ=${f};INTERVAL=2;COUNT=100000`];
    }),
    'FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=100',
    'FREQ=YEARLY;BYMONTH=3;BYDAY=1MO,2TU;UNTIL=21241001T000000Z',
    'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=21241001T000000Z',
  ];
  // UNTIL on, before and after the cap day, at times before and after now's time of day, and as bare dates.
  const untilsFor = (nowMs: number): string[] => {
    const now = new Date(nowMs);
    const y = now.getUTCFullYear() + 5;
    const capDay = new Date(Date.UTC(y, now.getUTCMonth(), Math.min(now.getUTCDate(), new Date(Date.UTC(y, now.getUTCMonth() + 1, 0)).getUTCDate())));
    const day = (offset: number) => new Date(capDay.getTime() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    return [-1, 0, 1].flatMap((o) => [`${day(o)}`, `${day(o)}T000000Z`, `${day(o)}T120000Z`, `${day(o)}T235959Z`]);
  };

  // With the series' start and zone, as the planner knows them: COUNT follows the five-year date.
  const anchors = [
    { startMs: Date.parse('2027-03-02T08:00:00Z'), zone: 'Europe/Berlin' },
    { startMs: Date.parse('2026-10-01T09:00:00Z'), zone: 'Asia/Kolkata' },
    { startMs: Date.parse('2028-03-31T22:30:00Z'), zone: 'Australia/Sydney' },
  ];
  for (const nowMs of nows) {
    test(`now ${new Date(nowMs).toISOString()}, anchored at a series start`, () => {
      for (const anchor of anchors) {
        for (const rule of [...rules, 'FREQ=MONTHLY;INTERVAL=3;COUNT=60', 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=900', 'FREQ=DAILY;COUNT=10']) {
          const planned = normalizeRecurrence(rule, nowMs, anchor);
          const stored = normalizeRule(rule, nowMs, { firstStartMs: anchor.startMs, zone: anchor.zone });
          if ('error' in planned || !stored.ok) throw new Error(`${rule} did not parse`);
          const storedParsed = parseRecurrence(stored.rule);
          if (!storedParsed.ok) throw new Error(`the emulator stored ${stored.rule}`);
          expect(formatRecurrence(storedParsed.rule), `${rule} from ${anchor.zone}`).toBe(planned.rule);
        }
      }
    });
  }

  for (const nowMs of nows) {
    test(`now ${new Date(nowMs).toISOString()}`, () => {
      const cases = [...rules, ...untilsFor(nowMs).flatMap((u) => ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'].map((f) => `FREQ=${f};UNTIL=${u}`))];
      for (const rule of cases) {
        const planned = normalizeRecurrence(rule, nowMs);
        const stored = normalizeRule(rule, nowMs);
        if ('error' in planned || !stored.ok) throw new Error(`${rule} did not parse`);
        const storedParsed = parseRecurrence(stored.rule);
        if (!storedParsed.ok) throw new Error(`the emulator stored ${stored.rule}`);
        expect(formatRecurrence(storedParsed.rule), rule).toBe(planned.rule);
        // A warning exactly when Webex changes something that matters.
        expect(planned.warnings.length > 0, rule).toBe(formatRecurrence((parseRecurrence(rule) as { ok: true; rule: never }).rule) !== planned.rule);
      }
    });
  }
});
