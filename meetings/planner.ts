/**
 * The Webex planner: pure functions from (desired meetings, fetched live state, server "now")
 * to Changes. No network, no clock, no file system: everything arrives as arguments, so the
 * semantics are tested exactly and quickly.
 */
import mergePatch from 'json-merge-patch';
import type { Change, JsonObject, JsonValue } from '../core/plan.js';
import { fingerprint } from '../core/fingerprint.js';
import {
  FIELD_BY_NAME,
  JOIN_BEFORE_HOST_MINUTES,
  LIMITS,
  MEETING_FIELDS,
  OCCURRENCE_FIELDS,
  SERIES_RESCHEDULING_FIELDS,
  UNREVEALED_FIELDS,
  type FieldSpec,
} from './catalogue.js';
import type { DesiredMeeting, DesiredOccurrence } from './desired.js';
import { compareField, comparableState, desiredInstant, liveInstant, type FieldContext, type TrackingCode } from './normalize.js';
import { expandOccurrences } from './recurrence.js';
import { formatInZone, isValidTimeZone } from './time.js';

export type LiveMeeting = Record<string, unknown> & { id: string };

/** What a fetch gave for one id: the meeting, or why there is none. */
export type Fetched =
  | { ok: true; meeting: LiveMeeting }
  | { ok: false; status?: number; message: string; trackingId?: string };

export interface PlanContext {
  nowMs: number;
  env: Readonly<Record<string, string | undefined>>;
  /** Per host (`''` for the token's own user): the default option of each optional site tracking code. */
  trackingCodeDefaults?: ReadonlyMap<string, readonly TrackingCode[]>;
}

/** The series part of a plan, and what planning its occurrences needs to know. */
export interface SeriesPlan {
  desired: DesiredMeeting;
  change: Change;
  /** The series patch changes start, end or recurrence: Webex will cancel its modified occurrences. */
  reschedules: boolean;
  live?: LiveMeeting;
}

const MINUTE = 60_000;

function scheduledIdInstant(id: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function isWebinar(meeting: LiveMeeting): boolean {
  return meeting.scheduledType === 'webinar';
}

/**
 * Why Webex refuses to update this meeting, or undefined when it can be updated. What a read
 * shows is all there is to go on: an ad-hoc meeting (`adhoc: true` with a `roomId`) is refused
 * too, but a response does not say `adhoc`, and a `roomId` alone (a meeting scheduled in a space)
 * is no reason, so apply recognises that refusal from the server's answer.
 */
export function notUpdatableReason(meeting: LiveMeeting, nowMs: number): string | undefined {
  if (meeting.scheduledType === 'personalRoomMeeting') return 'a personal room meeting; the API cannot update it';
  // A series is `inProgress` while today's scheduled meeting runs; the series itself stays updatable.
  const occurrence = meeting.meetingType === 'scheduledMeeting' || meeting.meetingType === 'meeting';
  switch (meeting.state) {
    case 'inProgress':
    case 'lobby':
      if (occurrence) return 'the meeting is in progress';
      break;
    case 'ended':
      return 'the meeting has ended';
    case 'missed':
      return 'the meeting was scheduled in the past and never happened';
    case 'expired':
      return 'every scheduled meeting of the series has passed';
  }
  const start = liveInstant(meeting.start);
  if (start !== undefined && start >= nowMs + LIMITS.notUpdatableYearsAhead * 365.25 * 24 * 3600 * 1000) {
    return 'it starts 10 or more years from now; Webex refuses to update it';
  }
  return undefined;
}

function get(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A desired value when the file manages it, else the live one. */
function effective(desired: Record<string, unknown>, live: LiveMeeting, path: string[]): unknown {
  const d = get(desired, path);
  return d === undefined ? get(live, path) : d;
}

/** Rules that need the live meeting: webinar or not, and the pairs whose other half the file may not manage. */
export function liveStateProblems(fields: Record<string, unknown>, live: LiveMeeting): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const webinar = isWebinar(live);
  const kind = webinar ? 'webinar' : 'meeting';
  const id = live.id;
  const webinarOnly: [string[], (v: unknown) => boolean][] = [
    // false is what a meeting reports anyway; only turning a webinar option on is a contradiction.
    [['requireAttendeeLogin'], (v) => v === true],
    [['restrictToInvitees'], (v) => v === true],
    [['panelistPassword'], (v) => v !== undefined],
    [['meetingOptions', 'enabledPolling'], (v) => v === true],
    [['audioConnectionOptions', 'enabledAudienceCallBack'], (v) => v === true],
  ];
  if (!webinar) {
    for (const [path, applies] of webinarOnly) {
      if (applies(get(fields, path))) {
        problems.push({ field: path.join('.'), message: `${path.join('.')} applies to webinars only, and ${id} is a meeting` });
      }
    }
  } else if (fields.attendeePrivileges !== undefined) {
    problems.push({ field: 'attendeePrivileges', message: `attendeePrivileges is not supported for a webinar, and ${id} is a webinar` });
  }
  const minutes = fields.joinBeforeHostMinutes;
  if (typeof minutes === 'number') {
    const allowed: readonly number[] = JOIN_BEFORE_HOST_MINUTES[kind];
    if (!allowed.includes(minutes)) {
      problems.push({ field: 'joinBeforeHostMinutes', message: `joinBeforeHostMinutes must be one of ${allowed.join(', ')} for a ${kind}` });
    } else if (minutes > 0 && effective(fields, live, ['enabledJoinBeforeHost']) !== true) {
      problems.push({ field: 'joinBeforeHostMinutes', message: 'joinBeforeHostMinutes needs enabledJoinBeforeHost: true' });
    }
  }
  if (fields.enableConnectAudioBeforeHost === true && effective(fields, live, ['enabledJoinBeforeHost']) !== true) {
    problems.push({ field: 'enableConnectAudioBeforeHost', message: 'enableConnectAudioBeforeHost needs enabledJoinBeforeHost: true' });
  }
  if (get(fields, ['meetingOptions', 'noteType']) !== undefined && effective(fields, live, ['meetingOptions', 'enabledNote']) !== true) {
    problems.push({ field: 'meetingOptions.noteType', message: 'meetingOptions.noteType needs meetingOptions.enabledNote: true' });
  }
  if (fields.visualWatermarkOpacity !== undefined && effective(fields, live, ['enabledVisualWatermark']) !== true) {
    problems.push({ field: 'visualWatermarkOpacity', message: 'visualWatermarkOpacity needs enabledVisualWatermark: true' });
  }
  if (fields.restrictToInvitees === true && effective(fields, live, ['requireAttendeeLogin']) !== true) {
    problems.push({ field: 'restrictToInvitees', message: 'restrictToInvitees: true needs requireAttendeeLogin: true' });
  }
  return problems;
}

const CATALOGUE_INDEX = new Map(MEETING_FIELDS.map((f, i) => [f.name, i]));
function catalogueIndex(name: string): number {
  return CATALOGUE_INDEX.get(name) ?? Number.MAX_SAFE_INTEGER;
}

interface DiffResult {
  patch: JsonObject;
  before: JsonObject;
  warnings: string[];
  problems: { field: string; message: string }[];
}

/** Field-by-field comparison of the managed fields, then the time rules on what will be sent. */
function diffFields(
  fields: Record<string, unknown>,
  live: LiveMeeting,
  specs: readonly FieldSpec[],
  ctx: PlanContext,
  zone: string | undefined,
  hostEmail: string | undefined,
): DiffResult {
  const result: DiffResult = { patch: {}, before: {}, warnings: [], problems: [] };
  // A rule is laid out from the start the meeting will have: the file's, else the live one.
  const wanted = fields.start === undefined ? undefined : desiredInstant(fields.start, zone);
  const startMs = wanted?.ok ? wanted.ms : liveInstant(live.start);
  const trackingCodeDefaults = ctx.trackingCodeDefaults?.get(hostEmail ?? '');
  const fieldCtx: FieldContext = { zone, nowMs: ctx.nowMs, env: ctx.env, startMs, trackingCodeDefaults };
  const allowed = new Set(specs.map((s) => s.name));
  // Catalogue order, not file order: the same meeting always prints the same way.
  const names = Object.keys(fields).sort((a, b) => catalogueIndex(a) - catalogueIndex(b));
  for (const name of names) {
    const desired = fields[name];
    const spec = FIELD_BY_NAME.get(name);
    if (!spec || !allowed.has(name)) {
      result.problems.push({ field: name, message: `${name} cannot be set on a ${live.meetingType === 'scheduledMeeting' ? 'scheduled meeting' : 'meeting series'}` });
      continue;
    }
    // Nothing to compare it with: the live value is whatever the read asked for.
    if (spec.unrevealed) continue;
    const outcome = compareField(spec, desired, live[name], fieldCtx);
    if (outcome.kind === 'invalid') {
      result.problems.push({ field: name, message: `${name}: ${outcome.message}` });
    } else {
      if (outcome.kind === 'differs') {
        result.patch[name] = outcome.send;
        if (outcome.before !== undefined) result.before[name] = outcome.before;
      }
      // An equal field may still warn (Webex stores the file's rule differently): the warning is kept.
      result.warnings.push(...outcome.warnings);
    }
  }
  addUnrevealed(result.patch, fields, specs);
  result.problems.push(...timeProblems(result.patch, live, ctx.nowMs));
  return result;
}

/** The file's values of the fields reads do not reveal, added to a patch that changes what they go with. */
function addUnrevealed(patch: JsonObject, fields: Record<string, unknown>, specs: readonly FieldSpec[]): void {
  for (const spec of specs) {
    const value = fields[spec.name];
    if (!spec.unrevealed || value === undefined || value === null) continue;
    if (spec.unrevealed.sentWith.some((f) => f in patch)) patch[spec.name] = value as JsonValue;
  }
}

/** An occurrence's fields with the series file's values of unrevealed fields it does not set itself. */
function withSeriesUnrevealed(own: Record<string, unknown>, series: Record<string, unknown>): Record<string, unknown> {
  const out = { ...own };
  for (const spec of UNREVEALED_FIELDS) if (out[spec.name] === undefined && series[spec.name] !== undefined) out[spec.name] = series[spec.name];
  return out;
}

/** Webex's time limits, checked on the start/end the meeting will have after the patch. */
function timeProblems(patch: JsonObject, live: LiveMeeting, nowMs: number): { field: string; message: string }[] {
  if (patch.start === undefined && patch.end === undefined) return [];
  const problems: { field: string; message: string }[] = [];
  const start = liveInstant(patch.start ?? live.start);
  const end = liveInstant(patch.end ?? live.end);
  const nowIso = new Date(nowMs).toISOString();
  if (patch.start !== undefined && start !== undefined && start < nowMs - MINUTE) {
    problems.push({ field: 'start', message: `start ${String(patch.start)} is in the past (server time ${nowIso})` });
  }
  if (patch.end !== undefined && end !== undefined && end < nowMs) {
    problems.push({ field: 'end', message: `end ${String(patch.end)} is in the past (server time ${nowIso})` });
  }
  if (start !== undefined && end !== undefined) {
    const minutes = (end - start) / MINUTE;
    const field = patch.end !== undefined ? 'end' : 'start';
    if (minutes <= 0) problems.push({ field, message: 'start must be before end' });
    else if (minutes < LIMITS.durationMinMinutes) problems.push({ field, message: `the meeting would last ${minutes} minutes; Webex needs at least 10` });
    else if (minutes > LIMITS.durationMaxMinutes) problems.push({ field, message: `the meeting would last ${minutes} minutes; Webex allows at most 23 h 59 min` });
  }
  return problems;
}

type Locate = (path: string[]) => { file: string; line: number; col: number } | undefined;

/** Each problem names where the offending value is written (the file, or the defaults file it came from). */
function problemsToChange(base: Omit<Change, 'action' | 'reason'>, problems: { field: string; message: string }[], locate?: Locate): Change {
  const reason = problems
    .map((p) => {
      const at = locate?.(p.field.split('.'));
      return at ? `${p.message} (${at.file}:${at.line}:${at.col})` : p.message;
    })
    .join('; ');
  return { ...base, action: 'error', reason, patch: {}, before: {} };
}

function locatorFor(desired: DesiredMeeting, prefix: (string | number)[] = []): Locate {
  return (path) => {
    try {
      return desired.locate([...prefix, ...path]);
    } catch {
      return undefined;
    }
  };
}

function sensitiveOf(patch: JsonObject): string[] | undefined {
  const names = Object.keys(patch).filter((k) => FIELD_BY_NAME.get(k)?.sensitive);
  return names.length > 0 ? names : undefined;
}

function controlsOf(desired: DesiredMeeting): JsonObject | undefined {
  return desired.hostEmail ? { hostEmail: desired.hostEmail } : undefined;
}

function fetchFailure(id: string, what: string, fetched: Extract<Fetched, { ok: false }>): string {
  if (fetched.status === 404) return `${what} ${id} was not found (404): check the id, or whether the token can see it`;
  const status = fetched.status ? ` (${fetched.status})` : '';
  const tracking = fetched.trackingId ? ` [trackingId ${fetched.trackingId}]` : '';
  return `could not read ${what} ${id}${status}: ${fetched.message}${tracking}`;
}

export function meetingFingerprint(meeting: LiveMeeting, specs: readonly FieldSpec[] = MEETING_FIELDS): string {
  return fingerprint({ id: meeting.id, ...comparableState(meeting, specs) });
}

/** Plan the series of one desired file. */
export function planSeries(desired: DesiredMeeting, fetched: Fetched | undefined, ctx: PlanContext): SeriesPlan {
  const base = {
    meetingId: desired.id,
    kind: 'series',
    file: desired.file,
    label: typeof desired.fields.title === 'string' ? desired.fields.title : undefined,
    patch: {},
    before: {},
    fingerprint: '',
    warnings: [] as string[],
    order: 0,
  };
  if (!fetched || !fetched.ok) {
    const reason = fetched ? fetchFailure(desired.id, 'meeting series', fetched) : `meeting series ${desired.id} was not fetched`;
    return { desired, reschedules: false, change: { ...base, action: 'error', reason } };
  }
  const live = fetched.meeting;
  const withLive = {
    ...base,
    label: base.label ?? (typeof live.title === 'string' ? live.title : undefined),
    controls: controlsOf(desired),
  };
  if (live.meetingType === 'scheduledMeeting' || live.meetingType === 'meeting') {
    return {
      desired,
      live,
      reschedules: false,
      change: { ...withLive, action: 'error', reason: `${desired.id} is a ${String(live.meetingType)}, not a meeting series: declare it under occurrences of its series` },
    };
  }
  const zone = zoneOf(desired.fields);
  const diff = diffFields(desired.fields, live, MEETING_FIELDS, ctx, zone, desired.hostEmail);
  diff.problems.unshift(...liveStateProblems(desired.fields, live));
  if (diff.problems.length > 0) return { desired, live, reschedules: false, change: problemsToChange(withLive, diff.problems, locatorFor(desired)) };
  if (Object.keys(diff.patch).length === 0) return { desired, live, reschedules: false, change: { ...withLive, action: 'noop', warnings: diff.warnings } };
  const reason = notUpdatableReason(live, ctx.nowMs);
  if (reason) return { desired, live, reschedules: false, change: { ...withLive, action: 'notUpdatable', reason, patch: diff.patch, before: diff.before } };
  const reschedules = SERIES_RESCHEDULING_FIELDS.some((f) => f in diff.patch);
  return {
    desired,
    live,
    reschedules,
    change: {
      ...withLive,
      action: 'update',
      patch: diff.patch,
      before: diff.before,
      // Only a change that will be sent needs the hash apply compares against (it is the costly part of planning thousands of meetings).
      fingerprint: meetingFingerprint(live),
      warnings: diff.warnings,
      sensitive: sensitiveOf(diff.patch),
    },
  };
}

/**
 * The zone the file schedules the meeting in. Never the live `timezone`: a response carries the
 * zone the request asked for, not the meeting's.
 */
export function zoneOf(fields: Record<string, unknown>): string | undefined {
  const zone = fields.timezone;
  return typeof zone === 'string' && isValidTimeZone(zone) ? zone : undefined;
}

/**
 * Does a scheduled meeting with this id exist once the series patch is applied? Ids carry the
 * occurrence's original start, so a new start time or rule can make a declared override vanish.
 */
function occursAfterReschedule(occurrenceId: string, series: SeriesPlan): boolean {
  const live = series.live;
  if (!live) return false;
  const at = scheduledIdInstant(occurrenceId);
  if (at === undefined) return false;
  const patch = series.change.patch;
  const zone = zoneOf(series.desired.fields) ?? 'UTC';
  const start = liveInstant(patch.start ?? live.start);
  const rule = (patch.recurrence === undefined ? live.recurrence : patch.recurrence) as string | null | undefined;
  if (start === undefined) return false;
  if (!rule) return start === at;
  return expandOccurrences(rule, start, zone, { untilMs: at + MINUTE }).includes(at);
}

/** Cancellation warning for a rescheduling series change: names every modified occurrence Webex will cancel. */
export function cancellationWarning(series: SeriesPlan, modified: readonly LiveMeeting[]): string | undefined {
  if (!series.reschedules || modified.length === 0) return undefined;
  const declared = new Set(series.desired.occurrences.map((o) => o.id));
  const fields = SERIES_RESCHEDULING_FIELDS.filter((f) => f in series.change.patch).join('/');
  const names = modified
    .map((m) => m.id)
    .sort()
    .map((id) => (declared.has(id) ? `${id} (re-applied from the file after the series change)` : id));
  return `changing ${fields} of the series cancels its ${modified.length} modified scheduled meeting${modified.length === 1 ? '' : 's'}: ${names.join(', ')}`;
}

/** Fields of a series patch that unmodified scheduled meetings inherit. */
function inheritedFromSeries(patch: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) {
    // Secrets travel as references in a patch: never merge them into a live view as if they were values.
    const spec = FIELD_BY_NAME.get(k);
    if ((SERIES_RESCHEDULING_FIELDS as readonly string[]).includes(k) || k === 'integrationTags' || spec?.sensitive || spec?.unrevealed) continue;
    out[k] = v;
  }
  return out;
}

/** The send-ready form of an occurrence override, for re-sending it whole after a rescheduling. */
function fullOverride(occurrence: DesiredOccurrence, seriesFields: Record<string, unknown>, zone: string | undefined): { patch: JsonObject; problems: { field: string; message: string }[] } {
  const patch: JsonObject = {};
  const problems: { field: string; message: string }[] = [];
  for (const [name, value] of Object.entries(occurrence.fields)) {
    const spec = FIELD_BY_NAME.get(name);
    if (!spec || spec.scope !== 'any') {
      problems.push({ field: name, message: `${name} cannot be set on a scheduled meeting` });
    } else if (spec.unrevealed) {
      continue;
    } else if (spec.type === 'datetime') {
      const at = desiredInstant(value, zone);
      if (!at.ok) problems.push({ field: name, message: `${name}: ${at.message}` });
      else patch[name] = zone ? formatInZone(at.ms, zone) : new Date(at.ms).toISOString();
    } else {
      patch[name] = value as JsonValue;
    }
  }
  addUnrevealed(patch, withSeriesUnrevealed(occurrence.fields, seriesFields), OCCURRENCE_FIELDS);
  return { patch, problems };
}

/**
 * Plan the declared occurrence overrides of one series. `occurrences` holds what was fetched
 * for each declared id (absent when the series reschedules: they are re-sent whole).
 */
export function planOccurrences(
  series: SeriesPlan,
  occurrences: ReadonlyMap<string, Fetched>,
  modified: readonly LiveMeeting[],
  ctx: PlanContext,
): Change[] {
  const changes: Change[] = [];
  const seriesUpdates = series.change.action === 'update';
  const warning = cancellationWarning(series, modified);
  if (warning) series.change.warnings.push(warning);
  const zoneFor = (o: DesiredOccurrence) => zoneOf(o.fields) ?? zoneOf(series.desired.fields);

  for (const [index, occurrence] of series.desired.occurrences.entries()) {
    const locate = locatorFor(series.desired, ['occurrences', index]);
    const fetched = occurrences.get(occurrence.id);
    const liveOcc = fetched?.ok ? fetched.meeting : undefined;
    const base: Omit<Change, 'action'> = {
      meetingId: occurrence.id,
      kind: 'scheduledMeeting',
      file: series.desired.file,
      label: typeof occurrence.fields.title === 'string' ? occurrence.fields.title : series.change.label,
      patch: {},
      before: {},
      fingerprint: '',
      warnings: [],
      order: 1,
      dependsOn: seriesUpdates ? series.desired.id : undefined,
      controls: controlsOf(series.desired),
    };
    if (series.change.action === 'error' && !series.live) {
      changes.push({ ...base, action: 'error', reason: `its series ${series.desired.id} could not be planned` });
      continue;
    }
    if (seriesUpdates && series.reschedules) {
      if (!occursAfterReschedule(occurrence.id, series)) {
        changes.push({
          ...base,
          action: 'error',
          reason: `after the series change there is no scheduled meeting ${occurrence.id}: its id must name the new original start`,
        });
        continue;
      }
      const full = fullOverride(occurrence, series.desired.fields, zoneFor(occurrence));
      const problems = [...full.problems, ...timeProblemsForOverride(full.patch, occurrence.id, series, ctx.nowMs)];
      if (problems.length > 0) {
        changes.push(problemsToChange(base, problems, locate));
        continue;
      }
      const before: JsonObject = {};
      if (liveOcc) for (const key of Object.keys(full.patch)) if (liveOcc[key] !== undefined) before[key] = liveOcc[key] as JsonValue;
      changes.push({
        ...base,
        action: 'update',
        patch: full.patch,
        before,
        // Our own series change moves this occurrence, so apply does not hold that against the plan.
        fingerprint: '',
        warnings: ['re-applied in full after the series change cancels the override'],
        sensitive: sensitiveOf(full.patch),
      });
      continue;
    }
    if (!fetched || !fetched.ok || !liveOcc) {
      const reason = fetched && !fetched.ok ? fetchFailure(occurrence.id, 'scheduled meeting', fetched) : `scheduled meeting ${occurrence.id} was not found`;
      changes.push({ ...base, action: 'error', reason });
      continue;
    }
    // An unmodified occurrence takes on the series change before its own is sent: diff and
    // fingerprint it as apply will find it, or its own series change would make it look stale.
    const effectiveLive: LiveMeeting =
      seriesUpdates && liveOcc.isModified !== true
        ? (mergePatch.apply(structuredClone(liveOcc), inheritedFromSeries(series.change.patch)) as LiveMeeting)
        : liveOcc;
    const diff = diffFields(withSeriesUnrevealed(occurrence.fields, series.desired.fields), effectiveLive, OCCURRENCE_FIELDS, ctx, zoneFor(occurrence), series.desired.hostEmail);
    diff.problems.unshift(...liveStateProblems(occurrence.fields, liveOcc));
    if (diff.problems.length > 0) {
      changes.push(problemsToChange(base, diff.problems, locate));
      continue;
    }
    if (Object.keys(diff.patch).length === 0) {
      changes.push({ ...base, action: 'noop', dependsOn: undefined, warnings: diff.warnings });
      continue;
    }
    const reason = notUpdatableReason(liveOcc, ctx.nowMs);
    if (reason) {
      changes.push({ ...base, action: 'notUpdatable', reason, patch: diff.patch, before: diff.before });
      continue;
    }
    changes.push({
      ...base,
      action: 'update',
      patch: diff.patch,
      before: diff.before,
      fingerprint: meetingFingerprint(effectiveLive, OCCURRENCE_FIELDS),
      warnings: diff.warnings,
      sensitive: sensitiveOf(diff.patch),
    });
  }
  return changes;
}

/** Time rules for an override re-sent after a rescheduling: its start comes from its id unless it moves it. */
function timeProblemsForOverride(patch: JsonObject, occurrenceId: string, series: SeriesPlan, nowMs: number): { field: string; message: string }[] {
  const live = series.live;
  if (!live) return [];
  const originalStart = scheduledIdInstant(occurrenceId);
  const seriesStart = liveInstant(series.change.patch.start ?? live.start);
  const seriesEnd = liveInstant(series.change.patch.end ?? live.end);
  if (originalStart === undefined || seriesStart === undefined || seriesEnd === undefined) return [];
  const pseudoLive: LiveMeeting = {
    id: occurrenceId,
    start: new Date(originalStart).toISOString(),
    end: new Date(originalStart + (seriesEnd - seriesStart)).toISOString(),
  };
  return timeProblems(patch, pseudoLive, nowMs);
}

/** The plan's notes: for each field reads do not reveal, how many files declare it (none when no file does). */
export function planNotes(desired: readonly DesiredMeeting[]): string[] {
  return UNREVEALED_FIELDS.flatMap((spec) => {
    const declares = (fields: Record<string, unknown>) => fields[spec.name] !== undefined && fields[spec.name] !== null;
    const files = new Set(desired.filter((d) => declares(d.fields) || d.occurrences.some((o) => declares(o.fields))).map((d) => d.file));
    return files.size === 0 ? [] : [spec.unrevealed!.note(files.size)];
  });
}

/** Ids whose modified occurrences must be read: series whose planned change reschedules them. */
export function seriesNeedingModifiedList(plans: readonly SeriesPlan[]): string[] {
  return plans.filter((p) => p.reschedules && p.change.action === 'update').map((p) => p.desired.id);
}
