/**
 * The emulator's state: meeting series with their recurrence expanded lazily (and cached) into
 * scheduled meetings, plus per-occurrence records for the exceptions. Views are the JSON the API
 * returns; they are cached per series and rebuilt only after a change.
 */
import { breakoutLinks, identityFields, telephonyFor, type ScheduledType } from './generated.js';
import { RECURRENCE_YEARS, expandRule, hasEnd } from './recurrence.js';
import { SERIES_ONLY_FIELDS, VIEW_ORDER } from './fields.js';
import type { TrackingCodes } from './tracking.js';
import { addYears, formatInZone, parseUtcStamp, utcStamp } from './time.js';

export interface OccurrenceRecord {
  id: string;
  /** Set when the occurrence was moved. */
  startMs?: number;
  endMs?: number;
  isModified: boolean;
  /** A modified occurrence keeps its own copy of every setting; unmodified ones follow the series. */
  settings?: Record<string, unknown>;
  /** Extra response-only values set behind the API's back (editMeeting). */
  extra?: Record<string, unknown>;
  state?: string;
  cancelled?: boolean;
}

export interface SeriesRecord {
  id: string;
  hostEmail: string;
  /** Lower-cased emails of the users invited: they see the meeting, but cannot update it. Never shown in a view. */
  invitees: string[];
  scheduledType: ScheduledType;
  startMs: number;
  endMs: number;
  /** Every writable field except start and end (title, timezone, recurrence, settings). */
  settings: Record<string, unknown>;
  /** Response-only values: meeting number, links, host details. */
  identity: Record<string, unknown>;
  roomId?: string;
  /** The series' integration tags by the client (integration) that set them; see tagsFor. */
  integrationTags?: Map<string, string[]>;
  /** Created as an ad-hoc meeting of the space `roomId` (CreateMeetingObject.adhoc); never shown. */
  adhoc: boolean;
  createdByCalendarConnector: boolean;
  state?: string;
  overrides: Map<string, OccurrenceRecord>;
  cache?: SeriesCache;
}

export interface Occurrence {
  id: string;
  originalStartMs: number;
  startMs: number;
  endMs: number;
  record?: OccurrenceRecord;
}

interface SeriesCache {
  epoch: number;
  occurrences: Occurrence[];
  byId: Map<string, Occurrence>;
  /** End of the last occurrence; Infinity for an open-ended rule. */
  lastEndMs: number;
  views: Map<string, Record<string, unknown>>;
  /** Views as JSON by what shapes them (see viewBytes); carried over, like views, when only the clock moved. */
  texts: Map<string, { state: string; startMs: number; endMs: number; bytes: Buffer }>;
  /** How far the rule is laid out (Infinity: to its end). */
  horizonMs: number;
}

/** Where even an open-ended rule stops being laid out: the year 2200. */
const MAX_LOOKAHEAD_MS = Date.UTC(2200, 0, 1);

export type Found = { kind: 'series'; series: SeriesRecord } | { kind: 'occurrence'; series: SeriesRecord; occurrence: Occurrence };

export const READY_BEFORE_MS = 15 * 60_000;
/** No scheduled meeting can last longer than this (23 h 59 min through the API; a day covers it). */
const LONGEST_MEETING_MS = 24 * 3600_000;
/** Occurrence states that still lie ahead: ready to join or start, or upcoming. */
const OPEN_STATES: ReadonlySet<string> = new Set(['scheduled', 'ready', 'lobby', 'inProgress']);

/** What of a view moves with the clock: the state, and with `current` the times shown. */
interface Moving {
  state: string;
  shown: { startMs: number; endMs: number };
}

export interface ViewOptions {
  /** Add `meetingSeriesId` to a series, as list items and update responses (MeetingObjectForListMeeting) carry it. */
  item?: boolean;
  /**
   * A series shows the start and end of its current scheduled meeting instead of its first one
   * (MeetingObjectForListMeeting.start: "If the meeting is a meeting series and the `current` filter is
   * true, `start` is the date and time the upcoming or ongoing meeting of the series starts").
   */
  current?: boolean;
  /**
   * The zone `start` and `end` are written in, and what `timezone` says (MeetingSeriesObject.timezone:
   * "Time zone of `start` and `end`"): for a read, the request's `timezone` header, UTC without one;
   * for the answer to a write, the zone the meeting is scheduled in (scheduledZone). Default UTC.
   */
  zone?: string;
  /** The client (integration) asking: it sees only the integration tags it set (default DEFAULT_CLIENT). */
  client?: string;
}

/** The client of every token that names none: one integration, as a single Webex app would be. */
export const DEFAULT_CLIENT = 'default';

/**
 * The integration tags a client sees. "An integrationTag created by one client cannot be accessed or
 * used as a filtering parameter by another client … this integrationTag can't be accessed on the
 * meeting or its recordings by another client. Neither can it be used to filter meetings"
 * (paths./meetings.get.parameters.integrationTag): so the field of a response shows only the
 * caller's own tags, and the list filter matches only those.
 */
export function tagsFor(series: SeriesRecord, client: string): string[] | undefined {
  return series.integrationTags?.get(client);
}

/**
 * A write replaces the writing client's tags; undefined or empty removes them. Other clients' tags
 * stay: a client that cannot see a tag cannot delete it either ("an empty or null integrationTags will
 * delete all existing integration tags", PatchMeetingObject.integrationTags, read per client).
 */
export function setTags(series: SeriesRecord, client: string, tags: string[] | undefined): void {
  const map = (series.integrationTags ??= new Map());
  if (tags === undefined || tags.length === 0) map.delete(client);
  else map.set(client, [...tags]);
}

export function occurrenceId(seriesId: string, originalStartMs: number): string {
  return `${seriesId}_${utcStamp(originalStartMs)}`;
}

export function timezoneOf(series: SeriesRecord): string {
  return typeof series.settings.timezone === 'string' ? series.settings.timezone : 'UTC';
}

/**
 * The zone a meeting is scheduled in: a scheduled meeting's own once it was updated, else its
 * series'. Writes answer in it, as the examples of paths./meetings.post.responses.200 and
 * paths./meetings/{meetingId}.patch.responses.200 (and .put) do: the `timezone` header is a
 * parameter of the reads only (paths./meetings.get.parameters, paths./meetings/{meetingId}.get.parameters).
 */
export function scheduledZone(found: Found): string {
  const own = found.kind === 'occurrence' ? found.occurrence.record?.settings?.timezone : undefined;
  return typeof own === 'string' ? own : timezoneOf(found.series);
}

export function recurrenceOf(series: SeriesRecord): string | undefined {
  return typeof series.settings.recurrence === 'string' ? series.settings.recurrence : undefined;
}

export class MeetingStore {
  readonly series = new Map<string, SeriesRecord>();
  private sorted: SeriesRecord[] | undefined;
  /** Bumped by every change, so that derived results (list pages) know when they are out of date. */
  revision = 0;
  /** The site's tracking codes (seed `trackingCodes`) and users' own values of them (`userTrackingCodes`): none unless seeded. */
  trackingCodes: TrackingCodes = { site: [], user: [] };

  constructor(private readonly now: () => number, private readonly epoch: () => number) {}

  add(series: SeriesRecord): void {
    this.series.set(series.id, series);
    this.sorted = undefined;
    this.revision += 1;
  }

  remove(id: string): boolean {
    this.sorted = undefined;
    this.revision += 1;
    return this.series.delete(id);
  }

  /** A series goes with all its scheduled meetings; a scheduled meeting is cancelled, its series stays. */
  delete(found: Found): void {
    if (found.kind === 'series') {
      this.remove(found.series.id);
      return;
    }
    const record = found.series.overrides.get(found.occurrence.id) ?? { id: found.occurrence.id, isModified: false };
    record.cancelled = true;
    found.series.overrides.set(found.occurrence.id, record);
    this.touch(found.series);
  }

  /** Call after any change to a series or its occurrences. */
  touch(series: SeriesRecord): void {
    series.cache = undefined;
    this.sorted = undefined;
    this.revision += 1;
  }

  /** Series by first start, then id: the stable order of lists. */
  sortedSeries(): SeriesRecord[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.series.values()].sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return this.sorted;
  }

  find(id: string): Found | undefined {
    const direct = this.series.get(id);
    if (direct !== undefined) return { kind: 'series', series: direct };
    const m = /^(.+)_(\d{8}T\d{6}Z)$/.exec(id);
    if (!m) return undefined;
    const series = this.series.get(m[1]);
    const occurrence = series && this.expansion(series, (parseUtcStamp(m[2]) ?? 0) + 1).byId.get(id);
    return series && occurrence ? { kind: 'occurrence', series, occurrence } : undefined;
  }

  /** `throughMs`: the caller needs the scheduled meetings up to there. */
  occurrences(series: SeriesRecord, throughMs = 0): Occurrence[] {
    return this.expansion(series, throughMs).occurrences;
  }

  lastEndMs(series: SeriesRecord): number {
    return this.expansion(series).lastEndMs;
  }

  /**
   * `throughMs`: lay out at least that far. A rule with an end is laid out as stored (normalized on
   * write); one that never ends is unlimited ("the furthest date of the series is unlimited"), so it is
   * laid out five years ahead and further when a request looks further.
   */
  private expansion(series: SeriesRecord, throughMs = 0): SeriesCache {
    const epoch = this.epoch();
    const cached = series.cache;
    if (cached !== undefined && cached.epoch === epoch && cached.horizonMs >= Math.min(throughMs, MAX_LOOKAHEAD_MS)) return cached;
    const views = cached?.views ?? new Map();
    const texts = cached?.texts ?? new Map();
    const zone = timezoneOf(series);
    const rule = recurrenceOf(series);
    const duration = series.endMs - series.startMs;
    const fiveYears = addYears(Math.max(this.now(), series.startMs), RECURRENCE_YEARS);
    // Past five years, a year beyond what is asked: a list window is relative to the caller's now, so
    // the next one ends a moment later and must still find this layout instead of redoing it.
    const horizon =
      rule !== undefined && hasEnd(rule)
        ? Number.POSITIVE_INFINITY
        : Math.min(throughMs > fiveYears ? addYears(throughMs, 1) : fiveYears, MAX_LOOKAHEAD_MS);
    const starts = rule === undefined ? [series.startMs] : expandRule(rule, series.startMs, zone, horizon);
    const occurrences: Occurrence[] = [];
    for (const original of starts) {
      const id = occurrenceId(series.id, original);
      const record = series.overrides.get(id);
      if (record?.cancelled) continue;
      const startMs = record?.startMs ?? original;
      const endMs = record?.endMs ?? original + duration;
      occurrences.push({ id, originalStartMs: original, startMs, endMs, record });
    }
    occurrences.sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1));
    const openEnded = rule !== undefined && !hasEnd(rule);
    const lastEndMs = openEnded ? Number.POSITIVE_INFINITY : occurrences.reduce((max, o) => Math.max(max, o.endMs), series.endMs);
    series.cache = { epoch, occurrences, byId: new Map(occurrences.map((o) => [o.id, o])), lastEndMs, views, texts, horizonMs: horizon };
    return series.cache;
  }

  seriesState(series: SeriesRecord): string {
    if (series.state !== undefined) return series.state;
    for (const record of series.overrides.values()) if (record.state === 'inProgress' && !record.cancelled) return 'inProgress';
    return this.lastEndMs(series) > this.now() ? 'active' : 'expired';
  }

  occurrenceState(occurrence: Occurrence): string {
    if (occurrence.record?.state !== undefined) return occurrence.record.state;
    const now = this.now();
    if (now < occurrence.startMs - READY_BEFORE_MS) return 'scheduled';
    return now < occurrence.endMs ? 'ready' : 'missed';
  }

  /**
   * The series' scheduled meeting that is ongoing or ready to join or start, else its next upcoming
   * one (paths./meetings.get.parameters.current, paths./meetings/{meetingId}.get.parameters.current);
   * undefined when none lies ahead.
   */
  currentOccurrence(series: SeriesRecord): Occurrence | undefined {
    const list = this.occurrences(series);
    const now = this.now();
    // An ongoing one is preferred over an earlier upcoming one (a state set behind the API's back).
    let ongoing: Occurrence | undefined;
    for (const record of series.overrides.values()) {
      if (record.cancelled || (record.state !== 'inProgress' && record.state !== 'lobby')) continue;
      const o = this.expansion(series).byId.get(record.id);
      if (o !== undefined && (ongoing === undefined || o.startMs < ongoing.startMs)) ongoing = o;
    }
    if (ongoing !== undefined) return ongoing;
    // Sorted by start, and none lasts a day: nothing that starts earlier can still be open.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].startMs < now - LONGEST_MEETING_MS) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length; i++) if (OPEN_STATES.has(this.occurrenceState(list[i]))) return list[i];
    return undefined;
  }

  /** The API view of a meeting. */
  view(found: Found, options: ViewOptions = {}): Record<string, unknown> {
    return this.compose(found, options, this.moving(found, options));
  }

  /**
   * The view as UTF-8 JSON, kept between requests: serializing a hundred fresh views was most of the
   * emulator's work for a list page. What the bytes depend on: the base view (dropped with the series
   * cache on every change), the request (zone, client, item, current), and what moves with the clock
   * (state, the times shown), which is worked out afresh each time and must match the kept one.
   */
  viewBytes(found: Found, options: ViewOptions = {}): Buffer {
    const cache = this.expansion(found.series);
    const moving = this.moving(found, options);
    const id = found.kind === 'series' ? found.series.id : found.occurrence.id;
    // NUL separates: an IANA zone cannot hold one, and the id and the client are first and last.
    const key = `${id}\0${options.item === true ? 'i' : 'g'}${options.current === true ? 'c' : 'o'}\0${options.zone ?? 'UTC'}\0${options.client ?? DEFAULT_CLIENT}`;
    const kept = cache.texts.get(key);
    if (kept !== undefined && kept.state === moving.state && kept.startMs === moving.shown.startMs && kept.endMs === moving.shown.endMs) return kept.bytes;
    const bytes = Buffer.from(JSON.stringify(this.compose(found, options, moving)));
    cache.texts.set(key, { state: moving.state, startMs: moving.shown.startMs, endMs: moving.shown.endMs, bytes });
    return bytes;
  }

  /** The parts of a view that depend on now. */
  private moving(found: Found, options: ViewOptions): Moving {
    const state = found.kind === 'series' ? this.seriesState(found.series) : this.occurrenceState(found.occurrence);
    const own = found.kind === 'series' ? found.series : found.occurrence;
    // With `current` only the times move: id and meetingType stay the series'.
    const shown = (found.kind === 'series' && options.current === true ? this.currentOccurrence(found.series) : undefined) ?? own;
    return { state, shown };
  }

  private compose(found: Found, options: ViewOptions, { state, shown }: Moving): Record<string, unknown> {
    const item = options.item === true;
    const cache = this.expansion(found.series);
    const key = `${found.kind === 'series' ? found.series.id : found.occurrence.id}|${item ? 'i' : 'g'}`;
    let base = cache.views.get(key);
    if (base === undefined) {
      base = found.kind === 'series' ? seriesView(found.series, item) : occurrenceView(found.series, found.occurrence, item);
      cache.views.set(key, base);
    }
    const zone = options.zone ?? 'UTC';
    const out: Record<string, unknown> = { ...base, state, timezone: zone, start: formatInZone(shown.startMs, zone), end: formatInZone(shown.endMs, zone) };
    const tags = tagsFor(found.series, options.client ?? DEFAULT_CLIENT);
    if (tags === undefined) delete out.integrationTags;
    else out.integrationTags = [...tags];
    return out;
  }
}

function ordered(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of VIEW_ORDER) if (source[key] !== undefined) out[key] = source[key];
  // Anything set behind the API's back that the order does not know still shows, at the end.
  for (const key of Object.keys(source)) if (!(key in out) && source[key] !== undefined) out[key] = source[key];
  return structuredClone(out);
}

/** The series' meeting number, web link, site and the like: as seeded, else generated from its id. */
export function identityOf(series: SeriesRecord): Record<string, unknown> {
  return series.identity.meetingNumber === undefined ? identityFields(series.id, series.hostEmail, series.scheduledType) : series.identity;
}

function commonFields(series: SeriesRecord, id: string, settings: Record<string, unknown>): Record<string, unknown> {
  const identity = identityOf(series);
  const source: Record<string, unknown> = {
    ...settings,
    ...identity,
    id,
    state: '',
    hostEmail: series.hostEmail,
    scheduledType: series.scheduledType,
    roomId: series.roomId,
    telephony: identity.telephony ?? telephonyFor(id, String(identity.meetingNumber)),
    simultaneousInterpretation: identity.simultaneousInterpretation ?? { enabled: false, interpreters: [] },
    // Per client (tagsFor): this placeholder only holds the field's place in the key order.
    integrationTags: [],
  };
  if (settings.enabledBreakoutSessions === true && identity.links === undefined) source.links = breakoutLinks(id);
  if (series.scheduledType === 'webinar') delete source.attendeePrivileges;
  if (source.enabledVisualWatermark !== true) delete source.visualWatermarkOpacity;
  return source;
}

/** start, end and timezone depend on the request; these placeholders only hold their place in the key order. */
function placeTimes(source: Record<string, unknown>): void {
  source.timezone = 'UTC';
  source.start = '';
  source.end = '';
}

function seriesView(series: SeriesRecord, item: boolean): Record<string, unknown> {
  const source = commonFields(series, series.id, series.settings);
  source.meetingType = 'meetingSeries';
  placeTimes(source);
  // MeetingObjectForListMeeting requires it, though its description says it applies to scheduled meetings only.
  if (item) source.meetingSeriesId = series.id;
  return ordered(source);
}

/** Settings an unmodified scheduled meeting shows: the series', without the series-only ones. */
export function inheritedSettings(series: SeriesRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(series.settings)) if (!SERIES_ONLY_FIELDS.has(k)) out[k] = v;
  return out;
}

/**
 * `meetingSeriesId` and `isModified` are fields of a list item (MeetingObjectForListMeeting, also
 * the answer of an update), not of Get a Meeting's MeetingSeriesObject.
 */
function occurrenceView(series: SeriesRecord, occurrence: Occurrence, item: boolean): Record<string, unknown> {
  const settings = occurrence.record?.settings ?? inheritedSettings(series);
  const source = commonFields(series, occurrence.id, { ...settings, ...(occurrence.record?.extra ?? {}) });
  source.meetingType = 'scheduledMeeting';
  if (item) {
    source.meetingSeriesId = series.id;
    source.isModified = occurrence.record?.isModified ?? false;
  }
  placeTimes(source);
  source.recurrence = undefined;
  // Integration tags belong to the series; its scheduled meetings show the series' tags (view()).
  return ordered(source);
}
