/**
 * Where to cut a long list so its pages are read side by side: pages of one list follow each other,
 * so one list of 100 pages costs 100 round trips however fast the server answers. Pure: the reads
 * in read-live.ts ask it for the slices of a window.
 */
import { parseRecurrence, untilToMs } from './recurrence.js';

/** Pages one list slice should hold at most before it is split (each page is a round trip after the last). */
export const PAGES_PER_SLICE = 60;
const MAX_SLICES = 8;
/** Items per page of a list. */
export const PAGE = 100;
export const DAY = 24 * 3600 * 1000;

export interface Window {
  from: number;
  to: number;
}

/** Where an item of a list lives in time: a series from its first start to its last end (open: Infinity). */
export interface Span {
  from: number;
  to: number;
}

/** Of n sorted values, how many are < x (strict) or ≤ x. */
function countBelow(sorted: readonly number[], x: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x || (inclusive && sorted[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Cut `window` into at most `slices` adjacent slices so that the fullest one lists as few items as
 * possible. The server lists an item in every slice its span overlaps, so a recurring series that
 * starts before a cut and runs on past it costs a place in both: a slice [a, b) lists the items
 * that start before b and end after a. Cuts sit on item starts; the fewest-pages answer is found by
 * bisecting the load of the fullest slice and filling slices greedily from the left.
 */
function balancedCuts(window: Window, spans: readonly Span[], slices: number): { edges: number[]; maxLoad: number } {
  const starts = spans.map((s) => s.from).filter((t) => t < window.to).sort((a, b) => a - b);
  const ends = spans.map((s) => s.to).sort((a, b) => a - b);
  const listedFrom = (a: number) => starts.length - countBelow(ends, a, true);
  const fill = (maxLoad: number): number[] | undefined => {
    const edges = [window.from];
    for (;;) {
      const a = edges[edges.length - 1];
      if (listedFrom(a) <= maxLoad) return [...edges, window.to];
      if (edges.length === slices) return undefined;
      // The slice [a, b) lists starts-before-b minus ended-by-a: the largest b that keeps it within maxLoad.
      const b = starts[maxLoad + countBelow(ends, a, true)];
      if (!(b > a)) return undefined;
      edges.push(b);
    }
  };
  let lo = Math.ceil(listedFrom(window.from) / slices);
  let hi = Math.max(lo, listedFrom(window.from));
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fill(mid)) hi = mid;
    else lo = mid + 1;
  }
  return { edges: fill(lo) ?? [window.from, window.to], maxLoad: lo };
}

/**
 * Cut `window` into slices to be read side by side, each a chain of at most about `PAGES_PER_SLICE`
 * pages, balanced by the items each slice will list (`spans`, where the wanted items live; items with
 * no known span are assumed to spread like the others). A chain of pages costs a round trip per page,
 * but every cut lists the spans crossing it twice: no more slices than the page budget needs.
 */
export function sliceWindow(window: Window, spans: readonly Span[], expected: number): Window[] {
  const inside = spans.filter((s) => s.to > window.from && s.from < window.to);
  if (inside.length === 0 || expected <= PAGE * PAGES_PER_SLICE) return [window];
  const scale = Math.max(1, expected / inside.length);
  for (let slices = 2; slices <= MAX_SLICES; slices++) {
    const { edges, maxLoad } = balancedCuts(window, inside, slices);
    if (maxLoad * scale <= PAGE * PAGES_PER_SLICE || slices === MAX_SLICES) {
      return edges.slice(1).map((to, i) => ({ from: edges[i], to }));
    }
  }
  return [window];
}

/** The instant a desired start names, roughly (a wall-clock time is read as UTC): good enough to place a cut. */
function roughInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

const ROUGH_PERIOD: Record<string, number> = { DAILY: DAY, WEEKLY: 7 * DAY, MONTHLY: 31 * DAY, YEARLY: 366 * DAY };

/**
 * Where a declared series lives in time, roughly: from its start to the end of its last
 * occurrence. An UNTIL is read as written; a COUNT is paced at its longest period; a rule with
 * neither (or one that does not parse) runs on. Undefined when the file leaves start unmanaged.
 */
export function roughSpan(fields: Record<string, unknown>): Span | undefined {
  const from = roughInstant(fields.start);
  if (from === undefined) return undefined;
  const end = roughInstant(fields.end) ?? from;
  if (typeof fields.recurrence !== 'string') return { from, to: Math.max(end, from + 1) };
  const parsed = parseRecurrence(fields.recurrence);
  if (!parsed.ok) return { from, to: Infinity };
  const { until, count, freq, interval } = parsed.rule;
  const length = Math.max(end - from, 1);
  if (until !== undefined) return { from, to: (untilToMs(until) ?? Infinity) + length };
  if (count !== undefined) return { from, to: from + count * interval * ROUGH_PERIOD[freq] + length };
  return { from, to: Infinity };
}
