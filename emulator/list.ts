/**
 * GET /meetings: the filters Webex documents (meetingType, meetingSeriesId, state, from/to,
 * hostEmail, integrationTag, isModified, scheduledType, max) and offset pagination behind an
 * opaque cursor. Items come in a stable order: by start, then id.
 */
import { identityOf, tagsFor, type Found, type MeetingStore, type SeriesRecord } from './model.js';
import { DAY } from './time.js';

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 10;

const MEETING_TYPES = ['meetingSeries', 'scheduledMeeting', 'meeting'];
const STATES = ['active', 'scheduled', 'ready', 'lobby', 'inProgress', 'ended', 'missed', 'expired'];
const SCHEDULED_TYPES = ['meeting', 'webinar', 'personalRoomMeeting'];

/** `items`: the views of the page, serialized (MeetingStore.viewBytes). */
export type ListResult = { ok: true; items: Buffer[]; nextOffset?: number } | { ok: false; status: number; messages: string[] };

export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

/** An instant from a query parameter: ISO 8601; without an offset it is read as UTC. */
/** ISO 8601's basic format (20270101T090000Z, +0100), which `from` and `to` take too ("any ISO 8601 compliant format"). */
const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The extended form of a basic-format instant, and an offset's colon put in: the forms Date.parse reads. */
function extendedForm(text: string): string {
  const m = BASIC_FORMAT.exec(text);
  const withColon = (zone: string) => zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!m) return text.includes('T') ? text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : text;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h === undefined) return `${y}-${mo}-${d}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${zone === undefined ? '' : withColon(zone)}`;
}

function parseQueryInstant(raw: string): number | undefined {
  const text = extendedForm(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes('T');
  const ms = Date.parse(hasZone ? text : `${text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

function parseBoolean(text: string | null): boolean | undefined | 'bad' {
  if (text === null) return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return 'bad';
}

/**
 * `viewer`: the user whose meetings are listed, the ones they host and the ones they are invited to
 * (paths./meetings.get.parameters.hostEmail). `client`: the integration asking; `integrationTag`
 * matches only the tags it set itself (tagsFor).
 */
export function listMeetings(store: MeetingStore, query: URLSearchParams, viewer: string, client: string, zone: string, nowMs: number, password?: string): ListResult {
  const errors: string[] = [];
  const meetingSeriesId = query.get('meetingSeriesId') ?? undefined;
  const meetingType = query.get('meetingType') ?? (meetingSeriesId !== undefined ? 'scheduledMeeting' : 'meetingSeries');
  if (!MEETING_TYPES.includes(meetingType)) errors.push(`'meetingType' must be one of ${MEETING_TYPES.join(', ')}.`);
  const state = query.get('state') ?? undefined;
  if (state !== undefined && !STATES.includes(state)) errors.push(`'state' must be one of ${STATES.join(', ')}.`);
  const scheduledType = query.get('scheduledType') ?? undefined;
  // paths./meetings.get.description: for meetingSeries and meeting, "the scheduledType parameter can
  // be meeting, webinar or null … otherwise, it has items of meeting and webinar"; for
  // scheduledMeeting any of the three, "otherwise, it has items of all scheduled types".
  const listedTypes = meetingType === 'scheduledMeeting' ? SCHEDULED_TYPES : SCHEDULED_TYPES.filter((t) => t !== 'personalRoomMeeting');
  if (scheduledType !== undefined && !SCHEDULED_TYPES.includes(scheduledType)) errors.push(`'scheduledType' must be one of ${SCHEDULED_TYPES.join(', ')}.`);
  else if (scheduledType !== undefined && meetingSeriesId === undefined && !listedTypes.includes(scheduledType)) {
    errors.push(`'scheduledType' must be one of ${listedTypes.join(', ')} when 'meetingType' is ${meetingType}.`);
  }
  const isModified = parseBoolean(query.get('isModified'));
  if (isModified === 'bad') errors.push(`'isModified' must be true or false.`);
  // paths./meetings.get.parameters.current: schema default true.
  const current = parseBoolean(query.get('current')) ?? true;
  if (current === 'bad') errors.push(`'current' must be true or false.`);

  let max = DEFAULT_PAGE;
  const maxText = query.get('max');
  if (maxText !== null) {
    max = Number(maxText);
    if (!/^\d+$/.test(maxText) || max < 1) errors.push(`'max' must be a positive integer.`);
    else if (max > MAX_PAGE) errors.push(`'max' cannot be greater than ${MAX_PAGE}.`);
  }
  let offset = 0;
  const cursor = query.get('cursor');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (decoded === undefined) errors.push(`'cursor' is not valid.`);
    else offset = decoded;
  }

  // paths./meetings.get.description: "meetingNumber, webLink and roomId are mutually exclusive", and
  // "If meetingSeriesId is specified, meetingNumber, webLink, roomId, current, integrationTag, scheduledType, siteUrl will be ignored".
  const lookups = meetingSeriesId === undefined ? (['meetingNumber', 'webLink', 'roomId'] as const).filter((k) => query.get(k) !== null) : [];
  if (lookups.length > 1) errors.push(`'meetingNumber', 'webLink' and 'roomId' are mutually exclusive and cannot be specified together.`);
  const lookup = lookups[0];

  // Defaults as the OpenAPI parameter descriptions give them.
  const fromText = query.get('from');
  const toText = query.get('to');
  let from = fromText === null ? undefined : parseQueryInstant(fromText);
  let to = toText === null ? undefined : parseQueryInstant(toText);
  if (fromText !== null && from === undefined) errors.push(`'from' is not an ISO 8601 date-time.`);
  if (toText !== null && to === undefined) errors.push(`'to' is not an ISO 8601 date-time.`);
  if (errors.length > 0) return { ok: false, status: 400, messages: errors };
  if (meetingType === 'meeting') {
    to ??= from !== undefined ? from + 7 * DAY : nowMs;
    from ??= to - 7 * DAY;
  } else {
    to ??= from !== undefined ? from + 7 * DAY : nowMs + 7 * DAY;
    from ??= to - 7 * DAY;
  }
  if (from > to) return { ok: false, status: 400, messages: [`'from' cannot be after 'to'.`] };

  // "If meetingSeriesId is specified, … integrationTag, scheduledType … will be ignored" (paths./meetings.get.description).
  const tag = meetingSeriesId === undefined ? query.get('integrationTag') : null;
  const types = meetingSeriesId !== undefined ? SCHEDULED_TYPES : scheduledType !== undefined ? [scheduledType] : listedTypes;
  // A meeting of another site is not listed (the emulator has one site); by meetingNumber or webLink the site is not asked.
  const siteUrl = meetingSeriesId === undefined && lookup !== 'meetingNumber' && lookup !== 'webLink' ? query.get('siteUrl') : null;
  // "Ad-hoc meetings created by Create a Meeting with `adhoc` of `true` and a `roomId` will not be
  // listed", nor their scheduled meetings (paths./meetings.get.description).
  const listable = (s: SeriesRecord): boolean =>
    !(s.adhoc && s.roomId !== undefined) &&
    types.includes(s.scheduledType) &&
    (tag === null || (tagsFor(s, client)?.includes(tag) ?? false)) &&
    (siteUrl === null || identityOf(s).siteUrl === siteUrl);
  const visible = (s: SeriesRecord): boolean => listable(s) && (s.hostEmail.toLowerCase() === viewer || s.invitees.includes(viewer));

  // By meetingNumber or webLink: those series, each as a series or its current scheduled meeting
  // (`current`); from, to, meetingType, state and isModified are ignored, and so is max. The request
  // header `password` is "required when the meeting is protected by a password and the current user
  // is not privileged to view it if they are not a host, cohost or invitee" (paths./meetings.get.description):
  // with it, a meeting looked up so is listed to anyone.
  if (lookup === 'meetingNumber' || lookup === 'webLink') {
    const wanted = query.get(lookup);
    const byPassword = (s: SeriesRecord) => password !== undefined && listable(s) && s.settings.password === password;
    const matches = store.sortedSeries().filter((s) => (visible(s) || byPassword(s)) && identityOf(s)[lookup] === wanted);
    return { ok: true, items: matches.map((series) => store.viewBytes({ kind: 'series', series }, { item: true, current: current === true, zone, client })), nextOffset: undefined };
  }
  // By roomId: the space's meetings in [from, to); current, meetingType, state and isModified are ignored.
  const roomId = lookup === 'roomId' ? query.get('roomId') : null;

  // Paging through one listing must not rescan the whole store for every page (O(N) a page made
  // a 10,000-series listing quadratic): the matches are kept per query until the store changes.
  const cacheKey = listCacheKey(query, viewer, nowMs, [current, zone, client]);
  const cached = cacheFor(store).get(cacheKey);
  const found: Found[] = cached?.revision === store.revision ? cached.found : [];
  if (cached?.revision !== store.revision) {
    collect(found);
    remember(store, cacheKey, found);
  }
  const page = found.slice(offset, offset + max);
  const items = page.map((f) => store.viewBytes(f, { item: true, current: roomId === null && current === true, zone, client }));
  return { ok: true, items, nextOffset: offset + max < found.length ? offset + max : undefined };

  function collect(found: Found[]): void {
    const candidates = meetingSeriesId !== undefined ? [store.series.get(meetingSeriesId)].filter((s): s is SeriesRecord => s !== undefined) : store.sortedSeries();
    if (roomId !== null) {
      for (const series of candidates) if (visible(series) && series.roomId === roomId && series.startMs < to! && store.lastEndMs(series) > from!) found.push({ kind: 'series', series });
    } else if (meetingType === 'meetingSeries') {
      for (const series of candidates) {
        if (!visible(series)) continue;
        // A series is listed when its span [first start, last end) overlaps [from, to).
        if (!(series.startMs < to! && store.lastEndMs(series) > from!)) continue;
        if (state !== undefined && store.seriesState(series) !== state) continue;
        found.push({ kind: 'series', series });
      }
    } else if (meetingType === 'scheduledMeeting') {
      for (const series of candidates) {
        if (!visible(series)) continue;
        for (const occurrence of store.occurrences(series, to!)) {
          if (occurrence.startMs >= to!) break;
          if (occurrence.endMs <= from!) continue;
          if (isModified !== undefined && (occurrence.record?.isModified ?? false) !== isModified) continue;
          if (state !== undefined && store.occurrenceState(occurrence) !== state) continue;
          found.push({ kind: 'occurrence', series, occurrence });
        }
      }
      if (meetingSeriesId === undefined) {
        found.sort((a, b) => {
          const x = a as Extract<Found, { kind: 'occurrence' }>;
          const y = b as Extract<Found, { kind: 'occurrence' }>;
          return x.occurrence.startMs - y.occurrence.startMs || (x.occurrence.id < y.occurrence.id ? -1 : 1);
        });
      }
    }
    // meetingType=meeting lists meeting instances (ongoing or ended); the emulator keeps none.
  }
}

interface CachedListing {
  revision: number;
  found: Found[];
}

const LIST_CACHE_ENTRIES = 32;
/** States (scheduled, ready, missed) move with the clock: a cached listing lives for one 10-second bucket. */
const LIST_CACHE_BUCKET_MS = 10_000;
const listCaches = new WeakMap<MeetingStore, Map<string, CachedListing>>();

function cacheFor(store: MeetingStore): Map<string, CachedListing> {
  let cache = listCaches.get(store);
  if (!cache) listCaches.set(store, (cache = new Map()));
  return cache;
}

function remember(store: MeetingStore, key: string, found: Found[]): void {
  const cache = cacheFor(store);
  if (cache.size >= LIST_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { revision: store.revision, found });
}

/** `resolved`: what shapes the answer beyond the query string (resolved defaults, request headers). */
function listCacheKey(query: URLSearchParams, viewer: string, nowMs: number, resolved: unknown[]): string {
  const params = [...query.entries()].filter(([k]) => k !== 'cursor' && k !== 'max').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([viewer, Math.floor(nowMs / LIST_CACHE_BUCKET_MS), resolved, params]);
}
