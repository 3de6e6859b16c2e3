import { describe, expect, it } from 'vitest';
import {
  expandOccurrences,
  formatRecurrence,
  lastOccurrence,
  normalizeRecurrence,
  parseRecurrence,
  startFitsRule,
  type RecurrenceRule,
} from '../../meetings/recurrence.js';
import { formatInZone, parseMeetingTime } from '../../meetings/time.js';

function rule(text: string): RecurrenceRule {
  const r = parseRecurrence(text);
  if (!r.ok) throw new Error(r.message);
  return r.rule;
}
function parseError(text: string): string {
  const r = parseRecurrence(text);
  if (r.ok) throw new Error(`expected '${text}' to fail`);
  return r.message;
}
function at(value: string, zone: string): number {
  const r = parseMeetingTime(value, zone);
  if (!r.ok) throw new Error(r.message);
  return r.epochMs;
}
const canonical = (text: string) => formatRecurrence(rule(text));

describe('parseRecurrence / formatRecurrence', () => {
  it('canonical order, upper case, INTERVAL always present', () => {
    expect(canonical('FREQ=WEEKLY;BYDAY=TU')).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=TU');
    expect(canonical('rrule: byday=tu,th; freq=weekly ;count=10;')).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,TH;COUNT=10');
    expect(canonical('COUNT=3;WKST=SU;BYSETPOS=-1;BYDAY=MO,TU;BYMONTHDAY=1;BYMONTH=2;INTERVAL=2;FREQ=YEARLY')).toBe(
      'FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=1;BYDAY=MO,TU;BYSETPOS=-1;WKST=SU;COUNT=3',
    );
    expect(canonical('FREQ=DAILY;UNTIL=20271001T000000Z')).toBe('FREQ=DAILY;INTERVAL=1;UNTIL=20271001T000000Z');
    expect(canonical('FREQ=MONTHLY;BYDAY=+2TU')).toBe('FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU');
  });
  it('fills the rule fields', () => {
    expect(rule('FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=10,11,12')).toEqual({
      freq: 'MONTHLY',
      interval: 1,
      count: 10,
      byMonthDay: [10, 11, 12],
    });
    expect(rule('FREQ=YEARLY;UNTIL=20300101')).toEqual({ freq: 'YEARLY', interval: 1, until: '20300101' });
  });
  it('names what is wrong', () => {
    expect(parseError('FREQ=WEEKLY;BYFOO=1')).toMatch(/unknown recurrence part 'BYFOO'/);
    expect(parseError('FREQ=DAILY;BYHOUR=9')).toMatch(/BYHOUR is not supported/);
    expect(parseError('FREQ=HOURLY')).toMatch(/FREQ=HOURLY is not supported/);
    expect(parseError('BYDAY=TU')).toMatch(/needs FREQ/);
    expect(parseError('FREQ=WEEKLY;INTERVAL=0')).toMatch(/INTERVAL=0 must be a positive/);
    expect(parseError('FREQ=WEEKLY;COUNT=x')).toMatch(/COUNT=X must be/);
    expect(parseError('FREQ=WEEKLY;COUNT=2;UNTIL=20300101')).toMatch(/COUNT or UNTIL, not both/);
    expect(parseError('FREQ=WEEKLY;UNTIL=2030-01-01')).toMatch(/UNTIL=2030-01-01 must be/);
    expect(parseError('FREQ=WEEKLY;UNTIL=20300231T000000Z')).toMatch(/UNTIL=/);
    // A date alone is refused by the rules (it names no instant): these messages do not offer one.
    expect(parseError('FREQ=WEEKLY;UNTIL=2030-01-01')).toBe('UNTIL=2030-01-01 must be a real UTC date-time YYYYMMDDTHHMMSSZ');
    expect(parseError('FREQ=WEEKLY;UNTIL=20300231')).toBe('UNTIL=20300231 must be a real UTC date-time YYYYMMDDTHHMMSSZ');
    expect(parseError('FREQ=WEEKLY;UNTIL=20270317T090000')).toBe('UNTIL=20270317T090000 has no Z: it must be a UTC date-time YYYYMMDDTHHMMSSZ');
    expect(parseError('FREQ=WEEKLY;BYDAY=TUE')).toMatch(/BYDAY value 'TUE'/);
    expect(parseError('FREQ=WEEKLY;BYDAY=2TU')).toMatch(/only a MONTHLY or YEARLY/);
    expect(parseError('FREQ=MONTHLY;BYMONTHDAY=32')).toMatch(/out of range/);
    expect(parseError('FREQ=YEARLY;BYMONTH=13')).toMatch(/out of range/);
    expect(parseError('FREQ=WEEKLY;FREQ=DAILY')).toMatch(/given twice/);
    expect(parseError('FREQ')).toMatch(/not NAME=VALUE/);
    expect(parseError('   ')).toMatch(/empty/);
  });
});

describe('normalizeRecurrence', () => {
  const now = Date.parse('2027-01-15T10:00:00Z');
  it('MONTHLY/YEARLY keep the first BYMONTHDAY and BYDAY, with a warning each', () => {
    const r = normalizeRecurrence('FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=10,11,12', now);
    expect(r).toEqual({
      rule: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=10;COUNT=10',
      warnings: [expect.stringContaining('BYMONTHDAY=10,11,12 becomes BYMONTHDAY=10')],
    });
    const y = normalizeRecurrence('FREQ=YEARLY;BYDAY=1MO,2TU;BYMONTH=3', now);
    expect(y).toMatchObject({ rule: 'FREQ=YEARLY;INTERVAL=1;BYMONTH=3;BYDAY=1MO', warnings: [expect.stringContaining('first BYDAY')] });
  });
  it('WEEKLY keeps its BYDAY list', () => {
    expect(normalizeRecurrence('FREQ=WEEKLY;BYDAY=MO,WE,FR', now)).toEqual({ rule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR', warnings: [] });
  });
  it('caps COUNT per frequency', () => {
    const cases: [string, number][] = [['YEARLY', 5], ['MONTHLY', 60], ['WEEKLY', 261], ['DAILY', 1826]];
    for (const [freq, cap] of cases) {
      expect(normalizeRecurrence(`FREQ=${freq};COUNT=${cap}`, now)).toEqual({ rule: `FREQ=${freq};INTERVAL=1;COUNT=${cap}`, warnings: [] });
      const over = normalizeRecurrence(`FREQ=${freq};COUNT=${cap + 1}`, now);
      expect(over).toMatchObject({ rule: `FREQ=${freq};INTERVAL=1;COUNT=${cap}`, warnings: [expect.stringContaining(`at most ${cap}`)] });
    }
  });
  it('caps UNTIL at five calendar years from now, written as that date 23:59:59Z', () => {
    expect(normalizeRecurrence('FREQ=DAILY;INTERVAL=1;UNTIL=21241001T000000Z', now)).toEqual({
      rule: 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115T235959Z',
      warnings: ['Webex ends a series at most five years from now: UNTIL=21241001T000000Z becomes UNTIL=20320115T235959Z.'],
      untilCappedFrom: '21241001T000000Z',
    });
    expect(normalizeRecurrence('FREQ=DAILY;UNTIL=20320115T235959Z', now)).toMatchObject({ warnings: [] });
    expect(normalizeRecurrence('FREQ=DAILY;UNTIL=20320115', now)).toMatchObject({ rule: 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115', warnings: [] });
    expect(normalizeRecurrence('FREQ=DAILY;UNTIL=20320116', now)).toMatchObject({ rule: 'FREQ=DAILY;INTERVAL=1;UNTIL=20320115T235959Z' });
    // 29 February plus five years is the last day of February.
    expect(normalizeRecurrence('FREQ=DAILY;UNTIL=20400101', Date.parse('2028-02-29T12:00:00Z'))).toMatchObject({
      rule: 'FREQ=DAILY;INTERVAL=1;UNTIL=20330228T235959Z',
    });
  });
  it('a rule without an end is left alone', () => {
    expect(normalizeRecurrence('FREQ=DAILY', now)).toEqual({ rule: 'FREQ=DAILY;INTERVAL=1', warnings: [] });
  });
  it('an unparseable rule is an error', () => {
    expect(normalizeRecurrence('FREQ=SOMETIMES', now)).toEqual({ error: expect.stringContaining('FREQ=SOMETIMES') });
  });
});

describe('expandOccurrences', () => {
  it('keeps the wall-clock time across DST in Europe/Berlin', () => {
    const start = at('2027-03-16T09:00:00+01:00', 'Europe/Berlin');
    const got = expandOccurrences('FREQ=WEEKLY;BYDAY=TU;COUNT=4', start, 'Europe/Berlin').map((ms) => formatInZone(ms, 'Europe/Berlin'));
    expect(got).toEqual(['2027-03-16T09:00:00+01:00', '2027-03-23T09:00:00+01:00', '2027-03-30T09:00:00+02:00', '2027-04-06T09:00:00+02:00']);
  });
  it('keeps the wall-clock time across DST in America/New_York and Australia/Sydney', () => {
    const ny = at('2027-11-05T10:00', 'America/New_York');
    expect(expandOccurrences('FREQ=DAILY;COUNT=3', ny, 'America/New_York').map((ms) => new Date(ms).toISOString())).toEqual([
      '2027-11-05T14:00:00.000Z',
      '2027-11-06T14:00:00.000Z',
      '2027-11-07T15:00:00.000Z',
    ]);
    const syd = at('2027-10-02T09:00', 'Australia/Sydney');
    expect(expandOccurrences('FREQ=DAILY;COUNT=2', syd, 'Australia/Sydney').map((ms) => formatInZone(ms, 'Australia/Sydney'))).toEqual([
      '2027-10-02T09:00:00+10:00',
      '2027-10-03T09:00:00+11:00',
    ]);
  });
  it('an occurrence that falls in a spring-forward gap moves forward by the gap', () => {
    const start = at('2027-03-27T02:30', 'Europe/Berlin');
    expect(expandOccurrences('FREQ=DAILY;COUNT=3', start, 'Europe/Berlin').map((ms) => formatInZone(ms, 'Europe/Berlin'))).toEqual([
      '2027-03-27T02:30:00+01:00',
      '2027-03-28T03:30:00+02:00',
      '2027-03-29T02:30:00+02:00',
    ]);
  });
  it('an occurrence in a fall-back overlap takes the earlier instant', () => {
    const start = at('2027-10-30T02:30', 'Europe/Berlin');
    expect(expandOccurrences('FREQ=DAILY;COUNT=3', start, 'Europe/Berlin').map((ms) => formatInZone(ms, 'Europe/Berlin'))).toEqual([
      '2027-10-30T02:30:00+02:00',
      '2027-10-31T02:30:00+02:00',
      '2027-11-01T02:30:00+01:00',
    ]);
  });
  it('BYDAY lists for WEEKLY, ordinals for MONTHLY, Asia/Kolkata', () => {
    const start = at('2027-03-01T09:30', 'Asia/Kolkata'); // a Monday
    expect(expandOccurrences('FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=4', start, 'Asia/Kolkata').map((ms) => formatInZone(ms, 'Asia/Kolkata'))).toEqual([
      '2027-03-01T09:30:00+05:30',
      '2027-03-03T09:30:00+05:30',
      '2027-03-05T09:30:00+05:30',
      '2027-03-08T09:30:00+05:30',
    ]);
    expect(expandOccurrences('FREQ=MONTHLY;BYDAY=-1FR;COUNT=2', start, 'Asia/Kolkata').map((ms) => formatInZone(ms, 'Asia/Kolkata'))).toEqual([
      '2027-03-26T09:30:00+05:30',
      '2027-04-30T09:30:00+05:30',
    ]);
  });
  it('honours limit and untilMs, and UNTIL in UTC', () => {
    const start = at('2027-03-02T09:00:00+01:00', 'Europe/Berlin');
    expect(expandOccurrences('FREQ=DAILY', start, 'Europe/Berlin', { limit: 3 })).toHaveLength(3);
    expect(expandOccurrences('FREQ=DAILY', start, 'Europe/Berlin', { untilMs: start + 2 * 86_400_000 })).toHaveLength(3);
    // UNTIL is an instant: 08:00Z on 4 March is 09:00 Berlin, so the 4 March occurrence is included.
    expect(expandOccurrences('FREQ=DAILY;UNTIL=20270304T080000Z', start, 'Europe/Berlin')).toHaveLength(3);
    expect(expandOccurrences('FREQ=DAILY;UNTIL=20270304T075959Z', start, 'Europe/Berlin')).toHaveLength(2);
    expect(expandOccurrences('FREQ=DAILY;UNTIL=20270304', start, 'Europe/Berlin')).toHaveLength(3);
    expect(expandOccurrences('FREQ=NEVER', start, 'Europe/Berlin')).toEqual([]);
  });
  it('a rule no month satisfies is refused when parsed; one whose set position never comes is searched 60 years, not to the year 9999', () => {
    const start = at('2027-03-02T09:00:00+01:00', 'Europe/Berlin');
    expect(parseRecurrence('FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31')).toEqual({ ok: false, message: 'BYMONTHDAY=31 never falls in BYMONTH=4,6: the rule has no meeting' });
    expect(parseRecurrence('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29').ok).toBe(true);
    expect(parseRecurrence('FREQ=MONTHLY;BYMONTHDAY=-31;BYMONTH=1,2').ok).toBe(true);
    // The tenth Monday of a month never comes: an answer, and soon (the old search ran for tens of seconds).
    expect(expandOccurrences('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=10;COUNT=2', start, 'Europe/Berlin')).toEqual([]);
  });

  it('BYSETPOS only beside another BY part (RFC 2445 §4.3.10: it "MUST only be used in conjunction with another BYxxx rule part")', () => {
    expect(parseRecurrence('FREQ=MONTHLY;BYSETPOS=1;COUNT=3')).toEqual({
      ok: false,
      message: 'BYSETPOS=1 picks from the set the other BY parts make (BYDAY, BYMONTHDAY or BYMONTH), and this rule has none: RFC 2445 allows it only beside one of them',
    });
    expect(parseRecurrence('FREQ=YEARLY;BYSETPOS=-1').ok).toBe(false);
    for (const ok of ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1', 'FREQ=YEARLY;BYMONTH=3;BYSETPOS=-1', 'FREQ=MONTHLY;BYMONTHDAY=1;BYSETPOS=1']) expect(parseRecurrence(ok).ok, ok).toBe(true);
  });

  it('startFitsRule reads the common shapes off the start\'s own day in its zone, and leaves the others to the layout', () => {
    const rule = (text: string) => {
      const r = parseRecurrence(text);
      if (!r.ok) throw new Error(r.message);
      return r.rule;
    };
    // 2027-03-01T23:30Z is a Monday in UTC and already Tuesday in Berlin.
    const lateMonday = Date.parse('2027-03-01T23:30:00Z');
    expect(startFitsRule(rule('FREQ=WEEKLY;BYDAY=TU'), lateMonday, 'Europe/Berlin')).toBe(true);
    expect(startFitsRule(rule('FREQ=WEEKLY;BYDAY=TU'), lateMonday, 'UTC')).toBe(false);
    expect(startFitsRule(rule('FREQ=WEEKLY;BYDAY=MO,WE'), lateMonday, 'UTC')).toBe(true);
    expect(startFitsRule(rule('FREQ=DAILY;COUNT=3'), lateMonday, 'UTC')).toBe(true);
    expect(startFitsRule(rule('FREQ=MONTHLY;BYMONTHDAY=2'), lateMonday, 'UTC')).toBeUndefined();
    expect(startFitsRule(rule('FREQ=MONTHLY;BYDAY=1MO'), lateMonday, 'UTC')).toBeUndefined();
  });

  it('WKST changes a bi-weekly rule', () => {
    const start = at('2027-03-02T09:00', 'UTC'); // Tuesday
    const mo = expandOccurrences('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=MO;COUNT=3', start, 'UTC').map((ms) => new Date(ms).toISOString().slice(0, 10));
    const su = expandOccurrences('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU;COUNT=3', start, 'UTC').map((ms) => new Date(ms).toISOString().slice(0, 10));
    expect(mo).toEqual(['2027-03-02', '2027-03-07', '2027-03-16']);
    expect(su).toEqual(['2027-03-02', '2027-03-14', '2027-03-16']);
  });
});

describe('lastOccurrence', () => {
  it('is the last start of a finite rule', () => {
    const start = at('2027-03-02T09:00:00+01:00', 'Europe/Berlin');
    expect(formatInZone(lastOccurrence('FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20', start, 'Europe/Berlin')!, 'Europe/Berlin')).toBe(
      '2027-07-13T09:00:00+02:00',
    );
    expect(formatInZone(lastOccurrence('FREQ=MONTHLY;UNTIL=20271231T235959Z', start, 'Europe/Berlin')!, 'Europe/Berlin')).toBe(
      '2027-12-02T09:00:00+01:00',
    );
  });
  it('is undefined for an endless rule', () => {
    expect(lastOccurrence('FREQ=DAILY', Date.parse('2027-03-02T08:00:00Z'), 'UTC')).toBeUndefined();
  });
});
