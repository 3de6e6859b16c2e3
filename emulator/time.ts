import { DateTime, IANAZone } from 'luxon';

export const MINUTE = 60_000;
export const DAY = 24 * 3600_000;

// luxon asks Intl for every zone check and every offset (a formatter each time): a seed of 10,000
// series and its first listing spent most of their time there. Zones are checked once; offsets are
// asked once per zone and week, and a week in which the offset changes is asked where it changes.
const validZones = new Map<string, boolean>();

export function isValidZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length === 0) return false;
  let valid = validZones.get(tz);
  if (valid === undefined) validZones.set(tz, (valid = IANAZone.isValidZone(tz)));
  return valid;
}

const WEEK = 7 * DAY;

/** One week of a zone: its offset (minutes) from the start, and from `changeMs` on the other one. */
interface ZoneWeek {
  before: number;
  after: number;
  changeMs: number;
}

const zones = new Map<string, { zone: IANAZone; weeks: Map<number, ZoneWeek> }>();

/**
 * The zone's offset from UTC at `ms`, in minutes, as luxon's IANAZone.offset gives it. No zone
 * changes its offset twice in a week (Ramadan's pauses last about a month): the first instant of
 * the week's later offset is found by halving once, and every instant of the week follows from it.
 */
function offsetMinutes(zone: string, ms: number): number {
  let entry = zones.get(zone);
  if (entry === undefined) zones.set(zone, (entry = { zone: IANAZone.create(zone), weeks: new Map() }));
  const index = Math.floor(ms / WEEK);
  let week = entry.weeks.get(index);
  if (week === undefined) {
    const tz = entry.zone;
    let lo = index * WEEK;
    let hi = lo + WEEK;
    const before = tz.offset(lo);
    const after = tz.offset(hi);
    if (before !== after) {
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (tz.offset(mid) === before) lo = mid;
        else hi = mid;
      }
    }
    entry.weeks.set(index, (week = { before, after, changeMs: before === after ? Infinity : hi }));
  }
  return ms < week.changeMs ? week.before : week.after;
}

/** The common form of a date-time, read without luxon; any other form (or odd field) is luxon's to read. */
const PLAIN_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?(Z|([+-])(\d{2}):(\d{2}))?$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** An ISO 8601 date-time; without an offset it is a wall-clock time in `zone`. */
export function parseDateTime(given: unknown, zone: string): number | undefined {
  if (typeof given !== 'string') return undefined;
  // The description's own create example writes "2019-11-01 20:00:00" (paths./meetings.post.requestBody
  // example) where its fields ask for "any ISO 8601 compliant format": one space reads as the T.
  const text = given.charAt(10) === ' ' ? `${given.slice(0, 10)}T${given.slice(11)}` : given;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const m = PLAIN_DATE_TIME.exec(text);
  if (m) {
    const [y, mo, d, h, mi, sec = 0, milli = 0] = [1, 2, 3, 4, 5, 6, 7].map((i) => (m[i] === undefined ? undefined : Number(m[i])));
    const fits = mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= DAYS_IN_MONTH[mo! - 1] && h! <= 23 && mi! <= 59 && sec! <= 59 && y! >= 1000;
    const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, sec!, milli!);
    // 29 February of a year that has none is luxon's to refuse.
    if (fits && new Date(wall).getUTCDate() === d) {
      if (m[8] === undefined) return wallToInstant(new Date(wall - milli!), zone) + milli!;
      if (m[8] === 'Z') return wall;
      const offset = (Number(m[10]) * 60 + Number(m[11])) * (m[9] === '-' ? -1 : 1);
      if (Number(m[10]) <= 23 && Number(m[11]) <= 59) return wall - offset * MINUTE;
    }
  }
  return parseWithLuxon(text, zone);
}

/**
 * A form the plain reader leaves to luxon. luxon guesses the offset of a wall time from the offset
 * the zone has at the machine's present moment, so a wall time (one that reads differently in two
 * zones) is only read as a wall time by luxon, and placed by wallToInstant.
 */
function parseWithLuxon(text: string, zone: string): number | undefined {
  const asUtc = DateTime.fromISO(text, { zone: 'UTC' });
  if (!asUtc.isValid || !isValidZone(zone)) return undefined;
  const wall = asUtc.toMillis();
  if (DateTime.fromISO(text, { zone: 'Etc/GMT-1' }).toMillis() === wall) return wall;
  const milli = ((wall % 1000) + 1000) % 1000;
  return wallToInstant(new Date(wall - milli), zone) + milli;
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
  // Cut from the ISO form (YYYY-MM-DDTHH:MM:SS.sssZ): every occurrence id is made with it.
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
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
  // Whole seconds, as the wall-clock components are.
  return new Date(Math.floor((ms + offsetMinutes(zone, ms) * MINUTE) / 1000) * 1000);
}

/**
 * The instant of a wall-clock time in a zone, by the zone's rules alone (never by the machine's
 * clock or the season it runs in). RFC 5545 §3.3.5: a local time that "occurs more than once (when
 * changing from daylight to standard time) … refers to the first occurrence of the referenced time",
 * and one that "does not occur (when changing from standard to daylight time) … is interpreted using
 * the UTC offset before the gap in local times", which moves it forward by the gap.
 */
export function wallToInstant(wall: Date, zone: string): number {
  const local = Math.floor(wall.getTime() / 1000) * 1000;
  // The instant lies within 14 hours of the wall time read as UTC (no offset is larger), so it can
  // only have the offset in force a day before or the one a day after (no zone changes twice in two days).
  const before = offsetMinutes(zone, local - DAY);
  const after = offsetMinutes(zone, local + DAY);
  const candidates = [local - before * MINUTE, local - after * MINUTE].filter((ms, i) => offsetMinutes(zone, ms) === (i === 0 ? before : after));
  // Both fit when the clocks go back: the earlier instant is the first occurrence. Neither fits in a gap.
  return candidates.length > 0 ? Math.min(...candidates) : local - before * MINUTE;
}

/** Add whole calendar years in UTC. */
export function addYears(ms: number, years: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}
