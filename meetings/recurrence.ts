/**
 * Recurrence rules (RFC 2445 RRULE) the way Webex takes them: a small parser for the parts Webex
 * understands, a canonical text form (so `BYDAY=TU;FREQ=weekly` and `FREQ=WEEKLY;INTERVAL=1;BYDAY=TU`
 * compare equal), the server's normalization (first BYDAY/BYMONTHDAY only for MONTHLY/YEARLY,
 * five-year cap), and expansion to occurrence instants with the `rrule` package.
 */
import type * as RRulePackage from 'rrule';
import type { Options as RRuleOptions, Weekday as RRuleWeekday } from 'rrule';
import { lazyModule } from '../core/lazy-module.js';
import { LIMITS } from './catalogue.js';
import { expandSimple } from './rule-expand.js';
import { addYearsUtc, utcFieldsOf, wallAsUtc, wallTimeOf, wallTimeToInstant, type WallTime } from './time.js';

/** rrule, loaded the first time a rule needs it: rule-expand.ts lays out the common shapes, so most runs never do. */
const rrule = lazyModule<typeof RRulePackage>('rrule');

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  count?: number;
  /** As written: UTC `YYYYMMDDTHHMMSSZ` or a date `YYYYMMDD`. */
  until?: string;
  byDay?: string[];
  byMonthDay?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  wkst?: string;
}

/** `localUntil`: an UNTIL that is a real date and time without its Z, which the file's zone can turn into UTC. */
export type RuleParse = { ok: true; rule: RecurrenceRule } | { ok: false; message: string; localUntil?: string };

const FREQUENCIES: readonly Frequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const KNOWN_PARTS = ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST'];
// Parts RFC 2445 defines but Webex meetings do not support: named in the error so the user knows why.
const UNSUPPORTED_PARTS = ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYYEARDAY', 'BYWEEKNO'];

const BYDAY_ITEM = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;
const UNTIL_DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const UNTIL_DATE = /^(\d{4})(\d{2})(\d{2})$/;

function positiveInteger(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

function integerList(part: string, text: string, maxAbs: number, allowNegative: boolean): number[] | string {
  const out: number[] = [];
  for (const item of text.split(',')) {
    if (!/^[+-]?\d{1,3}$/.test(item)) return `${part} value '${item}' is not a whole number`;
    const n = Number(item);
    if (n === 0 || Math.abs(n) > maxAbs || (!allowNegative && n < 0)) {
      return `${part} value '${item}' is out of range (${allowNegative ? `±1…${maxAbs}` : `1…${maxAbs}`})`;
    }
    out.push(n);
  }
  return out;
}

/** UTC epoch ms of an UNTIL value; a bare date means the end of that day (inclusive). */
export function untilToMs(until: string): number | undefined {
  let m = UNTIL_DATE_TIME.exec(until);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    if (!realDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  m = UNTIL_DATE.exec(until);
  if (m) {
    const [y, mo, d] = m.slice(1).map(Number);
    if (!realDate(y, mo, d)) return undefined;
    return Date.UTC(y, mo - 1, d, 23, 59, 59);
  }
  return undefined;
}

/** An UNTIL that names an instant: a UTC date-time, not a bare date. */
export function isUtcUntil(until: string): boolean {
  return UNTIL_DATE_TIME.test(until);
}

function realDate(y: number, mo: number, d: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

// Thousands of files share a handful of rules, each read by several rules and by the planner: parse
// each text once. Results are frozen, since every caller gets the same object.
const parsedRules = new Map<string, RuleParse>();
const PARSED_RULES_KEPT = 10_000;

/** Tolerant of case, an optional `RRULE:` prefix, spaces and a trailing `;`; an unknown part is an error naming it. */
export function parseRecurrence(text: string): RuleParse {
  if (typeof text !== 'string') return { ok: false, message: 'recurrence must be a string such as FREQ=WEEKLY;BYDAY=TU' };
  let parsed = parsedRules.get(text);
  if (parsed === undefined) {
    if (parsedRules.size >= PARSED_RULES_KEPT) parsedRules.clear();
    parsed = deepFreeze(parseRule(text));
    parsedRules.set(text, parsed);
  }
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

function parseRule(text: string): RuleParse {
  let body = text.replace(/\s+/g, '').toUpperCase();
  if (body.startsWith('RRULE:')) body = body.slice('RRULE:'.length);
  if (body === '') return { ok: false, message: 'recurrence is empty' };
  const seen = new Map<string, string>();
  for (const part of body.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) return { ok: false, message: `recurrence part '${part}' is not NAME=VALUE` };
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (UNSUPPORTED_PARTS.includes(name)) return { ok: false, message: `recurrence part ${name} is not supported by Webex meetings` };
    if (!KNOWN_PARTS.includes(name)) return { ok: false, message: `unknown recurrence part '${name}'` };
    if (seen.has(name)) return { ok: false, message: `recurrence part ${name} is given twice` };
    seen.set(name, value);
  }

  const freq = seen.get('FREQ');
  if (freq === undefined) return { ok: false, message: 'recurrence needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)' };
  if (!FREQUENCIES.includes(freq as Frequency)) {
    return { ok: false, message: `FREQ=${freq} is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY` };
  }
  const rule: RecurrenceRule = { freq: freq as Frequency, interval: 1 };

  const interval = seen.get('INTERVAL');
  if (interval !== undefined) {
    const n = positiveInteger(interval);
    if (n === undefined) return { ok: false, message: `INTERVAL=${interval} must be a positive whole number` };
    rule.interval = n;
  }
  const count = seen.get('COUNT');
  if (count !== undefined) {
    const n = positiveInteger(count);
    if (n === undefined) return { ok: false, message: `COUNT=${count} must be a positive whole number` };
    rule.count = n;
  }
  const until = seen.get('UNTIL');
  if (until !== undefined) {
    if (count !== undefined) return { ok: false, message: 'recurrence may give COUNT or UNTIL, not both' };
    if (untilToMs(until) === undefined) {
      // A date alone parses (the rules refuse it with the end of that day), but is not offered:
      // it names no instant, and the rules' message says so.
      if (/^\d{8}T\d{6}$/.test(until) && untilToMs(`${until}Z`) !== undefined) {
        return { ok: false, message: `UNTIL=${until} has no Z: it must be a UTC date-time YYYYMMDDTHHMMSSZ`, localUntil: until };
      }
      return { ok: false, message: `UNTIL=${until} must be a real UTC date-time YYYYMMDDTHHMMSSZ` };
    }
    rule.until = until;
  }
  const byDay = seen.get('BYDAY');
  if (byDay !== undefined) {
    const items = byDay.split(',');
    for (const item of items) {
      const m = BYDAY_ITEM.exec(item);
      if (!m) return { ok: false, message: `BYDAY value '${item}' is not a weekday such as TU or 2TU` };
      if (m[1] !== undefined) {
        const n = Number(m[1]);
        if (n === 0 || Math.abs(n) > 53) return { ok: false, message: `BYDAY value '${item}' has an ordinal out of range` };
        if (rule.freq !== 'MONTHLY' && rule.freq !== 'YEARLY') {
          return { ok: false, message: `BYDAY value '${item}' has an ordinal, which only a MONTHLY or YEARLY rule may use` };
        }
      }
    }
    // `+2TU` and `2TU` are the same day: keep the short form.
    rule.byDay = items.map((i) => i.replace(/^\+/, ''));
  }
  const lists: [string, 'byMonthDay' | 'byMonth' | 'bySetPos', number, boolean][] = [
    ['BYMONTHDAY', 'byMonthDay', 31, true],
    ['BYMONTH', 'byMonth', 12, false],
    ['BYSETPOS', 'bySetPos', 366, true],
  ];
  for (const [part, key, maxAbs, allowNegative] of lists) {
    const value = seen.get(part);
    if (value === undefined) continue;
    const parsed = integerList(part, value, maxAbs, allowNegative);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    rule[key] = parsed;
  }
  // RFC 2445 §4.3.10: BYSETPOS "MUST only be used in conjunction with another BYxxx rule part".
  if (rule.bySetPos && !rule.byDay && !rule.byMonthDay && !rule.byMonth) {
    return { ok: false, message: `BYSETPOS=${rule.bySetPos.join(',')} picks from the set the other BY parts make (BYDAY, BYMONTHDAY or BYMONTH), and this rule has none: RFC 2445 allows it only beside one of them` };
  }
  const never = neverFalls(rule);
  if (never) return { ok: false, message: never };
  const wkst = seen.get('WKST');
  if (wkst !== undefined) {
    if (!(WEEKDAYS as readonly string[]).includes(wkst)) return { ok: false, message: `WKST=${wkst} must be a weekday: MO…SU` };
    rule.wkst = wkst;
  }
  return { ok: true, rule };
}

/** The most days each month can have (February's 29 in a leap year). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why no date can ever satisfy the rule's BYMONTHDAY in its months (30 February, 31 April), if so:
 * such a rule has no meeting, and laying it out would search every day to the year 9999.
 */
function neverFalls(rule: RecurrenceRule): string | undefined {
  if (rule.byMonthDay === undefined) return undefined;
  const months = rule.byMonth ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (months.some((m) => rule.byMonthDay!.some((d) => Math.abs(d) <= MONTH_DAYS[m - 1]))) return undefined;
  return `BYMONTHDAY=${rule.byMonthDay.join(',')} never falls in ${rule.byMonth === undefined ? 'any month' : `BYMONTH=${rule.byMonth.join(',')}`}: the rule has no meeting`;
}

/** Canonical: FREQ;INTERVAL;BYMONTH;BYMONTHDAY;BYDAY;BYSETPOS;WKST;COUNT|UNTIL, upper case, INTERVAL always present. */
export function formatRecurrence(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`, `INTERVAL=${rule.interval ?? 1}`];
  if (rule.byMonth?.length) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.byMonthDay?.length) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byDay?.length) parts.push(`BYDAY=${rule.byDay.join(',')}`);
  if (rule.bySetPos?.length) parts.push(`BYSETPOS=${rule.bySetPos.join(',')}`);
  if (rule.wkst) parts.push(`WKST=${rule.wkst}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  else if (rule.until !== undefined) parts.push(`UNTIL=${rule.until}`);
  return parts.join(';');
}

/** How the UNTIL-cap warning starts, so that callers can tell it from the others. */
export const UNTIL_CAP_SENTENCE = 'Webex ends a series at most five years from now';

/** The last instant Webex accepts for a rule's end: the date five calendar years (UTC) after `nowMs`, 23:59:59Z. */
export function untilCapMs(nowMs: number): number {
  const now = new Date(nowMs);
  const capped = new Date(0);
  capped.setUTCFullYear(now.getUTCFullYear() + LIMITS.recurrenceYearsMax, now.getUTCMonth(), now.getUTCDate());
  // 29 February plus five years is 1 March in JavaScript; Webex's "five years" ends on 28 February then.
  if (capped.getUTCDate() !== now.getUTCDate()) capped.setUTCDate(0);
  capped.setUTCHours(23, 59, 59, 0);
  return capped.getTime();
}

/** An UNTIL as Webex writes it: `YYYYMMDDTHHMMSSZ`. */
export function formatUntil(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/**
 * What Webex stores for a desired rule: MONTHLY/YEARLY keep only the first BYMONTHDAY and first BYDAY
 * value. A rule with an end may last until the date five calendar years (UTC) after nowMs ("the
 * actual furthest date accepted for the recurring meeting is five years from now"; a rule that never
 * ends is unlimited): an UNTIL later than that date is capped to it, written YYYYMMDDT235959Z
 * (comparing with that cap, so capping never moves an end later), and a COUNT becomes the number of
 * occurrences that start by then, expanded from the series' start in its zone (`anchor`). Without an
 * anchor the documented per-frequency counts (5 yearly, 60 monthly, 261 weekly, 1826 daily) stand in
 * for the date. Each adjustment adds a warning sentence.
 */
export interface NormalizedRecurrence {
  /** The canonical rule Webex stores. */
  rule: string;
  /** One sentence per adjustment, empty when Webex keeps the rule as written. */
  warnings: string[];
  /** Set when UNTIL was capped: the UNTIL as written (`rule` carries the cap). */
  untilCappedFrom?: string;
  /** Set when COUNT was reduced to the five-year date: the COUNT as written. */
  countCappedFrom?: number;
}

/**
 * A cheap upper bound on the last occurrence, when one exists without expanding the rule:
 * UNTIL bounds it directly; a COUNT of a rule whose every period holds an occurrence ends within
 * COUNT periods. Undefined when filters (BYMONTH, BYSETPOS…) could skip periods.
 */
export function lastOccurrenceBound(rule: RecurrenceRule, startMs: number): number | undefined {
  if (rule.until !== undefined) return untilToMs(rule.until);
  if (rule.count === undefined || rule.byMonth || rule.bySetPos || rule.byMonthDay) return undefined;
  // MONTHLY and YEARLY rules skip months without their day (the 31st, 29 February): no simple bound.
  if (rule.freq === 'MONTHLY' || rule.freq === 'YEARLY' || (rule.byDay && rule.freq !== 'WEEKLY')) return undefined;
  const periodDays = rule.freq === 'DAILY' ? 1 : 7;
  // One more period for a first week that starts after its last BYDAY; two days for DST across midnight UTC.
  return startMs + ((rule.count + 1) * rule.interval * periodDays + 2) * DAY_MS;
}

/** Where a series' occurrences are laid out from: its first start, in the zone it is scheduled in. */
export interface RuleAnchor {
  startMs: number;
  zone: string;
}

const DAY_MS = 24 * 3600 * 1000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function normalizeRecurrence(text: string, nowMs: number, anchor?: RuleAnchor): NormalizedRecurrence | { error: string } {
  const parsed = parseRecurrence(text);
  if (!parsed.ok) return { error: parsed.message };
  const rule: RecurrenceRule = { ...parsed.rule };
  const warnings: string[] = [];
  const out: Partial<NormalizedRecurrence> = {};
  if (rule.freq === 'MONTHLY' || rule.freq === 'YEARLY') {
    if (rule.byMonthDay && rule.byMonthDay.length > 1) {
      warnings.push(
        `Webex keeps only the first BYMONTHDAY of a ${rule.freq} rule: BYMONTHDAY=${rule.byMonthDay.join(',')} becomes BYMONTHDAY=${rule.byMonthDay[0]}.`,
      );
      rule.byMonthDay = [rule.byMonthDay[0]];
    }
    if (rule.byDay && rule.byDay.length > 1) {
      warnings.push(`Webex keeps only the first BYDAY of a ${rule.freq} rule: BYDAY=${rule.byDay.join(',')} becomes BYDAY=${rule.byDay[0]}.`);
      rule.byDay = [rule.byDay[0]];
    }
  }
  const capMs = untilCapMs(nowMs);
  const bound = anchor === undefined ? undefined : lastOccurrenceBound(rule, anchor.startMs);
  // Most rules provably end in time: no need to lay them out.
  if (rule.count !== undefined && anchor !== undefined && !(bound !== undefined && bound <= capMs)) {
    const within = expandOccurrences(formatRecurrence(rule), anchor.startMs, anchor.zone, { untilMs: capMs, limit: rule.count });
    if (within.length < rule.count) {
      // The first meeting is the series itself: a rule keeps at least it.
      const kept = Math.max(1, within.length);
      const keptLast = within[kept - 1] ?? anchor.startMs;
      // Laying out a huge COUNT only to name its last day is not worth it.
      const writtenLast = rule.count <= DEFAULT_LIMIT ? lastOccurrence(formatRecurrence(rule), anchor.startMs, anchor.zone) : undefined;
      const instead = writtenLast === undefined ? '' : ` instead of ${isoDay(writtenLast)}`;
      warnings.push(`${UNTIL_CAP_SENTENCE}: COUNT=${rule.count} becomes COUNT=${kept} (the last meeting on ${isoDay(keptLast)}${instead}).`);
      out.countCappedFrom = rule.count;
      rule.count = kept;
    }
  } else if (anchor === undefined && rule.count !== undefined && rule.count > LIMITS.occurrenceCap[rule.freq]) {
    const cap = LIMITS.occurrenceCap[rule.freq];
    warnings.push(`Webex allows at most ${cap} occurrences for a ${rule.freq} rule: COUNT=${rule.count} becomes COUNT=${cap}.`);
    rule.count = cap;
  }
  if (rule.until !== undefined) {
    const untilMs = untilToMs(rule.until)!;
    // A bare date is compared by its own day: YYYYMMDD on the cap date is not later than the cap.
    if (untilMs > capMs) {
      const capped = formatUntil(capMs);
      warnings.push(`${UNTIL_CAP_SENTENCE}: UNTIL=${rule.until} becomes UNTIL=${capped}.`);
      out.untilCappedFrom = rule.until;
      rule.until = capped;
    }
  }
  return { rule: formatRecurrence(rule), warnings, ...out };
}

/**
 * Whether a series' start is one of its rule's meetings, read off the start's own wall-clock day
 * for the common shapes (no BY part: the start sets the day; WEEKLY by weekdays); undefined when
 * only laying the rule out can tell.
 */
export function startFitsRule(rule: RecurrenceRule, startMs: number, zone: string): boolean | undefined {
  if (rule.byMonth !== undefined || rule.byMonthDay !== undefined || rule.bySetPos !== undefined) return undefined;
  if (rule.byDay === undefined) return true;
  if (rule.freq !== 'WEEKLY' || rule.byDay.some((d) => d.length !== 2)) return undefined;
  const wall = wallTimeOf(startMs, zone);
  const weekday = WEEKDAYS[(new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7];
  return rule.byDay.includes(weekday);
}

/** Hard stop for rules without an end, when the caller gives neither a limit nor an end instant. */
const DEFAULT_LIMIT = 5000;

function weekday(item: string): RRuleWeekday {
  const m = BYDAY_ITEM.exec(item)!;
  const day = new (rrule().Weekday)(WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]));
  return m[1] === undefined ? day : day.nth(Number(m[1]));
}

/** A rule's end as rrule compares it: a bare date ends on that day in the meeting's zone; a UTC instant is read on the zone's wall clock. */
function floatingUntil(until: string, zone: string): number {
  const untilMs = untilToMs(until)!;
  return UNTIL_DATE.test(until) ? untilMs : wallAsUtc(wallTimeOf(untilMs, zone));
}

function toRRuleOptions(rule: RecurrenceRule, dtstart: number, zone: string): Partial<RRuleOptions> {
  const options: Partial<RRuleOptions> = { freq: rrule().RRule[rule.freq], interval: rule.interval, dtstart: new Date(dtstart) };
  if (rule.count !== undefined) options.count = rule.count;
  if (rule.until !== undefined) options.until = new Date(floatingUntil(rule.until, zone));
  if (rule.byDay) options.byweekday = rule.byDay.map(weekday);
  if (rule.byMonthDay) options.bymonthday = [...rule.byMonthDay];
  if (rule.byMonth) options.bymonth = [...rule.byMonth];
  if (rule.bySetPos) options.bysetpos = [...rule.bySetPos];
  if (rule.wkst) options.wkst = WEEKDAYS.indexOf(rule.wkst as (typeof WEEKDAYS)[number]);
  return options;
}

/** How far past its start a rule's meetings are looked for: far beyond the ten years ahead a meeting can be scheduled. */
const SEARCH_YEARS = 60;

/** Each floating start of a rule, in order, until `accept` returns false: by day arithmetic where it can, else by rrule. */
export function expandFloating(rule: RecurrenceRule, dtstart: number, zone: string, accept: (floating: number) => boolean, opts: { rrule?: true } = {}): void {
  const until = rule.until === undefined ? undefined : floatingUntil(rule.until, zone);
  if (!opts.rrule && expandSimple(rule, dtstart, until, accept)) return;
  // A rule some month never satisfies (BYSETPOS=10 of Mondays) would be searched to the year 9999.
  const horizon = new Date(addYearsUtc(dtstart, SEARCH_YEARS));
  new (rrule().RRule)(toRRuleOptions(rule, dtstart, zone)).between(new Date(dtstart), horizon, true, (date) => accept(date.getTime()));
}

/**
 * Occurrence start instants of a series starting at startMs in `zone` (wall-clock fixed across DST), at most
 * `limit` of them (default 5000), none after untilMs. An unparseable rule has no occurrences.
 * As in RFC 2445, the series start counts as the first occurrence only when it matches the rule.
 */
export function expandOccurrences(rule: string, startMs: number, zone: string, opts: { limit?: number; untilMs?: number } = {}): number[] {
  const parsed = parseRecurrence(rule);
  if (!parsed.ok) return [];
  const limit = opts.limit ?? DEFAULT_LIMIT;
  if (limit <= 0) return [];
  const out: number[] = [];
  // rrule and day arithmetic alike work in "floating" time: wall-clock fields read as UTC.
  expandFloating(parsed.rule, wallAsUtc(wallTimeOf(startMs, zone)), zone, (date) => {
    const instant = wallTimeToInstant(utcFieldsOf(date), zone);
    if (opts.untilMs !== undefined && instant > opts.untilMs) return false;
    out.push(instant);
    return out.length < limit;
  });
  return out;
}

/** The start of the last occurrence, or undefined for a rule without COUNT/UNTIL (or one that does not parse). */
export function lastOccurrence(rule: string, startMs: number, zone: string): number | undefined {
  const parsed = parseRecurrence(rule);
  if (!parsed.ok || (parsed.rule.count === undefined && parsed.rule.until === undefined)) return undefined;
  const all = expandOccurrences(rule, startMs, zone, { limit: Number.MAX_SAFE_INTEGER });
  return all.length > 0 ? all[all.length - 1] : undefined;
}
