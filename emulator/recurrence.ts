/**
 * Recurrence rules the way Webex stores them: an RFC 2445 RRULE, normalized on write (only the
 * first BYDAY/BYMONTHDAY of a monthly or yearly rule, COUNT and UNTIL capped at five years), and
 * expanded in the meeting's time zone so wall-clock times stay fixed across DST changes.
 */
import rrulePkg from 'rrule';
import { DAY, utcStamp, wallAsUtc, wallToInstant } from './time.js';

const { RRule } = rrulePkg;

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
const FREQUENCIES: readonly Frequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

/**
 * Occurrences a rule with an end may have, per frequency: what the five-year date limit gives for
 * INTERVAL=1 starting now (the reference's 5/60/261/1826). Only a fallback for a rule normalized without
 * its series' start; the date limit itself is the rule (PatchMeetingObject.recurrence).
 */
export const OCCURRENCE_CAP: Record<Frequency, number> = { YEARLY: 5, MONTHLY: 60, WEEKLY: 261, DAILY: 1826 };
export const RECURRENCE_YEARS = 5;

export interface ParsedRule {
  parts: [string, string][];
  freq: Frequency;
}

export type RuleResult = { ok: true; rule: string; freq: Frequency } | { ok: false; message: string };

const WEEKDAYS = '(MO|TU|WE|TH|FR|SA|SU)';
/** RFC 5545 §3.3.10: weekdaynum = [[plus / minus] ordwk] weekday, with "ordwk = 1*2DIGIT ;1 to 53" (no sign without a number). */
const WEEKDAYNUM = new RegExp(`^(?:[+-]?(\\d{1,2}))?${WEEKDAYS}$`);
const WEEKDAY = new RegExp(`^${WEEKDAYS}$`);
/** A date-time UNTIL in UTC, or a date. */
const UNTIL_FORM = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/;

/** Why a value of a part is wrong, or undefined when it is right. */
type Check = (value: string) => string | undefined;

const invalid = (key: string, value: string) => `Invalid value '${value}' for recurrence rule part '${key}'`;

/** A comma list of whole numbers, each 1 to `max` away from 0, signed only when `signed` (RFC 5545 §3.3.10's grammar). */
function numberList(key: string, max: number, signed: boolean): Check {
  const form = signed ? /^[+-]?\d{1,3}$/ : /^\d{1,2}$/;
  return (value) => {
    for (const item of value.split(',')) {
      if (!form.test(item)) return invalid(key, value);
      const n = Math.abs(Number(item));
      if (n < 1 || n > max) return `${key} value '${item}' is out of range: RFC 5545 §3.3.10 allows ${signed ? '±' : ''}1 to ${max}`;
    }
    return undefined;
  };
}

function checkByDay(value: string): string | undefined {
  for (const item of value.split(',')) {
    const m = WEEKDAYNUM.exec(item);
    if (!m) return `BYDAY value '${item}' is not a weekday (MO … SU) with an optional signed ordinal (RFC 5545 §3.3.10 weekdaynum)`;
    if (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 53)) return `BYDAY value '${item}' has an ordinal out of range: RFC 5545 §3.3.10 allows ±1 to 53`;
  }
  return undefined;
}

function checkUntil(value: string): string | undefined {
  const m = UNTIL_FORM.exec(value);
  if (!m) {
    // RFC 5545 §3.3.10: with a start "specified as a date with local time and time zone reference, … the
    // UNTIL rule part MUST be specified as a date with UTC time" (so a date-time ends in Z).
    return /^\d{8}T\d{6}$/.test(value)
      ? `UNTIL=${value} has no Z: RFC 5545 §3.3.10 requires a date with UTC time (${value}Z) for a meeting scheduled in a time zone`
      : `UNTIL=${value} must be a UTC date-time YYYYMMDDTHHMMSSZ or a date YYYYMMDD`;
  }
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const real = mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h <= 23 && mi <= 59 && sec <= 59;
  return real ? undefined : `UNTIL=${value} is not a real date and time`;
}

const whole = (key: string): Check => (value) => (/^\d+$/.test(value) && +value >= 1 ? undefined : invalid(key, value));

const CHECKS: Record<string, Check> = {
  FREQ: (v) => ((FREQUENCIES as readonly string[]).includes(v) ? undefined : invalid('FREQ', v)),
  INTERVAL: whole('INTERVAL'),
  COUNT: whole('COUNT'),
  UNTIL: checkUntil,
  BYDAY: checkByDay,
  BYMONTHDAY: numberList('BYMONTHDAY', 31, true),
  BYMONTH: numberList('BYMONTH', 12, false),
  BYSETPOS: numberList('BYSETPOS', 366, true),
  WKST: (v) => (WEEKDAY.test(v) ? undefined : invalid('WKST', v)),
};

/** What RFC 5545 §3.3.10 says of parts together. */
function checkTogether(parts: [string, string][], freq: Frequency): string | undefined {
  const has = (key: string) => parts.some(([k]) => k === key);
  if (has('COUNT') && has('UNTIL')) return 'recurrence rule cannot have both COUNT and UNTIL';
  const byDay = parts.find(([k]) => k === 'BYDAY')?.[1];
  const numbered = byDay?.split(',').find((d) => /\d/.test(d));
  // "The BYDAY rule part MUST NOT be specified with a numeric value when the FREQ rule part is not set to MONTHLY or YEARLY."
  if (numbered !== undefined && freq !== 'MONTHLY' && freq !== 'YEARLY')
    return `BYDAY value '${numbered}' has an ordinal, which RFC 5545 §3.3.10 allows only when FREQ is MONTHLY or YEARLY (this rule is ${freq})`;
  // BYSETPOS "MUST only be used in conjunction with another BYxxx rule part."
  if (has('BYSETPOS') && !parts.some(([k]) => k !== 'BYSETPOS' && k.startsWith('BY')))
    return 'BYSETPOS is used without another BYxxx rule part, which RFC 5545 §3.3.10 requires';
  return undefined;
}

export function parseRule(text: string): { ok: true; rule: ParsedRule } | { ok: false; message: string } {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body === '') return { ok: false, message: 'recurrence is empty' };
  const parts: [string, string][] = [];
  const seen = new Set<string>();
  for (const piece of body.split(';')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) return { ok: false, message: `Invalid recurrence rule part '${piece}'` };
    const key = piece.slice(0, eq).toUpperCase();
    const value = piece.slice(eq + 1).toUpperCase();
    const check = CHECKS[key];
    if (check === undefined) return { ok: false, message: `Unsupported recurrence rule part '${key}'` };
    if (seen.has(key)) return { ok: false, message: `Recurrence rule part '${key}' given twice` };
    const wrong = check(value);
    if (wrong !== undefined) return { ok: false, message: wrong };
    seen.add(key);
    parts.push([key, value]);
  }
  const freq = parts.find(([k]) => k === 'FREQ')?.[1] as Frequency | undefined;
  if (freq === undefined) return { ok: false, message: 'recurrence rule needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)' };
  const wrong = checkTogether(parts, freq);
  return wrong === undefined ? { ok: true, rule: { parts, freq } } : { ok: false, message: wrong };
}

function untilMs(value: string): number {
  const m = UNTIL_FORM.exec(value)!;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 23), +(m[5] ?? 59), +(m[6] ?? 59));
}

/**
 * The furthest end Webex accepts for a rule written at `nowMs`: "five years from now" is a date, the
 * same calendar day five years on (28 February for 29 February), and any time on that day is accepted.
 */
export function untilLimitMs(nowMs: number): number {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear() + RECURRENCE_YEARS;
  const lastDay = new Date(Date.UTC(year, now.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(year, now.getUTCMonth(), Math.min(now.getUTCDate(), lastDay), 23, 59, 59);
}

/** The series a rule belongs to: where its expansion starts, and the zone it is expanded in. */
export interface RuleAnchor {
  firstStartMs: number;
  zone: string;
}

/** Hard stop of an expansion, against a rule set behind the API's back with an absurd COUNT. */
const EXPANSION_LIMIT = 20_000;

/**
 * rrule looks at date after date until one passes the rule's end, and gives up only after the year
 * 9999 (its MAXYEAR): a rule that no date satisfies was scanned for 8,000 years, some 20 s of the
 * emulator's one event loop. The Gregorian calendar repeats every 400 years, weekdays included
 * (146,097 days: 20,871 weeks, 4,800 months), so a rule laid out from a start 400·k years later gives
 * the same dates 400·k years later. Each layout is made that far ahead and moved back: rrule's year
 * 9999 becomes the last year laid out, 2399 for any start before 2300.
 */
const CYCLE_YEARS = 400;
const CYCLE_MS = 146_097 * DAY;
const RRULE_LAST_YEAR = 9999;
/** Years a layout covers at the least from its start's year on. */
const LEAST_YEARS = 100;

/** How far ahead (in ms, whole 400-year cycles) a layout from this wall-clock start is made. */
function cycleShift(wallStart: Date): number {
  return Math.max(0, Math.floor((RRULE_LAST_YEAR - LEAST_YEARS - wallStart.getUTCFullYear()) / CYCLE_YEARS)) * CYCLE_MS;
}

/** The last year a layout from this start reaches. */
function lastLaidOutYear(firstStartMs: number, zone: string): number {
  const wall = wallAsUtc(firstStartMs, zone);
  return RRULE_LAST_YEAR - cycleShift(wall) / CYCLE_MS * CYCLE_YEARS;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Why the rule's BYMONTHDAY is in none of its months (BYMONTH=2;BYMONTHDAY=30), if it is not: no date
 * satisfies such a rule, which the parts alone tell.
 */
function dayInNoMonth(parts: [string, string][]): string | undefined {
  const days = parts.find(([k]) => k === 'BYMONTHDAY')?.[1];
  if (days === undefined) return undefined;
  const byMonth = parts.find(([k]) => k === 'BYMONTH')?.[1];
  const months = byMonth === undefined ? MONTH_DAYS.map((_, i) => i + 1) : byMonth.split(',').map(Number);
  if (months.some((m) => days.split(',').some((d) => Math.abs(Number(d)) <= MONTH_DAYS[m - 1]))) return undefined;
  const names = months.map((m) => MONTH_NAMES[m - 1]);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `no date satisfies the rule: ${list} ${names.length === 1 ? 'has' : 'have'} no day ${days.split(',').join(', ')}`;
}

/**
 * Why the rule lays out no meeting from this start, if it does not. MeetingSeriesObject.meetingType:
 * a series is "one or more scheduled meetings" (and its `start` the first of them); the description
 * has no series without one, so such a rule is the caller's error.
 */
function noMeeting(parts: [string, string][], anchor: RuleAnchor): string | undefined {
  const never = dayInNoMonth(parts);
  if (never !== undefined) return never;
  const endless = parts.filter(([k]) => k !== 'COUNT' && k !== 'UNTIL');
  const first = layOut(endless, anchor.firstStartMs, anchor.zone, Infinity, 1)[0];
  if (first === undefined) return `no date from the series' start through ${lastLaidOutYear(anchor.firstStartMs, anchor.zone)} satisfies the rule`;
  const until = parts.find(([k]) => k === 'UNTIL')?.[1];
  if (until !== undefined && layOut(parts, anchor.firstStartMs, anchor.zone, Infinity, 1).length === 0)
    return `the rule's first meeting (${new Date(first).toISOString().replace('.000Z', 'Z')}) is after its UNTIL=${until}`;
  return undefined;
}

/**
 * Webex's normalization of a rule written at `nowMs`. "If it has an ending date" the furthest date
 * accepted is five years from now (PatchMeetingObject.recurrence; the reference's paragraph with
 * "five years from now"); a rule that never ends is unlimited. So an UNTIL after that day is stored
 * as the end of that day, and a COUNT as the number of occurrences that start by then, so that the
 * stored rule and the scheduled meetings laid out from it agree. Without `anchor` the per-frequency
 * counts stand in for the date.
 */
export function normalizeRule(text: string, nowMs: number, anchor?: RuleAnchor): RuleResult {
  const parsed = parseRule(text);
  if (!parsed.ok) return parsed;
  const { freq } = parsed.rule;
  // MeetingSeriesObject.recurrence: for a monthly or yearly rule "only the first day or date specified is taken".
  const taken = parsed.rule.parts.map(([key, value]): [string, string] =>
    (freq === 'MONTHLY' || freq === 'YEARLY') && (key === 'BYDAY' || key === 'BYMONTHDAY') ? [key, value.split(',')[0]] : [key, value],
  );
  const unusable = layoutRefusal(taken);
  if (unusable !== undefined) return { ok: false, message: unusable };
  // The rule as taken, before the five-year cap: a cap is Webex's, an empty rule is the caller's.
  const empty = anchor === undefined ? dayInNoMonth(taken) : noMeeting(taken, anchor);
  if (empty !== undefined) return { ok: false, message: `${empty}, so the series would have no scheduled meeting` };
  const limit = untilLimitMs(nowMs);
  const parts = taken.map(([key, value]): [string, string] => {
    if (key === 'COUNT' && anchor === undefined) return [key, String(Math.min(+value, OCCURRENCE_CAP[freq]))];
    // Only an end after that day is capped: capping never moves an end later, and a date on that day stays as written.
    if (key === 'UNTIL' && untilMs(value) > limit) return [key, utcStamp(limit)];
    return [key, value];
  });
  const rule = () => parts.map(([k, v]) => `${k}=${v}`).join(';');
  const count = parts.find(([k]) => k === 'COUNT');
  if (count !== undefined && anchor !== undefined) {
    const within = expandRule(rule(), anchor.firstStartMs, anchor.zone, limit).length;
    // The first meeting is the series itself: a rule keeps at least it.
    count[1] = String(Math.max(1, Math.min(+count[1], within)));
  }
  return { ok: true, rule: rule(), freq };
}

/** rrule's options for the parts, UNTIL left out (expandRule places it in the zone). */
function rruleOptions(parts: [string, string][]): ReturnType<typeof RRule.parseString> {
  return RRule.parseString(parts.filter(([k]) => k !== 'UNTIL').map(([k, v]) => `${k}=${v}`).join(';'));
}

/**
 * Why rrule could not lay the rule out, if it could not: the checks above are meant to leave nothing
 * for it to throw on, and whatever they miss is still the caller's malformed rule (a 400), never a
 * fault of the server's (a 500) when the meetings are laid out.
 */
function layoutRefusal(parts: [string, string][]): string | undefined {
  try {
    new RRule({ ...rruleOptions(parts), dtstart: new Date(0) });
    return undefined;
  } catch (err) {
    return `the rule cannot be laid out (${err instanceof Error ? err.message : String(err)})`;
  }
}

export function hasEnd(rule: string): boolean {
  return /(^|;)(COUNT|UNTIL)=/i.test(rule);
}

/**
 * Where the first meeting of a stored rule laid out from `startMs` starts (undefined when none does).
 * MeetingSeriesObject.start: "If the meeting is a meeting series, `start` is the date and time the
 * first meeting of the series starts". Laid out from this instant the rule gives the same meetings as
 * from `startMs`: it is one of them, and a rule counts, steps and fills in what it leaves out (the day,
 * the time) from any of its meetings alike.
 */
export function firstMeetingMs(rule: string, startMs: number, zone: string): number | undefined {
  const parsed = parseRule(rule);
  if (!parsed.ok) return undefined;
  return layOut(parsed.rule.parts.filter(([k]) => k !== 'COUNT' && k !== 'UNTIL'), startMs, zone, Infinity, 1)[0];
}

/**
 * The start instants of a series' occurrences: wall-clock expansion in `zone`, stopping at the
 * rule's end (its COUNT or UNTIL, as stored), at `horizonMs`, or after the last year laid out (cycleShift).
 */
export function expandRule(rule: string, firstStartMs: number, zone: string, horizonMs: number): number[] {
  const parsed = parseRule(rule);
  if (!parsed.ok) return [firstStartMs];
  return layOut(parsed.rule.parts, firstStartMs, zone, horizonMs, EXPANSION_LIMIT);
}

/** At most `limit` starts of the parts' layout, made 400·k years ahead and moved back (cycleShift). */
function layOut(parts: [string, string][], firstStartMs: number, zone: string, horizonMs: number, limit: number): number[] {
  const options = rruleOptions(parts);
  const wallStart = wallAsUtc(firstStartMs, zone);
  const shift = cycleShift(wallStart);
  options.dtstart = new Date(wallStart.getTime() + shift);
  const until = parts.find(([k]) => k === 'UNTIL')?.[1];
  // UNTIL is an instant; in wall-clock space it becomes that instant's wall time in the zone.
  if (until !== undefined) options.until = new Date(wallAsUtc(untilMs(until), zone).getTime() + shift);
  const horizonWall = Number.isFinite(horizonMs) ? wallAsUtc(horizonMs, zone).getTime() + shift : Infinity;
  const starts: number[] = [];
  new RRule(options).all((date, i) => {
    if (i >= limit || date.getTime() > horizonWall) return false;
    starts.push(wallToInstant(new Date(date.getTime() - shift), zone));
    return true;
  });
  return starts;
}
