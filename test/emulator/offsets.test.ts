/**
 * The emulator's wall-clock arithmetic keeps luxon's answers while asking Intl far less often:
 * compared with luxon itself over random instants, many of them around offset changes, in zones
 * with summer time, half- and quarter-hour offsets and Ramadan changes.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { parseDateTime, wallAsUtc, wallToInstant } from '../../emulator/time.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'Africa/Casablanca', 'America/Sao_Paulo'];
const FROM = Date.parse('2026-01-01T00:00:00Z');
const TO = Date.parse('2037-12-31T00:00:00Z');

/** Instants near the zone's offset changes (within two hours of one), and anywhere. */
function instantsIn(zone: string): fc.Arbitrary<number> {
  const offset = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  const changes: number[] = [];
  for (let day = FROM; day < TO; day += 86_400_000) {
    if (offset(day) === offset(day + 86_400_000)) continue;
    for (let t = day; t < day + 86_400_000; t += 900_000) if (offset(t) !== offset(t + 900_000)) changes.push(t + 900_000);
  }
  const anywhere = fc.integer({ min: FROM, max: TO });
  if (changes.length === 0) return anywhere;
  const near = fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -2 * 3600, max: 3 * 3600 })).map(([t, s]) => t + s * 1000);
  return fc.oneof(near, anywhere);
}

const luxonWallAsUtc = (ms: number, zone: string) => {
  const dt = DateTime.fromMillis(ms, { zone });
  return Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second);
};
/**
 * luxon's instant for a wall time, made RFC 5545 §3.3.5's: luxon guesses from the offset the zone has
 * at the machine's present moment, so of the instants that show the wall time (two when the clocks go
 * back) it gives either by the season the test runs in; the RFC's is "the first occurrence". A time
 * the clocks skip shows at no instant, and luxon's answer ("the UTC offset before the gap") stands.
 */
const luxonWallToInstant = (wall: Date, zone: string) => {
  const guess = DateTime.fromObject(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() },
    { zone },
  ).toMillis();
  const showing: number[] = [];
  for (let k = -16; k <= 16; k++) if (luxonWallAsUtc(guess + k * 900_000, zone) === wall.getTime()) showing.push(guess + k * 900_000);
  return showing.length > 0 ? Math.min(...showing) : guess;
};

describe('wall-clock times in a zone, as luxon gives them', () => {
  test.each(ZONES)('%s', (zone) => {
    fc.assert(
      fc.property(instantsIn(zone), (ms) => {
        expect(wallAsUtc(ms, zone).getTime()).toBe(luxonWallAsUtc(ms, zone));
        // A wall time read back: in a gap, in an overlap, on whole minutes and odd seconds alike.
        const wall = new Date(Math.floor(ms / 1000) * 1000);
        expect(wallToInstant(wall, zone)).toBe(luxonWallToInstant(wall, zone));
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});

describe('date-times as a seed or a request writes them, as luxon reads them', () => {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  // Fields mostly in range, sometimes just out of it (31 April, 29 February, hour 24, minute 60).
  const text = fc
    .record({
      y: fc.integer({ min: 2026, max: 2037 }),
      mo: fc.integer({ min: 1, max: 13 }),
      d: fc.integer({ min: 1, max: 31 }),
      h: fc.integer({ min: 0, max: 24 }),
      mi: fc.integer({ min: 0, max: 60 }),
      sec: fc.option(fc.integer({ min: 0, max: 60 })),
      milli: fc.option(fc.integer({ min: 0, max: 999 })),
      offset: fc.option(fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45)).map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`))),
    })
    .map(({ y, mo, d, h, mi, sec, milli, offset }) => {
      const seconds = sec === null ? '' : `:${pad(sec)}${milli === null ? '' : `.${pad(milli, 3)}`}`;
      return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}${seconds}${offset ?? ''}`;
    });

  test.each(ZONES)('%s', (zone) => {
    fc.assert(
      fc.property(text, (t) => {
        const dt = DateTime.fromISO(t, { zone, setZone: false });
        // Without an offset it is a wall time, placed as RFC 5545 §3.3.5 says (luxonWallToInstant).
        const wall = DateTime.fromISO(t, { zone: 'UTC' }).toMillis();
        const milli = ((wall % 1000) + 1000) % 1000;
        const expected = !dt.isValid ? undefined : /(Z|[+-]\d\d:\d\d)$/.test(t) ? dt.toMillis() : luxonWallToInstant(new Date(wall - milli), zone) + milli;
        expect(parseDateTime(t, zone)).toBe(expected);
      }),
      { numRuns: 1500, seed: 12 },
    );
  });
});

