import { DateTime, IANAZone } from 'luxon';

export const MINUTE = 60_000;
export const DAY = 24 * 3600_000;

export function isValidZone(tz: unknown): tz is string {
  return typeof tz === 'string' && tz.length > 0 && IANAZone.isValidZone(tz);
}

/** An ISO 8601 date-time; without an offset it is a wall-clock time in `zone`. */
export function parseDateTime(text: unknown, zone: string): number | undefined {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const dt = DateTime.fromISO(text, { zone, setZone: false });
  return dt.isValid ? dt.toMillis() : undefined;
}

/** `2027-03-02T09:00:00+01:00` (or `…Z` in UTC): the way Webex echoes times, in the requested zone. */
export function formatInZone(ms: number, zone: string): string {
  // The default zone of every response: kept off luxon's slower path.
  if (zone === 'UTC') return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.toISO({ suppressMilliseconds: true, includeOffset: true }) ?? new Date(ms).toISOString();
}

/** `YYYYMMDDTHHMMSSZ`, the suffix of a scheduled meeting id. */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function parseUtcStamp(stamp: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isFinite(ms) ? ms : undefined;
}

/** RFC 7231 IMF-fixdate, for the Date header. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Wall-clock components of an instant in a zone, as if they were UTC (the form rrule expands in). */
export function wallAsUtc(ms: number, zone: string): Date {
  const dt = DateTime.fromMillis(ms, { zone });
  return new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
}

/** The instant of a wall-clock time in a zone (times in a DST gap move forward, as calendars do). */
export function wallToInstant(wall: Date, zone: string): number {
  return DateTime.fromObject(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    },
    { zone },
  ).toMillis();
}

/** Add whole calendar years in UTC. */
export function addYears(ms: number, years: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}
