/**
 * The reads a plan needs, with as few requests as the API allows, returned as plain data:
 * - series: one GET each, or — when many are declared — the List Meetings endpoint at
 *   max=100 per page, with a GET for any declared id the list did not return;
 * - scheduled meetings: only what the planned series ask for (`ScheduledNeed`): the declared
 *   overrides, and the modified ones of a series whose change will cancel them. For a few such
 *   series: one GET, or one windowed list of the series when it declares several. For many: ONE
 *   list of every modified scheduled meeting (isModified=true), read alongside the series, with a
 *   GET for any declared override it did not return (one not yet modified). An override that
 *   exists is a modified scheduled meeting, so that list holds them all at 100 a page instead of
 *   one request per series.
 * Long lists are read as several time slices at once (list-slices.ts). Nothing here plans, and
 * nothing here writes.
 */
import { MEETING_FIELDS, updatableUntil } from './catalogue.js';
import type { ListQuery, Meeting, Result, WebexClient } from './client.js';
import type { TrackingCodeDefinition } from './client/types.js';
import { errorLine } from './client/errors.js';
import type { DesiredMeeting } from './desired.js';
import { originalStartNamed, originalStartOf } from './ids.js';
import { DAY, PAGE, roughSpan, sliceWindow, type Span, type Window } from './list-slices.js';
import type { Fetched, ScheduledNeed, ScheduledRead } from './planner.js';

export type FetchStrategy = 'auto' | 'get' | 'list';

/** Above this many declared series, listing every series beats one GET each. */
export const LIST_THRESHOLD = 100;
/** Above this many series with overrides, one list of every modified scheduled meeting beats a request per series. */
export const OCCURRENCE_LIST_THRESHOLD = 100;
/** The fields whose comparison needs the site's tracking codes. */
const TRACKING_CODE_FIELDS = MEETING_FIELDS.filter((spec) => spec.compare === 'trackingCodes');

export type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

export interface ReadOptions {
  client: WebexClient;
  desired: readonly DesiredMeeting[];
  strategy?: FetchStrategy;
  /** Local clock, used only when no response carried a Date header. */
  fallbackNowMs?: number;
  /** Called as each declared series is read (failed: it could not be read). */
  onProgress?(p: { done: number; failed: number; remaining: number }): void;
  /** Look for owned series no file declares even when no file has a key (plan --prune). */
  prune?: boolean;
  /** Look for owned series no file declares, as orphans, whatever the files (drift: the nightly check of what changed outside git). */
  findOrphans?: boolean;
  /** Every file of the tree when `desired` is narrowed: their hosts are listed for owned series too. */
  allDesired?: readonly DesiredMeeting[];
  /** The plan's "now" when it is fixed before reading (the server's clock after the preflight); else read as the reads end. */
  nowMs?: number;
  /** Each page of series listed, as it arrives (for planning while the reads go on). */
  onListedPage?(meetings: readonly Meeting[]): void;
  /** The site's tracking codes once read, before the series lists end. */
  onTrackingCodes?(codes: ReadonlyMap<string, CodesRead>): void;
}

/** One host's read of the site's tracking codes. */
export type CodesRead = { ok: true; codes: readonly TrackingCodeDefinition[] } | { ok: false; message: string };

/** What the first reads give: every declared series, the site's tracking codes per host, the server's "now". */
export interface SeriesState {
  /** By declared series id: the meeting, or why there is none. */
  series: ReadonlyMap<string, Fetched>;
  /**
   * Every series of the files' hosts, listed when a file has a key (or the plan prunes): where
   * keyed files find their meetings by ownership tag, and owned meetings no file declares show up.
   */
  listed?: ListedSeries;
  /** By host (`''` for the token's own user), for the hosts whose files declare tracking codes. */
  trackingCodes: ReadonlyMap<string, CodesRead>;
  nowMs: number;
}

/** The live state a plan is made against: the first reads and, by series id, its scheduled meetings read. */
export interface LiveState extends SeriesState {
  scheduled: ReadonlyMap<string, ScheduledRead>;
}

/** The series lists of the files' hosts: every series each returned, and the hosts whose list failed. */
export interface ListedSeries {
  series: readonly Meeting[];
  failures: readonly string[];
}

/** Every modified scheduled meeting by series id, when they were listed in bulk alongside the series. */
export type ModifiedIndex = ReadonlyMap<string, readonly Meeting[]>;

function toFetched(result: Result<Meeting>): Fetched {
  if (result.ok) return { ok: true, meeting: result.value };
  return { ok: false, status: result.error.status, message: result.error.message, trackingId: result.error.trackingId };
}

/** Every item of a list query over the slices of a window, each id once; undefined when a slice failed. */
async function listSliced(client: WebexClient, query: ListQuery, slices: readonly Window[], limit: Limit, onPage?: (meetings: readonly Meeting[]) => void): Promise<Meeting[] | undefined> {
  const readSlice = async (w: Window): Promise<Meeting[] | undefined> => {
    const items: Meeting[] = [];
    for await (const page of client.listMeetingsPages({ ...query, max: PAGE, from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() })) {
      if (!page.ok) return undefined;
      items.push(...page.value);
      onPage?.(page.value);
    }
    return items;
  };
  const results = await Promise.all(slices.map((w) => limit(() => readSlice(w))));
  const byId = new Map<string, Meeting>();
  for (const items of results) {
    if (items === undefined) return undefined;
    for (const m of items) byId.set(m.id, m);
  }
  return [...byId.values()];
}

function hostsOf(desired: readonly DesiredMeeting[]): string[] {
  return [...new Set(desired.map((d) => d.hostEmail ?? ''))];
}

/** What the lists need of one host's files: where its series live in time, and the original starts its overrides name. */
interface HostFiles {
  desired: DesiredMeeting[];
  spans: Span[];
  declared: number[];
}

/**
 * The files by host (`''` for the token's own user), in one pass: the series and scheduled lists
 * both need it before their first request, so it is on the path of every page that follows.
 */
function filesByHost(desired: readonly DesiredMeeting[]): ReadonlyMap<string, HostFiles> {
  const groups = new Map<string, HostFiles>();
  for (const d of desired) {
    const host = d.hostEmail ?? '';
    let files = groups.get(host);
    if (files === undefined) groups.set(host, (files = { desired: [], spans: [], declared: [] }));
    files.desired.push(d);
    const span = roughSpan(d.fields);
    if (span !== undefined) files.spans.push(span);
    for (const o of d.occurrences) {
      const at = originalStartNamed(o);
      if (at !== undefined) files.declared.push(at);
    }
  }
  return groups;
}

async function readSeries(opts: ReadOptions, files: ReadonlyMap<string, HostFiles>, limit: Limit, useList: boolean, nowMs: number): Promise<{ byId: Map<string, Fetched>; listed?: ListedSeries }> {
  const { client } = opts;
  const desired = opts.desired.filter((d): d is DesiredMeeting & { id: string } => d.id !== undefined);
  const byId = new Map<string, Fetched>();
  const everyListed = new Map<string, Meeting>();
  const failures: string[] = [];
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
    const window = { from: nowMs - DAY, to: updatableUntil(nowMs) + DAY };
    // Owned series are looked for on every host the tree names, not only the narrowed files' hosts.
    const tree = opts.allDesired ?? opts.desired;
    await Promise.all(
      hostsOf(tree).map(async (host) => {
        const mine = files.get(host) ?? { desired: [], spans: [] };
        const slices = sliceWindow(window, mine.spans, mine.desired.length);
        const listed = await listSliced(client, { meetingType: 'meetingSeries', hostEmail: host || undefined }, slices, limit, opts.onListedPage);
        // A failed list falls back to one GET per id below.
        if (listed === undefined) failures.push(host);
        for (const m of listed ?? []) {
          everyListed.set(m.id, m);
          if (wanted.has(m.id)) found(m.id, { ok: true, meeting: m });
        }
      }),
    );
  }
  await Promise.all(
    desired
      .filter((d) => !byId.has(d.id))
      .map((d) => limit(async () => found(d.id, toFetched(await client.getMeeting(d.id, { hostEmail: d.hostEmail }))))),
  );
  return useList ? { byId, listed: { series: [...everyListed.values()], failures: failures.sort() } } : { byId };
}

/**
 * Every modified scheduled meeting of every host the files name, by series id, over a window
 * that holds every declared override and the ten years a rescheduling change can cancel.
 * Undefined when a list failed: the scheduled reads go series by series instead.
 */
async function readAllModified(opts: ReadOptions, files: ReadonlyMap<string, HostFiles>, limit: Limit, nowMs: number): Promise<Map<string, Meeting[]> | undefined> {
  let from = nowMs;
  let to = updatableUntil(nowMs);
  for (const { declared } of files.values()) {
    for (const at of declared) {
      if (at < from) from = at;
      if (at > to) to = at;
    }
  }
  const window = { from: from - DAY, to: to + DAY };
  const bySeries = new Map<string, Meeting[]>();
  const lists = await Promise.all(
    [...files].map(([host, { declared }]) => {
      const spans = declared.map((t) => ({ from: t, to: t + 1 }));
      const query = { meetingType: 'scheduledMeeting', isModified: true, hostEmail: host || undefined };
      return listSliced(opts.client, query, sliceWindow(window, spans, spans.length), limit);
    }),
  );
  // A meeting two named hosts both see (one hosts it, the other is invited) is in both lists: kept once.
  const seen = new Set<string>();
  for (const listed of lists) {
    if (listed === undefined) return undefined;
    for (const m of listed) {
      if (m.isModified !== true || m.meetingType === 'meeting' || typeof m.meetingSeriesId !== 'string' || seen.has(m.id)) continue;
      seen.add(m.id);
      const list = bySeries.get(m.meetingSeriesId) ?? [];
      list.push(m);
      bySeries.set(m.meetingSeriesId, list);
    }
  }
  return bySeries;
}

/** Whether a file compares tracking codes (its series' or an override's): only then are its host's site codes needed. */
export function declaresTrackingCodes(d: DesiredMeeting): boolean {
  const declares = (fields: Record<string, unknown>) => TRACKING_CODE_FIELDS.some((spec) => Array.isArray(fields[spec.name]));
  return declares(d.fields) || d.occurrences.some((o) => declares(o.fields));
}

/**
 * The site's tracking codes, per host of a file that declares `trackingCodes` (one read per host):
 * Webex adds the default option of an optional code to a list that leaves the code out.
 */
function readTrackingCodes(opts: ReadOptions, limit: Limit): Promise<Map<string, CodesRead>> {
  return readSiteCodes(opts.client, hostsOf(opts.desired.filter(declaresTrackingCodes)), limit);
}

/** The site's tracking codes as each host sees them (`''`: the token's own user), one read per host. */
export async function readSiteCodes(client: WebexClient, hosts: readonly string[], limit: Limit): Promise<Map<string, CodesRead>> {
  const byHost = new Map<string, CodesRead>();
  await Promise.all(
    hosts.map((host) =>
      limit(async () => {
        const read = await client.listTrackingCodes({ hostEmail: host || undefined });
        byHost.set(host, read.ok ? { ok: true, codes: read.value } : { ok: false, message: errorLine(read.error) });
      }),
    ),
  );
  return byHost;
}

/**
 * The first reads, side by side: the series, the site's tracking codes and — when many series
 * declare overrides — every modified scheduled meeting. The server's "now" is the one given
 * (fixed before reading), else taken once they end; the list windows are placed by the server's
 * clock too when a response has already told it.
 */
export async function readSeriesState(opts: ReadOptions, limit: Limit): Promise<{ state: SeriesState; modified?: ModifiedIndex }> {
  const strategy = opts.strategy ?? 'auto';
  // The windows are the server's: its clock when a response has told it (a machine's clock can be off).
  const windowNow = opts.nowMs ?? opts.client.serverNow() ?? opts.fallbackNowMs ?? Date.now();
  // Keyed files are found by their ownership tag in the series list, which also shows the owned
  // series no file declares: with any key (or --prune, or for drift) the series are listed whatever
  // their number; and a list read anyway shows the orphans too, at no cost.
  const listAnyway = strategy === 'list' || (strategy === 'auto' && opts.desired.length > LIST_THRESHOLD);
  const useList = listAnyway || opts.prune === true || opts.findOrphans === true || (opts.allDesired ?? opts.desired).some((d) => d.key !== undefined);
  const withOverrides = opts.desired.filter((d) => d.occurrences.length > 0);
  const listModified = useList && withOverrides.length > (strategy === 'list' ? 0 : OCCURRENCE_LIST_THRESHOLD);
  // The lists start at once: none needs another, and each is a chain of pages.
  const files = filesByHost(opts.desired);
  const modifiedPromise = listModified ? readAllModified(opts, files, limit, windowNow) : Promise.resolve(undefined);
  const codesPromise = readTrackingCodes(opts, limit).then((codes) => {
    opts.onTrackingCodes?.(codes);
    return codes;
  });
  const { byId: series, listed } = await readSeries(opts, files, limit, useList, windowNow);
  const modified = await modifiedPromise;
  const trackingCodes = await codesPromise;
  const nowMs = opts.nowMs ?? opts.client.serverNow() ?? opts.fallbackNowMs ?? Date.now();
  return { state: { series, trackingCodes, nowMs, ...(listed ? { listed } : {}) }, modified };
}

/**
 * A GET of a scheduled meeting that a list left out, with what that list says of it. Get a Meeting
 * answers a `MeetingSeriesObject`, which has no `isModified` (only a list item does): the plan
 * needs to know whether a series change carries over to it, so the list's silence is read.
 */
function readBack(result: Result<Meeting>, isModified: boolean | undefined): Fetched {
  const fetched = toFetched(result);
  if (!fetched.ok || isModified === undefined || typeof fetched.meeting.isModified === 'boolean') return fetched;
  return { ok: true, meeting: { ...fetched.meeting, isModified } };
}

/**
 * The declared overrides of a series that does not reschedule: one list around their original
 * starts (its items say `isModified`), a GET for each one it lacks. An unmodified scheduled meeting
 * is at its original start, so one the list lacks was moved: modified.
 */
async function readDeclared(client: WebexClient, need: Extract<ScheduledNeed, { read: 'declared' }>): Promise<Map<string, Fetched>> {
  const found = new Map<string, Fetched>();
  const { ids, hostEmail } = need;
  const instants = ids.map(originalStartOf).filter((x): x is number => x !== undefined);
  let listedOk = false;
  if (instants.length > 0) {
    const from = new Date(Math.min(...instants) - DAY).toISOString();
    const to = new Date(Math.max(...instants) + DAY).toISOString();
    const listed = await client.listMeetings({ meetingSeriesId: need.seriesId, meetingType: 'scheduledMeeting', from, to, max: 100, hostEmail });
    listedOk = listed.ok;
    if (listed.ok) for (const m of listed.value) if (ids.includes(m.id)) found.set(m.id, { ok: true, meeting: m });
  }
  for (const id of ids) {
    if (!found.has(id)) found.set(id, readBack(await client.getMeeting(id, { hostEmail }), listedOk && originalStartOf(id) !== undefined ? true : undefined));
  }
  return found;
}

/** Declared overrides found in the list of modified scheduled meetings; a GET for each one it lacks. */
async function declaredFromList(client: WebexClient, need: Extract<ScheduledNeed, { read: 'declared' }>, modified: readonly Meeting[], limit: Limit): Promise<Map<string, Fetched>> {
  const found = new Map<string, Fetched>();
  const byId = new Map(modified.map((m) => [m.id, m]));
  await Promise.all(
    need.ids.map(async (id) => {
      const listed = byId.get(id);
      // The list holds every modified scheduled meeting: one it lacks is not modified.
      found.set(id, listed ? { ok: true, meeting: listed } : readBack(await limit(() => client.getMeeting(id, { hostEmail: need.hostEmail })), false));
    }),
  );
  return found;
}

/** One GET per id. */
async function readEach(client: WebexClient, ids: readonly string[], hostEmail: string | undefined, limit: Limit): Promise<Map<string, Fetched>> {
  const reads = await Promise.all(ids.map((id) => limit(() => client.getMeeting(id, { hostEmail }))));
  return new Map(ids.map((id, i) => [id, toFetched(reads[i])]));
}

/** The exceptional scheduled meetings that a rescheduling series change would cancel. */
async function readModified(client: WebexClient, need: ScheduledNeed, nowMs: number): Promise<ScheduledRead> {
  const listed = await client.listMeetings({
    meetingSeriesId: need.seriesId,
    meetingType: 'scheduledMeeting',
    isModified: true,
    from: new Date(nowMs - DAY).toISOString(),
    to: new Date(updatableUntil(nowMs)).toISOString(),
    max: 100,
    hostEmail: need.hostEmail,
  });
  if (!listed.ok) return { declared: new Map(), modified: [], modifiedError: errorLine(listed.error) };
  return { declared: new Map(), modified: listed.value.filter((m) => m.isModified === true && m.meetingType !== 'meeting') };
}

/** The scheduled meetings the planned series need, by series id (from the bulk list when there is one). */
export async function readScheduled(
  client: WebexClient,
  needs: readonly ScheduledNeed[],
  modified: ModifiedIndex | undefined,
  limit: Limit,
  nowMs: number,
): Promise<Map<string, ScheduledRead>> {
  const reads = await Promise.all(
    needs.map(async (need): Promise<ScheduledRead> => {
      const listed = modified?.get(need.seriesId) ?? [];
      if (need.read === 'modified') {
        const [read, declared] = await Promise.all([
          modified ? { declared: new Map(), modified: listed } : limit(() => readModified(client, need, nowMs)),
          readEach(client, need.cancelled ?? [], need.hostEmail, limit),
        ]);
        return { ...read, declared };
      }
      const declared = modified ? await declaredFromList(client, need, listed, limit) : await limit(() => readDeclared(client, need));
      return { declared, modified: [] };
    }),
  );
  return new Map(needs.map((need, i) => [need.seriesId, reads[i]]));
}
