import { describe, expect, it } from 'vitest';
import {
  formatInZone,
  isValidTimeZone,
  offsetAgreesWithZone,
  parseMeetingTime,
  roundStartLikeServer,
  truncateToMinute,
  zoneCaseProblem,
} from '../../meetings/time.js';

const iso = (ms: number) => new Date(ms).toISOString();

function instant(value: string, zone?: string): string {
  const r = parseMeetingTime(value, zone);
  if (!r.ok) throw new Error(r.message);
  return iso(r.epochMs);
}

function failure(value: string, zone?: string): string {
  const r = parseMeetingTime(value, zone);
  if (r.ok) throw new Error(`expected ${value} to fail, got ${iso(r.epochMs)}`);
  return r.message;
}

describe('isValidTimeZone', () => {
  it('accepts IANA names', () => {
    for (const z of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'Asia/Tokyo']) {
      expect(isValidTimeZone(z), z).toBe(true);
    }
  });
  it('refuses made-up names, offsets and padding', () => {
    for (const z of ['Europe/Atlantis', 'Mars/Olympus', '+01:00', '', ' Europe/Berlin', 'Berlin']) {
      expect(isValidTimeZone(z), z).toBe(false);
    }
  });
  it('refuses a name in the wrong case and names its spelling; aliases stay valid', () => {
    for (const [z, spelling] of [
      ['asia/tokyo', 'Asia/Tokyo'],
      ['EUROPE/BERLIN', 'Europe/Berlin'],
      ['utc', 'UTC'],
      ['america/new_york', 'America/New_York'],
      // Aliases in the wrong case resolve to another name: the canonical one is the same zone.
      ['us/eastern', 'America/New_York'],
      ['US/eastern', 'America/New_York'],
      ['etc/utc', 'UTC'],
      ['asia/calcutta', 'Asia/Calcutta'],
      ['US/EASTERN', 'America/New_York'],
    ]) {
      expect(isValidTimeZone(z), z).toBe(false);
      expect(zoneCaseProblem(z)).toBe(`'${z}' is not an IANA time zone name (names are case-sensitive): did you mean ${spelling}?`);
    }
    // ICU answers these with another canonical name: not a difference of case.
    for (const z of ['US/Eastern', 'Asia/Calcutta', 'Asia/Kolkata', 'Etc/UTC', 'UTC', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires']) {
      expect(isValidTimeZone(z), z).toBe(true);
      expect(zoneCaseProblem(z), z).toBeUndefined();
    }
    expect(zoneCaseProblem('Mars/Olympus')).toBeUndefined();
  });
  it('accepts every name the platform lists', () => {
    expect(Intl.supportedValuesOf('timeZone').filter((z) => !isValidTimeZone(z))).toEqual([]);
  });
  it('reports a wrong-case zone of a wall-clock time with its spelling', () => {
    expect(failure('2027-03-02T09:00:00', 'asia/tokyo')).toBe("'asia/tokyo' is not an IANA time zone name (names are case-sensitive): did you mean Asia/Tokyo?");
  });
});

describe('parseMeetingTime: explicit instants', () => {
  it('reads the YAML string forms', () => {
    expect(instant('2027-03-02T09:00:00+01:00')).toBe('2027-03-02T08:00:00.000Z');
    expect(instant('2027-03-02T09:00Z')).toBe('2027-03-02T09:00:00.000Z');
    expect(instant('2027-03-02T09:00:00.000Z')).toBe('2027-03-02T09:00:00.000Z');
    expect(instant('2027-03-02T09:00:00.5+05:30')).toBe('2027-03-02T03:30:00.500Z');
    expect(instant('2027-03-02T09:00:00-0400')).toBe('2027-03-02T13:00:00.000Z');
    expect(instant('2027-03-02 09:00', 'UTC')).toBe('2027-03-02T09:00:00.000Z');
  });
  it('an explicit offset wins over the zone', () => {
    const r = parseMeetingTime('2027-03-02T09:00:00+01:00', 'Asia/Tokyo');
    expect(r).toEqual({ ok: true, epochMs: Date.parse('2027-03-02T08:00:00Z'), hasOffset: true });
  });
  it('refuses what is not a date-time', () => {
    expect(failure('next tuesday')).toMatch(/not an ISO 8601 date-time/);
    for (const other of ['20270302T090000', '20270302T0900Z', '2027-W09-2T09:00:00', '2027W092T0900', '2027-061T09:00:00', '2027-03-02T09', '2027-03-02T09+01']) {
      expect(failure(other, 'UTC'), other).toBe(
        `'${other}' is an ISO 8601 form meetctl does not read: write the extended form YYYY-MM-DDTHH:MM[:SS][offset], such as 2027-03-02T09:00:00+01:00`,
      );
    }
    expect(failure('2027-03-02')).toMatch(/not an ISO 8601/);
    expect(failure('2027-02-30T09:00:00Z')).toMatch(/not a real calendar date/);
    expect(failure('2027-13-01T09:00:00Z')).toMatch(/not a real calendar date/);
    expect(failure('2027-03-02T24:00:00Z')).toMatch(/not a valid time/);
    expect(failure('2027-03-02T09:60:00Z')).toMatch(/not a valid time/);
  });
  it('a wall time needs a valid zone', () => {
    expect(failure('2027-03-02T09:00:00', undefined)).toMatch(/needs a timezone/);
    expect(failure('2027-03-02T09:00:00', 'Europe/Atlantis')).toMatch(/not an IANA time zone/);
  });
});

describe('parseMeetingTime: wall clock in a zone', () => {
  it('Europe/Berlin winter and summer', () => {
    expect(instant('2027-03-02T09:00:00', 'Europe/Berlin')).toBe('2027-03-02T08:00:00.000Z');
    expect(instant('2027-07-02T09:00:00', 'Europe/Berlin')).toBe('2027-07-02T07:00:00.000Z');
    expect(parseMeetingTime('2027-07-02T09:00:00', 'Europe/Berlin')).toMatchObject({ hasOffset: false });
  });
  it('Europe/Berlin spring-forward gap is an error, the edges are fine', () => {
    // 2027-03-28: 02:00 -> 03:00 local.
    expect(failure('2027-03-28T02:30:00', 'Europe/Berlin')).toMatch(/does not exist in Europe\/Berlin/);
    expect(failure('2027-03-28T02:00:00', 'Europe/Berlin')).toMatch(/does not exist/);
    expect(instant('2027-03-28T01:59:00', 'Europe/Berlin')).toBe('2027-03-28T00:59:00.000Z');
    expect(instant('2027-03-28T03:00:00', 'Europe/Berlin')).toBe('2027-03-28T01:00:00.000Z');
  });
  it('Europe/Berlin fall-back overlap takes the earlier instant', () => {
    // 2027-10-31: 03:00 -> 02:00 local; 02:30 happens at +02:00 and again at +01:00.
    expect(instant('2027-10-31T02:30:00', 'Europe/Berlin')).toBe('2027-10-31T00:30:00.000Z');
    expect(instant('2027-10-31T03:00:00', 'Europe/Berlin')).toBe('2027-10-31T02:00:00.000Z');
  });
  it('America/New_York gap and overlap', () => {
    // 2027-03-14: 02:00 -> 03:00; 2027-11-07: 02:00 -> 01:00.
    expect(failure('2027-03-14T02:15', 'America/New_York')).toMatch(/does not exist/);
    expect(instant('2027-03-14T03:15', 'America/New_York')).toBe('2027-03-14T07:15:00.000Z');
    expect(instant('2027-11-07T01:30', 'America/New_York')).toBe('2027-11-07T05:30:00.000Z');
    expect(instant('2027-11-07T02:30', 'America/New_York')).toBe('2027-11-07T07:30:00.000Z');
  });
  it('Australia/Sydney (southern hemisphere) gap and overlap', () => {
    // 2027-10-03: 02:00 -> 03:00 (AEST -> AEDT); 2027-04-04: 03:00 -> 02:00.
    expect(failure('2027-10-03T02:30', 'Australia/Sydney')).toMatch(/does not exist in Australia\/Sydney/);
    expect(instant('2027-10-03T03:30', 'Australia/Sydney')).toBe('2027-10-02T16:30:00.000Z');
    expect(instant('2027-04-04T02:30', 'Australia/Sydney')).toBe('2027-04-03T15:30:00.000Z');
    expect(instant('2027-01-15T09:00', 'Australia/Sydney')).toBe('2027-01-14T22:00:00.000Z');
  });
  it('Asia/Kolkata half-hour offset, no DST', () => {
    expect(instant('2027-03-28T02:30', 'Asia/Kolkata')).toBe('2027-03-27T21:00:00.000Z');
    expect(instant('2027-10-31T09:45', 'Asia/Kolkata')).toBe('2027-10-31T04:15:00.000Z');
  });
});

describe('minute rounding', () => {
  it('truncates seconds and milliseconds', () => {
    expect(iso(truncateToMinute(Date.parse('2022-03-01T11:52:28.076+08:00')))).toBe('2022-03-01T03:52:00.000Z');
    expect(iso(truncateToMinute(Date.parse('2022-03-01T11:52:41+08:00')))).toBe('2022-03-01T03:52:00.000Z');
    expect(truncateToMinute(Date.parse('1969-12-31T23:59:30Z'))).toBe(Date.parse('1969-12-31T23:59:00Z'));
  });
  it('rounds a start like the reference examples', () => {
    const now = Date.parse('2022-03-01T10:32:16.657+08:00');
    const at = (v: string) => formatInZone(roundStartLikeServer(Date.parse(v), now), 'Asia/Shanghai');
    expect(at('2022-03-01T10:32:28.076+08:00')).toBe('2022-03-01T10:33:00+08:00');
    expect(at('2022-03-01T10:32:41+08:00')).toBe('2022-03-01T10:33:00+08:00');
    expect(at('2022-03-01T11:32:28.076+08:00')).toBe('2022-03-01T11:32:00+08:00');
    expect(at('2022-03-01T11:32:41+08:00')).toBe('2022-03-01T11:32:00+08:00');
    expect(at('2022-03-01T10:33:00+08:00')).toBe('2022-03-01T10:33:00+08:00');
  });
});

describe('formatInZone', () => {
  it('writes the zone offset at that instant, never Z', () => {
    const ms = Date.parse('2027-03-02T08:00:00Z');
    expect(formatInZone(ms, 'Europe/Berlin')).toBe('2027-03-02T09:00:00+01:00');
    expect(formatInZone(Date.parse('2027-07-02T07:00:00Z'), 'Europe/Berlin')).toBe('2027-07-02T09:00:00+02:00');
    expect(formatInZone(ms, 'UTC')).toBe('2027-03-02T08:00:00+00:00');
    expect(formatInZone(ms, 'Asia/Kolkata')).toBe('2027-03-02T13:30:00+05:30');
    expect(formatInZone(ms, 'America/New_York')).toBe('2027-03-02T03:00:00-05:00');
    expect(formatInZone(ms + 250, 'UTC')).toBe('2027-03-02T08:00:00.250+00:00');
  });
  it('round-trips through parseMeetingTime across a fall-back hour', () => {
    for (const v of ['2027-10-31T02:30:00+02:00', '2027-10-31T02:30:00+01:00']) {
      const r = parseMeetingTime(v, 'Europe/Berlin');
      expect(r.ok && formatInZone(r.epochMs, 'Europe/Berlin')).toBe(v);
    }
  });
});

describe('offsetAgreesWithZone', () => {
  it('compares the written offset with the zone at that instant', () => {
    expect(offsetAgreesWithZone('2027-03-02T09:00:00+01:00', 'Europe/Berlin')).toBe(true);
    expect(offsetAgreesWithZone('2027-07-02T09:00:00+01:00', 'Europe/Berlin')).toBe(false);
    expect(offsetAgreesWithZone('2027-07-02T09:00:00+02:00', 'Europe/Berlin')).toBe(true);
    expect(offsetAgreesWithZone('2027-03-02T09:00:00+05:30', 'Asia/Kolkata')).toBe(true);
    expect(offsetAgreesWithZone('2027-03-02T09:00:00+05:00', 'Asia/Kolkata')).toBe(false);
    expect(offsetAgreesWithZone('2027-04-20T11:00:00-04:00', 'America/New_York')).toBe(true);
  });
  it('both offsets of a fall-back hour agree', () => {
    expect(offsetAgreesWithZone('2027-10-31T02:30:00+02:00', 'Europe/Berlin')).toBe(true);
    expect(offsetAgreesWithZone('2027-10-31T02:30:00+01:00', 'Europe/Berlin')).toBe(true);
  });
  it('Z and wall times are accepted', () => {
    expect(offsetAgreesWithZone('2027-03-02T09:00:00Z', 'Europe/Berlin')).toBe(true);
    expect(offsetAgreesWithZone('2027-03-02T09:00:00', 'Europe/Berlin')).toBe(true);
  });
});
