/**
 * The common shapes of rule laid out by day arithmetic: DAILY (BYDAY filtering the days), WEEKLY by
 * BYDAY, MONTHLY by BYMONTHDAY, with nothing else. rrule builds masks of a whole year and a dozen
 * objects for each expansion, and validating and planning thousands of series expand thousands of
 * rules. Everything here is in "floating" time (wall-clock fields read as UTC), as rrule works; the
 * days, their order and where the expansion stops are rrule's (a property test holds it to rrule).
 */
import type { RecurrenceRule } from './recurrence.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** rrule stops once its counter passes the year 9999. */
const END_OF_YEAR_9999 = Date.UTC(10000, 0, 1);

/** Monday 0 … Sunday 6, as rrule numbers weekdays. */
const weekdayOfDay = (day: number): number => (((day + 3) % 7) + 7) % 7;

function simpleShape(rule: RecurrenceRule): boolean {
  if (rule.byMonth || rule.bySetPos) return false;
  if (rule.freq === 'DAILY' || rule.freq === 'WEEKLY') return rule.byMonthDay === undefined && (rule.byDay ?? []).every((d) => WEEKDAYS.includes(d));
  return rule.freq === 'MONTHLY' && rule.byDay === undefined;
}

/**
 * Passes each floating start of `rule` from `dtstart` (floating epoch ms, at or after 1970) to
 * `accept`, in order, until `accept` returns false, COUNT is reached or a start passes
 * `untilFloating`. False, having passed nothing, for a rule of another shape: rrule lays it out.
 */
export function expandSimple(rule: RecurrenceRule, dtstart: number, untilFloating: number | undefined, accept: (floating: number) => boolean): boolean {
  if (!(dtstart >= 0) || !simpleShape(rule)) return false;
  const firstDay = Math.floor(dtstart / DAY_MS);
  const timeOfDay = dtstart - firstDay * DAY_MS;
  let left = rule.count ?? Number.POSITIVE_INFINITY;
  /** False once the expansion ends. */
  const offer = (day: number): boolean => {
    const floating = day * DAY_MS + timeOfDay;
    if (untilFloating !== undefined && floating > untilFloating) return false;
    if (floating < dtstart) return true;
    if (!accept(floating)) return false;
    return --left > 0;
  };
  if (rule.freq === 'MONTHLY') {
    monthly(rule, firstDay, offer);
    return true;
  }
  const weekdays = rule.byDay?.map((d) => WEEKDAYS.indexOf(d));
  if (rule.freq === 'DAILY') {
    for (let day = firstDay; day * DAY_MS < END_OF_YEAR_9999; day += rule.interval) {
      if (weekdays !== undefined && !weekdays.includes(weekdayOfDay(day))) continue;
      if (!offer(day)) break;
    }
    return true;
  }
  const wanted = weekdays ?? [weekdayOfDay(firstDay)];
  const wkst = rule.wkst === undefined ? 0 : WEEKDAYS.indexOf(rule.wkst);
  // Weeks begin on WKST; the first one is the rest of the week the series starts in.
  const firstWeek = firstDay - ((weekdayOfDay(firstDay) - wkst + 7) % 7);
  for (let week = firstWeek, from = firstDay; ; week += 7 * rule.interval, from = week) {
    if (week !== firstWeek && week * DAY_MS >= END_OF_YEAR_9999) break;
    let ended = false;
    for (let day = from; day < week + 7 && !ended; day++) if (wanted.includes(weekdayOfDay(day))) ended = !offer(day);
    if (ended) break;
  }
  return true;
}

function monthly(rule: RecurrenceRule, firstDay: number, offer: (day: number) => boolean): void {
  const start = new Date(firstDay * DAY_MS);
  const monthDays = rule.byMonthDay ?? [start.getUTCDate()];
  const dates: number[] = [];
  for (let month = start.getUTCFullYear() * 12 + start.getUTCMonth(); Math.floor(month / 12) <= 9999; month += rule.interval) {
    const year = Math.floor(month / 12);
    const first = Date.UTC(year, month % 12, 1) / DAY_MS;
    const length = Date.UTC(year, (month % 12) + 1, 1) / DAY_MS - first;
    // A negative BYMONTHDAY counts from the month's end; two values may name one date, which occurs once.
    dates.length = 0;
    for (const d of monthDays) {
      const date = d > 0 ? d : length + 1 + d;
      if (date >= 1 && date <= length && !dates.includes(date)) dates.push(date);
    }
    if (dates.length > 1) dates.sort((a, b) => a - b);
    for (const date of dates) if (!offer(first + date - 1)) return;
  }
}
