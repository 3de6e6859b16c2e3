import { describe, expect, test } from 'vitest';
import { expandRule, normalizeRule } from '../../emulator/recurrence.js';
import { call, emulator } from './helpers.js';

const utc = (ms: number[]) => ms.map((m) => new Date(m).toISOString());

describe('expansion of a series into scheduled meetings', () => {
  test('wall-clock times stay fixed across DST in the meeting zone', () => {
    const start = Date.parse('2027-10-26T09:00:00+02:00');
    expect(utc(expandRule('FREQ=WEEKLY;BYDAY=TU;COUNT=3', start, 'Europe/Berlin', Infinity))).toEqual([
      '2027-10-26T07:00:00.000Z',
      '2027-11-02T08:00:00.000Z',
      '2027-11-09T08:00:00.000Z',
    ]);
  });

  test('UNTIL is an instant, compared in the zone', () => {
    const start = Date.parse('2027-03-01T23:30:00-05:00');
    // 2027-03-04T04:30Z is 23:30 on 3 March in New York: the last occurrence.
    expect(utc(expandRule('FREQ=DAILY;UNTIL=20270304T043000Z', start, 'America/New_York', Infinity))).toHaveLength(3);
  });

  test('a rule with an end is laid out to its end as stored; an open-ended one stops at the horizon', () => {
    const start = Date.parse('2027-02-01T10:00:00Z');
    // Two days a week for almost five years: more than 261, the count of a one-day weekly rule.
    expect(expandRule('FREQ=WEEKLY;BYDAY=MO,TU;UNTIL=20311231T000000Z', start, 'UTC', Infinity)).toHaveLength(514);
    const horizon = Date.parse('2028-02-01T10:00:00Z');
    const open = expandRule('FREQ=DAILY', start, 'UTC', horizon);
    expect(open).toHaveLength(366);
    expect(open.at(-1)).toBe(horizon);
  });

  test('normalizeRule: case, first BYDAY of a monthly rule, unsupported parts refused', () => {
    expect(normalizeRule('freq=monthly;byday=1mo,3mo', Date.parse('2027-01-15T00:00:00Z'))).toEqual({ ok: true, rule: 'FREQ=MONTHLY;BYDAY=1MO', freq: 'MONTHLY' });
    expect(normalizeRule('FREQ=WEEKLY;BYHOUR=9', 0)).toMatchObject({ ok: false, message: expect.stringMatching(/BYHOUR/) });
  });

  test('normalizeRule: UNTIL is capped only after the day five years from now, never moved later', () => {
    const now = Date.parse('2027-01-15T09:00:00Z');
    // Later than now's time of day, on the cap day: kept as written (it used to become T235959Z, later than asked).
    expect(normalizeRule('FREQ=DAILY;UNTIL=20320115T200000Z', now)).toMatchObject({ rule: 'FREQ=DAILY;UNTIL=20320115T200000Z' });
    expect(normalizeRule('FREQ=DAILY;UNTIL=20320115', now)).toMatchObject({ rule: 'FREQ=DAILY;UNTIL=20320115' });
    expect(normalizeRule('FREQ=DAILY;UNTIL=20320116T000000Z', now)).toMatchObject({ rule: 'FREQ=DAILY;UNTIL=20320115T235959Z' });
    // Five years after 29 February ends on 28 February.
    expect(normalizeRule('FREQ=DAILY;UNTIL=20400101T000000Z', Date.parse('2028-02-29T12:00:00Z'))).toMatchObject({ rule: 'FREQ=DAILY;UNTIL=20330228T235959Z' });
    expect(normalizeRule('FREQ=DAILY;UNTIL=20330301', Date.parse('2028-02-29T12:00:00Z'))).toMatchObject({ rule: 'FREQ=DAILY;UNTIL=20330228T235959Z' });
  });

  test('PatchMeetingObject.recurrence (never ends: unlimited): an open-ended series is laid out as far as a request looks', async () => {
    const e = await emulator({ seed: { meetings: [{ id: 'daily', recurrence: 'FREQ=DAILY;INTERVAL=1', start: '2027-02-01T10:00:00Z', end: '2027-02-01T10:30:00Z' }] } });
    const count = async (from: string, to: string) => {
      let n = 0;
      let url: string | undefined = `/meetings?meetingSeriesId=daily&from=${from}&to=${to}&max=100`;
      while (url) {
        const r = await call(e, 'GET', url);
        n += r.body.items.length;
        const link = r.headers.link as string | undefined;
        url = link ? /^<([^>]+)>/.exec(link)![1] : undefined;
      }
      return n;
    };
    expect(await count('2031-12-25T00:00:00Z', '2032-01-05T00:00:00Z')).toBe(11);
    // Past five years from the start too: "the furthest date of the series is unlimited".
    expect(await count('2032-01-25T00:00:00Z', '2032-03-01T00:00:00Z')).toBe(36);
    expect(await count('2040-01-01T00:00:00Z', '2040-01-11T00:00:00Z')).toBe(10);
    expect((await call(e, 'GET', '/meetings/daily_20400105T100000Z')).status).toBe(200);
    expect((await call(e, 'GET', '/meetings?meetingType=meetingSeries&from=2040-01-01T00:00:00Z&to=2040-02-01T00:00:00Z')).body.items).toHaveLength(1);
  });
});
