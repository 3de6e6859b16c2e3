/**
 * Reading the live state a plan needs, with as few requests as the API allows:
 * - series: one GET each, or — when many are declared — the List Meetings endpoint at
 *   max=100 per page, with a GET for any declared id the list did not return;
 * - scheduled meetings: only for series that declare overrides, and the modified ones of a
 *   series whose change will cancel them. For a few such series: one GET, or one windowed list
 *   of the series when it declares several. For many: ONE list of every modified scheduled
 *   meeting (isModified=true), read alongside the series, with a GET for any declared override
 *   it did not return (one not yet modified). An override that exists is a modified scheduled
 *   meeting, so that list holds them all at 100 a page instead of one request per series.
 * Long lists are read as several time slices at once: pages of one list follow each other, so
 * one list of 100 pages costs 100 round trips however fast the server answers.
 * Plan never writes.
 */
import pLimit from 'p-limit';
import type { Change } from '../core/plan.js';
import { MEETING_FIELDS, UPDATABLE_AHEAD_MS } from './catalogue.js';
import type { ListQuery, Meeting, Result, WebexClient, WebexError } from './client.js';
import type { DesiredMeeting } from './desired.js';
import { originalStartOf } from './ids.js';
import type { TrackingCode } from './normalize.js';
import { parseRecurrence, untilToMs } from './recurrence.js';
import { planNotes, planOccurrences, planSeries, type Fetched, type PlanContext, type SeriesPlan } from './planner.js';

export type FetchStrategy = 'auto' | 'get' | 'list';

export interface LivePlanOptions {
  client: WebexClient;
  desired: readonly DesiredMeeting[];
  env: Readonly<Record<string, string | undefined>>;
  concurrency: number;
  strategy?: FetchStrategy;
  /** Local clock, used only when no response carried a Date header. */
  fallbackNowMs?: number;
  /** Called as each declared series is read (failed: it could not be read). */
  onProgress?(p: { done: number; failed: number; remaining: number }): void;
}

export interface LivePlanResult {
  changes: Change[];
  /** Plan-wide notes (what the API does not let meetctl check), for `makePlan`. */
  notes: string[];
  nowMs: number;
}

/** Above this many declared series, listing every series beats one GET each. */
export const LIST_THRESHOLD = 100;
/** Above this many series with overrides, one list of every modified scheduled meeting beats a request per series. */
export const OCCURRENCE_LIST_THRESHOLD = 100;
/** Pages one list slice should hold at most before it is split (each page is a round trip after the last). */
export const PAGES_PER_SLICE = 60;
const MAX_SLICES = 8;
const PAGE = 100;
const DAY = 24 * 3600 * 1000;
/** The fields whose comparison needs the site's tracking codes. */
const TRACKING_CODE_FIELDS = MEETING_FIELDS.filter((spec) => spec.compare === 'trackingCodes');

function toFetched(result: Result<Meeting>): Fetched {
  if (result.ok) return { ok: true, meeting: result.value };
  return { ok: false, status: result.error.status, message: result.error.message, trackingId: result.error.trackingId };
}

function notListed(): Fetched {
  return { ok: false, status: 404, message: 'not found' };
}

type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

interface Window {
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

/** Every item of a list query over the slices of a window, each id once; undefined when a slice failed. */
async function listSliced(client: WebexClient, query: ListQuery, slices: readonly Window[], limit: Limit): Promise<Meeting[] | undefined> {
  const results = await Promise.all(
    slices.map((w) =>
      limit(() => client.listMeetings({ ...query, max: PAGE, from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() })),
    ),
  );
  const byId = new Map<string, Meeting>();
  for (const r of results) {
    if (!r.ok) return undefined;
    for (const m of r.value) byId.set(m.id, m);
  }
  return [...byId.values()];
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

function hostsOf(desired: readonly DesiredMeeting[]): string[] {
  return [...new Set(desired.map((d) => d.hostEmail ?? ''))];
}

async function fetchSeries(opts: LivePlanOptions, limit: Limit, useList: boolean, nowMs: number): Promise<Map<string, Fetched>> {
  const { client, desired } = opts;
  const byId = new Map<string, Fetched>();
  let failed = 0;
  // Counted once per series: two hosts' lists may both hold it.
  const found = (id: string, fetched: Fetched) => {
    const first = !byId.has(id);
    byId.set(id, fetched);
    if (!first) return;
    if (!fetched.ok) failed += 1;
    opts.onProgress?.({ done: byId.size, failed, remaining: desired.length - byId.size });
  };
  if (useList) {
    const wanted = new Set(desired.map((d) => d.id));
    // Series overlapping [yesterday, +10 years]: everything that can still be updated.
    const window = { from: nowMs - DAY, to: nowMs + UPDATABLE_AHEAD_MS + DAY };
    await Promise.all(
      hostsOf(desired).map(async (host) => {
        const mine = desired.filter((d) => (d.hostEmail ?? '') === host);
        const spans = mine.map((d) => roughSpan(d.fields)).filter((x): x is Span => x !== undefined);
        const listed = await listSliced(client, { meetingType: 'meetingSeries', hostEmail: host || undefined }, sliceWindow(window, spans, mine.length), limit);
        // A failed list falls back to one GET per id below.
        for (const m of listed ?? []) if (wanted.has(m.id)) found(m.id, { ok: true, meeting: m });
      }),
    );
  }
  await Promise.all(
    desired
      .filter((d) => !byId.has(d.id))
      .map((d) => limit(async () => found(d.id, toFetched(await client.getMeeting(d.id, { hostEmail: d.hostEmail }))))),
  );
  return byId;
}

/**
 * Every modified scheduled meeting of every host the files name, by series id, over a window
 * that holds every declared override and the ten years a rescheduling change can cancel.
 * Undefined when a list failed: the caller reads series by series instead.
 */
async function fetchAllModified(opts: LivePlanOptions, limit: Limit, nowMs: number): Promise<Map<string, Meeting[]> | undefined> {
  const series = opts.desired;
  const instants = series.flatMap((d) => d.occurrences.map((o) => originalStartOf(o.id))).filter((x): x is number => x !== undefined);
  const window = {
    from: instants.reduce((a, b) => Math.min(a, b), nowMs) - DAY,
    to: instants.reduce((a, b) => Math.max(a, b), nowMs + UPDATABLE_AHEAD_MS) + DAY,
  };
  const bySeries = new Map<string, Meeting[]>();
  const lists = await Promise.all(
    hostsOf(series).map((host) => {
      const mine = series.filter((d) => (d.hostEmail ?? '') === host);
      const declared = mine
        .flatMap((d) => d.occurrences.map((o) => originalStartOf(o.id)))
        .filter((x): x is number => x !== undefined)
        .map((t) => ({ from: t, to: t + 1 }));
      const query = { meetingType: 'scheduledMeeting', isModified: true, hostEmail: host || undefined };
      return listSliced(opts.client, query, sliceWindow(window, declared, declared.length), limit);
    }),
  );
  for (const listed of lists) {
    if (listed === undefined) return undefined;
    for (const m of listed) {
      if (m.isModified !== true || m.meetingType === 'meeting' || typeof m.meetingSeriesId !== 'string') continue;
      const list = bySeries.get(m.meetingSeriesId) ?? [];
      list.push(m);
      bySeries.set(m.meetingSeriesId, list);
    }
  }
  return bySeries;
}

/** The declared overrides of a series that does not reschedule: a GET for one, a windowed list for several. */
async function fetchDeclaredOccurrences(client: WebexClient, plan: SeriesPlan): Promise<Map<string, Fetched>> {
  const found = new Map<string, Fetched>();
  const ids = plan.desired.occurrences.map((o) => o.id);
  const hostEmail = plan.desired.hostEmail;
  if (ids.length > 1) {
    const instants = ids.map(originalStartOf).filter((x): x is number => x !== undefined);
    const from = new Date(Math.min(...instants) - DAY).toISOString();
    const to = new Date(Math.max(...instants) + DAY).toISOString();
    const listed = await client.listMeetings({ meetingSeriesId: plan.desired.id, meetingType: 'scheduledMeeting', from, to, max: 100, hostEmail });
    if (listed.ok) for (const m of listed.value) if (ids.includes(m.id)) found.set(m.id, { ok: true, meeting: m });
  }
  for (const id of ids) {
    if (!found.has(id)) found.set(id, toFetched(await client.getMeeting(id, { hostEmail })));
  }
  return found;
}

/** The exceptional scheduled meetings that a rescheduling series change would cancel. */
async function fetchModified(client: WebexClient, plan: SeriesPlan, nowMs: number): Promise<Meeting[] | WebexError> {
  const listed = await client.listMeetings({
    meetingSeriesId: plan.desired.id,
    meetingType: 'scheduledMeeting',
    isModified: true,
    from: new Date(nowMs - DAY).toISOString(),
    to: new Date(nowMs + UPDATABLE_AHEAD_MS).toISOString(),
    max: 100,
    hostEmail: plan.desired.hostEmail,
  });
  if (!listed.ok) return listed.error;
  return listed.value.filter((m) => m.isModified === true && m.meetingType !== 'meeting');
}

/**
 * The default option of each optional site tracking code, per host of a file that declares
 * `trackingCodes` (one read per host): Webex adds it to a list that leaves the code out. A failed
 * read is said once, in a note, and those lists are compared as written.
 */
async function trackingCodeDefaults(opts: LivePlanOptions, limit: Limit): Promise<{ byHost: Map<string, TrackingCode[]>; notes: string[] }> {
  const declares = (fields: Record<string, unknown>) => TRACKING_CODE_FIELDS.some((spec) => Array.isArray(fields[spec.name]));
  const hosts = hostsOf(opts.desired.filter((d) => declares(d.fields) || d.occurrences.some((o) => declares(o.fields))));
  const byHost = new Map<string, TrackingCode[]>();
  const failures: string[] = [];
  await Promise.all(
    hosts.map((host) =>
      limit(async () => {
        const read = await opts.client.listTrackingCodes({ hostEmail: host || undefined });
        if (!read.ok) {
          failures.push(`${host || 'the token\'s user'}: ${read.error.message}`);
          return;
        }
        byHost.set(
          host,
          read.value.flatMap((code) => {
            const option = code.options.find((o) => o.defaultValue);
            return code.type === 'optional' && option !== undefined ? [{ name: code.name, value: option.value }] : [];
          }),
        );
      }),
    ),
  );
  const notes = failures.length === 0 ? [] : [`trackingCodes: could not read the site's tracking codes (${failures.sort().join('; ')}), so lists are compared as written, without the defaults Webex adds`];
  return { byHost, notes };
}

export async function planAgainstLive(opts: LivePlanOptions): Promise<LivePlanResult> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const strategy = opts.strategy ?? 'auto';
  const localNow = opts.fallbackNowMs ?? Date.now();
  const useList = strategy === 'list' || (strategy === 'auto' && opts.desired.length > LIST_THRESHOLD);
  const withOverrides = opts.desired.filter((d) => d.occurrences.length > 0);
  const listModified = useList && withOverrides.length > (strategy === 'list' ? 0 : OCCURRENCE_LIST_THRESHOLD);
  // Both lists start at once: neither needs the other, and each is a chain of pages.
  const modifiedPromise = listModified ? fetchAllModified(opts, limit, localNow) : Promise.resolve(undefined);
  const codesPromise = trackingCodeDefaults(opts, limit);
  const series = await fetchSeries(opts, limit, useList, localNow);
  const allModified = await modifiedPromise;
  const codes = await codesPromise;
  const nowMs = opts.client.serverNow() ?? opts.fallbackNowMs ?? Date.now();
  const ctx: PlanContext = { nowMs, env: opts.env, trackingCodeDefaults: codes.byHost };
  const seriesPlans = opts.desired.map((d) => planSeries(d, series.get(d.id), ctx));

  // Kept per series, so the plan lists changes in the order of the files, whatever order the reads finish in.
  const perSeries: Change[][] = new Array(seriesPlans.length);
  await Promise.all(
    seriesPlans.map(async (plan, index) => {
      let occurrences = new Map<string, Fetched>();
      let modified: Meeting[] = [];
      if (plan.change.action === 'update' && plan.reschedules) {
        const result = allModified ? (allModified.get(plan.desired.id) ?? []) : await limit(() => fetchModified(opts.client, plan, nowMs));
        if (Array.isArray(result)) modified = result;
        else plan.change.warnings.push(`could not list the modified scheduled meetings this change cancels: ${result.message}`);
      } else if (plan.desired.occurrences.length > 0 && plan.live) {
        occurrences = allModified
          ? await declaredFromList(opts.client, plan, allModified.get(plan.desired.id) ?? [], limit)
          : await limit(() => fetchDeclaredOccurrences(opts.client, plan));
      } else {
        for (const o of plan.desired.occurrences) occurrences.set(o.id, notListed());
      }
      perSeries[index] = [plan.change, ...planOccurrences(plan, occurrences, modified, ctx)];
    }),
  );
  return { changes: perSeries.flat(), notes: [...planNotes(opts.desired), ...codes.notes], nowMs };
}

/** Declared overrides found in the list of modified scheduled meetings; a GET for each one it lacks. */
async function declaredFromList(client: WebexClient, plan: SeriesPlan, modified: readonly Meeting[], limit: Limit): Promise<Map<string, Fetched>> {
  const found = new Map<string, Fetched>();
  const byId = new Map(modified.map((m) => [m.id, m]));
  await Promise.all(
    plan.desired.occurrences.map(async (o) => {
      const listed = byId.get(o.id);
      found.set(o.id, listed ? { ok: true, meeting: listed } : toFetched(await limit(() => client.getMeeting(o.id, { hostEmail: plan.desired.hostEmail }))));
    }),
  );
  return found;
}
