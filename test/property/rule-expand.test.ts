/**
 * The day-arithmetic layout of the common rules (meetings/rule-expand.ts) gives rrule's days, in
 * rrule's order, stopping where rrule stops; and the cached zone offsets are luxon's.
 */
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, test } from 'vitest';
import { expandFloating, parseRecurrence } from '../../meetings/recurrence.js';
import { parseMeetingTime, zoneOffsetAt } from '../../meetings/time.js';

const DAY = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];

const byDayArb = fc.option(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }), { nil: undefined });
const endArb = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 1, max: 40 }).map((n) => `;COUNT=${n}`),
  fc.integer({ min: 0, max: 900 }).chain((days) =>
    fc.boolean().map((bare) => {
      const iso = new Date(Date.UTC(2027, 0, 1) + days * DAY + 13 * 3600_000).toISOString();
      const date = iso.slice(0, 10).replaceAll('-', '');
      return bare ? `;UNTIL=${date}` : `;UNTIL=${date}T${iso.slice(11, 19).replaceAll(':', '')}Z`;
    }),
  ),
);
const ruleArb = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY'),
    interval: fc.integer({ min: 1, max: 5 }),
    byDay: byDayArb,
    byMonthDay: fc.option(fc.uniqueArray(fc.integer({ min: -31, max: 31 }).filter((n) => n !== 0), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    wkst: fc.option(fc.constantFrom(...WEEKDAYS), { nil: undefined }),
    end: endArb,
  })
  .map(({ freq, interval, byDay, byMonthDay, wkst, end }) => {
    let text = `FREQ=${freq};INTERVAL=${interval}`;
    if (byDay && freq !== 'MONTHLY') text += `;BYDAY=${byDay.join(',')}`;
    if (byMonthDay && freq === 'MONTHLY') text += `;BYMONTHDAY=${byMonthDay.join(',')}`;
    if (wkst) text += `;WKST=${wkst}`;
    return text + end;
  });
// Floating starts from 2026 to 2029, any minute, now and then with seconds and milliseconds.
const startArb = fc.tuple(fc.integer({ min: 0, max: 4 * 366 }), fc.integer({ min: 0, max: 1439 }), fc.constantFrom(0, 0, 0, 17_250)).map(
  ([day, minute, extra]) => Date.UTC(2026, 0, 1) + day * DAY + minute * 60_000 + extra,
);

function laidOut(text: string, dtstart: number, zone: string, limit: number, rrule: boolean): number[] {
  const parsed = parseRecurrence(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const out: number[] = [];
  expandFloating(parsed.rule, dtstart, zone, (floating) => out.push(floating) < limit, rrule ? { rrule: true } : {});
  return out;
}

describe('the common rules without rrule', () => {
  test('the same floating starts as rrule, in the same order', () => {
    fc.assert(
      fc.property(ruleArb, startArb, fc.constantFrom(...ZONES), fc.integer({ min: 1, max: 60 }), (text, dtstart, zone, limit) => {
        expect(laidOut(text, dtstart, zone, limit, false)).toEqual(laidOut(text, dtstart, zone, limit, true));
      }),
      { numRuns: 1500 },
    );
  });

  test('a rule that never meets its days runs to the year 9999 as rrule does, and gives nothing', () => {
    const start = Date.UTC(2027, 0, 4, 9); // a Monday
    expect(laidOut('FREQ=DAILY;INTERVAL=7;BYDAY=TU', start, 'UTC', 10, false)).toEqual([]);
    expect(laidOut('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30', Date.UTC(2027, 1, 1, 9), 'UTC', 10, false)).toEqual([]);
  });
});

describe('cached zone offsets', () => {
  test("luxon's offset every six hours across three years, and every quarter hour around each transition", () => {
    const STEP = 6 * 3600_000;
    for (const zone of ZONES) {
      const luxon = IANAZone.create(zone);
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2029, 0, 1); ms += STEP) {
        const offset = luxon.offset(ms);
        if (offset !== luxon.offset(ms + STEP)) {
          for (let t = ms - 3600_000; t < ms + STEP + 3600_000; t += 15 * 60_000) expect(zoneOffsetAt(zone, t)).toBe(luxon.offset(t));
        }
        expect(zoneOffsetAt(zone, ms)).toBe(offset);
      }
    }
  });

  test('a date of the years 0–99 is checked as Date.UTC reads it (1900–1999)', () => {
    expect(parseMeetingTime('0096-02-29T10:00Z', undefined).ok).toBe(true);
    expect(parseMeetingTime('0000-02-29T10:00Z', undefined).ok).toBe(false);
    expect(parseMeetingTime('2000-02-29T10:00Z', undefined).ok).toBe(true);
    expect(parseMeetingTime('2100-02-29T10:00Z', undefined).ok).toBe(false);
  });
});
