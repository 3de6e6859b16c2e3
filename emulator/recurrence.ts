/**
 * Recurrence rules the way Webex stores them: an RFC 2445 RRULE, normalized on write (only the
 * first BYDAY/BYMONTHDAY of a monthly or yearly rule, COUNT and UNTIL capped at five years), and
 * expanded in the meeting's time zone so wall-clock times stay fixed across DST changes.
 */
import rrulePkg from 'rrule';
import { utcStamp, wallAsUtc, wallToInstant } from './time.js';

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

const DAY_RE = /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/;
const VALIDATORS: Record<string, (v: string) => boolean> = {
  FREQ: (v) => (FREQUENCIES as readonly string[]).includes(v),
  INTERVAL: (v) => /^\d+$/.test(v) && +v >= 1,
  COUNT: (v) => /^\d+$/.test(v) && +v >= 1,
  UNTIL: (v) => /^\d{8}(T\d{6}Z?)?$/.test(v),
  BYDAY: (v) => v.split(',').every((d) => DAY_RE.test(d)),
  BYMONTHDAY: (v) => v.split(',').every((d) => /^-?\d{1,2}$/.test(d) && Math.abs(+d) >= 1 && Math.abs(+d) <= 31),
  BYMONTH: (v) => v.split(',').every((d) => /^\d{1,2}$/.test(d) && +d >= 1 && +d <= 12),
  BYSETPOS: (v) => v.split(',').every((d) => /^-?\d{1,3}$/.test(d) && d !== '0' && d !== '-0'),
  WKST: (v) => /^(MO|TU|WE|TH|FR|SA|SU)$/.test(v),
};

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
    const check = VALIDATORS[key];
    if (check === undefined) return { ok: false, message: `Unsupported recurrence rule part '${key}'` };
    if (seen.has(key)) return { ok: false, message: `Recurrence rule part '${key}' given twice` };
    if (!check(value)) return { ok: false, message: `Invalid value '${value}' for recurrence rule part '${key}'` };
    seen.add(key);
    parts.push([key, value]);
  }
  const freq = parts.find(([k]) => k === 'FREQ')?.[1] as Frequency | undefined;
  if (freq === undefined) return { ok: false, message: 'recurrence rule needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)' };
  if (seen.has('COUNT') && seen.has('UNTIL')) return { ok: false, message: 'recurrence rule cannot have both COUNT and UNTIL' };
  return { ok: true, rule: { parts, freq } };
}

function untilMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(value)!;
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
  const limit = untilLimitMs(nowMs);
  const parts = parsed.rule.parts.map(([key, value]): [string, string] => {
    if ((freq === 'MONTHLY' || freq === 'YEARLY') && (key === 'BYDAY' || key === 'BYMONTHDAY')) return [key, value.split(',')[0]];
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

export function hasEnd(rule: string): boolean {
  return /(^|;)(COUNT|UNTIL)=/i.test(rule);
}

/**
 * The start instants of a series' occurrences: wall-clock expansion in `zone`, stopping at the
 * rule's end (its COUNT or UNTIL, as stored) or at `horizonMs`.
 */
export function expandRule(rule: string, firstStartMs: number, zone: string, horizonMs: number): number[] {
  const parsed = parseRule(rule);
  if (!parsed.ok) return [firstStartMs];
  const { parts } = parsed.rule;
  const withoutUntil = parts.filter(([k]) => k !== 'UNTIL').map(([k, v]) => `${k}=${v}`).join(';');
  const options = RRule.parseString(withoutUntil);
  options.dtstart = wallAsUtc(firstStartMs, zone);
  const until = parts.find(([k]) => k === 'UNTIL')?.[1];
  // UNTIL is an instant; in wall-clock space it becomes that instant's wall time in the zone.
  if (until !== undefined) options.until = wallAsUtc(untilMs(until), zone);
  const horizonWall = Number.isFinite(horizonMs) ? wallAsUtc(horizonMs, zone) : new Date(8.64e15);
  const starts: number[] = [];
  new RRule(options).all((date, i) => {
    if (i >= EXPANSION_LIMIT || date.getTime() > horizonWall.getTime()) return false;
    starts.push(wallToInstant(date, zone));
    return true;
  });
  return starts;
}
