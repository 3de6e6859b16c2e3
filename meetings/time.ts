/**
 * Meeting times: ISO 8601 strings as people write them in YAML, read either as an instant (with
 * an offset or Z) or as a wall-clock time in an IANA zone. Webex keeps start/end to the minute,
 * so comparisons elsewhere go through `truncateToMinute`.
 */
import { IANAZone } from 'luxon';

const MINUTE = 60_000;

/** A year of 365.25 days, for horizons counted in years (not calendar arithmetic). */
export const YEAR_MS = 365.25 * 24 * 3600 * 1000;

interface ZoneName {
  valid: boolean;
  /** The name as the tz database spells it, for a name that is one of its names in another case. */
  spelling?: string;
}

// Building an Intl.DateTimeFormat is slow and heavy in memory, and validate asks for the zone of
// each of thousands of files: ask once per name.
const zoneNames = new Map<string, ZoneName>();

function zoneName(zone: string): ZoneName {
  let found = zoneNames.get(zone);
  if (found === undefined) zoneNames.set(zone, (found = readZoneName(zone)));
  return found;
}

function readZoneName(zone: string): ZoneName {
  // Offsets such as "+05:00" are not IANA zone names; Webex wants a name.
  if (zone.trim() !== zone || zone === '' || /^[+-]/.test(zone)) return { valid: false };
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return { valid: false };
  }
  // ICU (and so luxon) finds a zone whatever the case of its name, but the tz database is
  // case-sensitive and Webex is given the name as written. ICU answers with its canonical name: for
  // an alias (US/Eastern, Asia/Kolkata, Etc/UTC) another name, which is fine; for a name in the
  // wrong case the same name spelled right. No two tz names differ only in case, so that is a typo.
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) return { valid: false, spelling: resolved };
  // An alias in the wrong case (us/eastern, US/EASTERN) resolves to another name, so the test above
  // misses it: every part of a tz name starts with a capital letter, and none holds five capitals in
  // a row (EST5EDT, GMT, NZ-CHAT do not); ICU's name is the same zone.
  if (resolved !== zone && zone.split('/').some((part) => !/^[A-Z]/.test(part) || /[A-Z]{5}/.test(part))) return { valid: false, spelling: resolved };
  return { valid: true };
}

export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zoneName(zone).valid;
}

/** For a zone name in the wrong case (`asia/tokyo`), why it is refused and how it is spelled; else undefined. */
export function zoneCaseProblem(zone: string): string | undefined {
  const spelling = typeof zone === 'string' ? zoneName(zone).spelling : undefined;
  return spelling === undefined ? undefined : `'${zone}' is not an IANA time zone name (names are case-sensitive): did you mean ${spelling}?`;
}

/** Why a zone name cannot be used (its spelling, for one in the wrong case); undefined for a usable one. */
export function zoneProblem(zone: string): string | undefined {
  if (isValidTimeZone(zone)) return undefined;
  return zoneCaseProblem(zone) ?? `'${zone}' is not an IANA time zone (for example Europe/Berlin or UTC)`;
}

const SPAN = 86_400_000;

interface ZoneOffsets {
  zone: IANAZone;
  /** luxon's offset at the start of each UTC day asked about so far. */
  dayStarts: Map<number, number>;
  /** Offset by UTC day; NaN for a day that holds a transition. */
  days: Map<number, number>;
}
const offsetCache = new Map<string, ZoneOffsets>();

function zoneOffsets(name: string): ZoneOffsets {
  let entry = offsetCache.get(name);
  if (entry === undefined) offsetCache.set(name, (entry = { zone: IANAZone.create(name), dayStarts: new Map(), days: new Map() }));
  return entry;
}

function offsetAtDayStart(entry: ZoneOffsets, span: number): number {
  let offset = entry.dayStarts.get(span);
  if (offset === undefined) entry.dayStarts.set(span, (offset = entry.zone.offset(span * SPAN)));
  return offset;
}

/**
 * `zone.offset(ms)` through a cache per zone and UTC day: luxon formats a date for each call,
 * and planning thousands of meetings asks for the same days again and again. A day that starts
 * with the offset the next day starts with has that offset throughout (no zone changes offset
 * twice within a day); a day holding a transition is always asked of luxon. Neighbouring days
 * share the luxon call at the midnight between them (a wall time's instants are looked for a day
 * either side).
 */
function offsetAt(entry: ZoneOffsets, ms: number): number {
  const span = Math.floor(ms / SPAN);
  let offset = entry.days.get(span);
  if (offset === undefined) {
    const first = offsetAtDayStart(entry, span);
    offset = first === offsetAtDayStart(entry, span + 1) ? first : Number.NaN;
    entry.days.set(span, offset);
  }
  return Number.isNaN(offset) ? entry.zone.offset(ms) : offset;
}

/** Minutes east of UTC that the IANA zone `zone` has at an instant (NaN for a zone luxon does not know). */
export function zoneOffsetAt(zone: string, ms: number): number {
  return offsetAt(zoneOffsets(zone), ms);
}

export type TimeParse = { ok: true; epochMs: number; hasOffset: boolean } | { ok: false; message: string };

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

interface ParsedText {
  wall: WallTime;
  /** Minutes east of UTC, 'Z' for an explicit UTC instant, undefined for a wall-clock time. */
  offset: number | 'Z' | undefined;
}

// Date, `T` or a space, hours and minutes, optional seconds and fraction, optional Z or ±hh[:mm].
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  // As Date.UTC counts (without building a Date): it reads the years 0–99 as 1900–1999.
  const y = year >= 0 && year <= 99 ? year + 1900 : year;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1];
}

// ISO 8601 forms that are date-times but not the one meetctl reads: the basic form
// (20270302T090000), week dates (2027-W09-2T09:00), ordinal dates (2027-061T09:00), the hour alone.
const OTHER_ISO_FORMS = [
  /^\d{8}T\d{2}(?:\d{2}(?:\d{2})?)?(?:[.,]\d+)?(?:Z|[+-]\d{2}(?:\d{2})?)?$/i,
  /^\d{4}-?W\d{2}-?[1-7][T ]\d{2}/i,
  /^\d{4}-?\d{3}[T ]\d{2}/i,
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i,
];

function parseText(value: string): ParsedText | string {
  const m = ISO_DATE_TIME.exec(value.trim());
  if (!m) {
    // Calling those "not ISO 8601" would be wrong (the spec takes "any ISO 8601 compliant format"):
    // say which form meetctl takes.
    if (OTHER_ISO_FORMS.some((form) => form.test(value.trim()))) {
      return `'${value}' is an ISO 8601 form meetctl does not read: write the extended form YYYY-MM-DDTHH:MM[:SS][offset], such as 2027-03-02T09:00:00+01:00`;
    }
    return `'${value}' is not an ISO 8601 date-time such as 2027-03-02T09:00:00+01:00`;
  }
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
    ms: frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000),
  };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > daysInMonth(wall.year, wall.month)) {
    return `'${value}' is not a real calendar date`;
  }
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return `'${value}' is not a valid time of day`;
  let offset: ParsedText['offset'];
  if (z) offset = 'Z';
  else if (sign) {
    const hours = Number(oh);
    const minutes = om === undefined ? 0 : Number(om);
    if (hours > 18 || minutes > 59) return `'${value}' has an offset out of range`;
    offset = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return { wall, offset };
}

/** Wall-clock fields read as if they were UTC: the "floating" time libraries such as rrule work in. */
export function wallAsUtc(w: WallTime): number {
  // Date.UTC reads the years 0–99 as 1900–1999; setUTCFullYear does not.
  if (w.year >= 100) return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
  const t = new Date(0);
  t.setUTCFullYear(w.year, w.month - 1, w.day);
  t.setUTCHours(w.hour, w.minute, w.second, w.ms);
  return t.getTime();
}

/** The inverse of wallAsUtc: the UTC fields of an instant, as wall-clock fields. */
export function utcFieldsOf(epochMs: number): WallTime {
  const d = new Date(epochMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

/**
 * Every instant whose wall-clock time in `zone` is `w`: none in a spring-forward gap, two in a
 * fall-back overlap, otherwise one. Ascending.
 */
function instantsForWall(w: WallTime, zone: ZoneOffsets): number[] {
  const local = wallAsUtc(w);
  const DAY = 86_400_000;
  // A zone changes offset at most a few times a year, so the offsets a day either side cover every candidate.
  const before = offsetAt(zone, local - DAY);
  const at = offsetAt(zone, local);
  const after = offsetAt(zone, local + DAY);
  // Nearly always one offset all around: one candidate, and no sets to build.
  if (before === at && at === after) {
    const instant = local - at * MINUTE;
    return offsetAt(zone, instant) === at ? [instant] : [];
  }
  const found = new Set<number>();
  for (const offset of new Set([before, at, after])) {
    const instant = local - offset * MINUTE;
    if (offsetAt(zone, instant) === offset) found.add(instant);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * ISO 8601 date-time. With an offset or Z: that instant. Without: wall-clock time in `zone` (DST aware; a
 * wall time that does not exist in the zone (spring-forward gap) is an error; an ambiguous one takes the earlier instant).
 * Accepts the forms YAML gives as strings: 2027-03-02T09:00:00+01:00, 2027-03-02T09:00Z, 2027-03-02T09:00:00.000Z, 2027-03-02 09:00.
 */
export function parseMeetingTime(value: string, zone: string | undefined): TimeParse {
  if (typeof value !== 'string') return { ok: false, message: 'must be an ISO 8601 date-time string' };
  // The rules read each file's times, and the planner reads them again: once per text and zone.
  let parsed = parsedTimes.get(zone)?.get(value);
  if (parsed === undefined) {
    if (++parsedTimeCount > PARSED_TIMES_KEPT) {
      parsedTimes.clear();
      parsedTimeCount = 1;
    }
    parsed = Object.freeze(readMeetingTime(value, zone));
    let byText = parsedTimes.get(zone);
    if (byText === undefined) parsedTimes.set(zone, (byText = new Map()));
    byText.set(value, parsed);
  }
  return parsed;
}

const parsedTimes = new Map<string | undefined, Map<string, TimeParse>>();
let parsedTimeCount = 0;
const PARSED_TIMES_KEPT = 50_000;

function readMeetingTime(value: string, zone: string | undefined): TimeParse {
  const parsed = parseText(value);
  if (typeof parsed === 'string') return { ok: false, message: parsed };
  const local = wallAsUtc(parsed.wall);
  if (parsed.offset === 'Z') return { ok: true, epochMs: local, hasOffset: true };
  if (parsed.offset !== undefined) return { ok: true, epochMs: local - parsed.offset * MINUTE, hasOffset: true };
  if (zone === undefined) {
    return { ok: false, message: `'${value}' has no offset, so it needs a timezone to say which instant it is` };
  }
  const badZone = zoneProblem(zone);
  if (badZone !== undefined) return { ok: false, message: badZone };
  const candidates = instantsForWall(parsed.wall, zoneOffsets(zone));
  if (candidates.length === 0) {
    return { ok: false, message: `'${value}' does not exist in ${zone} (the clocks skip it when daylight saving time starts)` };
  }
  return { ok: true, epochMs: candidates[0], hasOffset: false };
}

/**
 * The instant of a wall-clock time in a zone; a time inside a spring-forward gap moves forward by
 * the gap (the way calendars place a recurring 02:30 meeting on the day the clocks skip it).
 */
export function wallTimeToInstant(w: WallTime, zone: string): number {
  const z = zoneOffsets(zone);
  const candidates = instantsForWall(w, z);
  if (candidates.length > 0) return candidates[0];
  const local = wallAsUtc(w);
  // In a gap the offset before the change applies: e.g. 02:30 at +01:00 is 03:30 at +02:00.
  return local - offsetAt(z, local - 86_400_000) * MINUTE;
}

/** The wall-clock fields of an instant in a zone. */
export function wallTimeOf(epochMs: number, zone: string): WallTime {
  return utcFieldsOf(epochMs + zoneOffsetAt(zone, epochMs) * MINUTE);
}

/** Whole calendar years later in UTC; 29 February becomes 28 February in a year without one. */
export function addYearsUtc(ms: number, years: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  if (d.getUTCDate() !== day) d.setUTCDate(0);
  return d.getTime();
}

export function truncateToMinute(epochMs: number): number {
  return Math.floor(epochMs / MINUTE) * MINUTE;
}

/** Webex's rounding of an updated start: seconds/ms stripped; a start within the current minute of `nowMs` moves to the next minute. */
export function roundStartLikeServer(epochMs: number, nowMs: number): number {
  const minute = truncateToMinute(epochMs);
  return minute === truncateToMinute(nowMs) ? minute + MINUTE : minute;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `2027-03-02T09:00:00+01:00`: the instant with the offset `zone` has then (Z never used; +00:00 for UTC). Milliseconds only when non-zero. */
export function formatInZone(epochMs: number, zone: string): string {
  const offset = zoneOffsetAt(zone, epochMs);
  const w = utcFieldsOf(epochMs + offset * MINUTE);
  const ms = w.ms === 0 ? '' : `.${pad(w.ms, 3)}`;
  const year = w.year < 0 ? `-${pad(-w.year, 6)}` : w.year > 9999 ? `+${pad(w.year, 6)}` : pad(w.year, 4);
  return `${year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${ms}${formatOffset(offset)}`;
}

/** For a value with a numeric offset: does that offset equal the zone's offset at that instant? `Z` counts as an explicit UTC instant and is accepted. No offset → true. */
export function offsetAgreesWithZone(value: string, zone: string): boolean {
  const parsed = parseText(value);
  if (typeof parsed === 'string' || parsed.offset === undefined || parsed.offset === 'Z') return true;
  if (!isValidTimeZone(zone)) return false;
  const instant = wallAsUtc(parsed.wall) - parsed.offset * MINUTE;
  return zoneOffsetAt(zone, instant) === parsed.offset;
}

/** The zone's offset at an instant as `+hh:mm`, for messages. */
export function zoneOffsetText(epochMs: number, zone: string): string {
  return formatOffset(zoneOffsetAt(zone, epochMs));
}

export type { WallTime };
