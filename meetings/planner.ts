/**
 * The Webex planner: pure functions from (desired meetings, fetched live state, server "now")
 * to Changes. No network, no clock, no file system: everything arrives as arguments, so the
 * semantics are tested exactly and quickly.
 */
import mergePatch from 'json-merge-patch';
import type { Change, JsonObject, JsonValue } from '../core/plan.js';
import { plural } from '../core/render/sanitize.js';
import { FIELD_BY_NAME, MEETING_FIELDS, OCCURRENCE_FIELDS, SERIES_RESCHEDULING_FIELDS, UNREVEALED_FIELDS } from './catalogue.js';
import type { Meeting } from './client.js';
import type { DesiredMeeting, IdentifiedMeeting, IdentifiedOccurrence } from './desired.js';
import { diffFields, fullOverride, inheritedFromSeries, meetingFingerprint, withSeriesUnrevealed, type DiffResult } from './field-diff.js';
import { originalStartOf } from './ids.js';
import { liveStateProblems, notDeletableReason, notUpdatableReason, otherHost, timeProblems, type Problem } from './live-rules.js';
import { liveInstant, type HostCodes } from './normalize.js';
import { expandOccurrences } from './recurrence.js';
import { isValidTimeZone } from './time.js';

// import.ts reads these from the planner, as it did when they were written here.

/** What a fetch gave for one id: the meeting, or why there is none. */
export type Fetched =
  | { ok: true; meeting: Meeting }
  | { ok: false; status?: number; message: string; trackingId?: string };

export interface PlanContext {
  nowMs: number;
  env: Readonly<Record<string, string | undefined>>;
  /** The site's tracking codes per host (`''` for the token's own user), for the hosts whose codes were read. */
  trackingCodes?: ReadonlyMap<string, HostCodes>;
}

/**
 * What was read of one series' scheduled meetings: each declared override by id, and — for a
 * series whose change cancels them — its modified scheduled meetings, or why they could not be listed.
 */
export interface ScheduledRead {
  declared: ReadonlyMap<string, Fetched>;
  modified: readonly Meeting[];
  modifiedError?: string;
}

/** Which scheduled meetings planning a series' occurrences needs read, once its series is planned. */
export type ScheduledNeed =
  | { read: 'modified'; seriesId: string; hostEmail?: string; /** Declared cancellations, read one by one: a deleted meeting is in no list. */ cancelled?: readonly string[] }
  | { read: 'declared'; seriesId: string; hostEmail?: string; ids: readonly string[] };

/** The series part of a plan, and what planning its occurrences needs to know. */
export interface SeriesPlan {
  desired: IdentifiedMeeting;
  change: Change;
  /** The series patch changes start, end or recurrence: Webex will cancel its modified occurrences. */
  reschedules: boolean;
  live?: Meeting;
}

const MINUTE = 60_000;
const DAY_MS = 24 * 3600 * 1000;

function diffContext(ctx: PlanContext, zone: string | undefined, hostEmail: string | undefined) {
  const host = hostEmail ?? '';
  return { nowMs: ctx.nowMs, env: ctx.env, zone, trackingCodes: ctx.trackingCodes?.get(host) };
}

type Locate = (path: string[]) => { file: string; line: number; col: number } | undefined;

/** Each problem names where the offending value is written (the file, or the defaults file it came from). */
export function problemsToChange(base: Omit<Change, 'action' | 'reason'>, problems: Problem[], locate?: Locate): Change {
  const reason = problems
    .map((p) => {
      const at = locate?.(p.field.split('.'));
      return at ? `${p.message} (${at.file}:${at.line}:${at.col})` : p.message;
    })
    .join('; ');
  return { ...base, action: 'error', reason, patch: {}, before: {} };
}

export function locatorFor(desired: Pick<DesiredMeeting, 'locate'>, prefix: (string | number)[] = []): Locate {
  return (path) => {
    try {
      return desired.locate([...prefix, ...path]);
    } catch {
      return undefined;
    }
  };
}

/** The patch's fields whose values are never printed: sensitive fields by name, concealed members by path (`liveStream.rtmpUrl`). */
export function sensitiveOf(patch: JsonObject): string[] | undefined {
  const names: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const spec = FIELD_BY_NAME.get(key);
    if (spec?.sensitive) names.push(key);
    else if (spec?.members && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const member of spec.members) if (member.concealed && member.name in value) names.push(`${key}.${member.name}`);
    }
  }
  return names.length > 0 ? names : undefined;
}

/** What Webex will store otherwise than sent (the site's default tracking codes added), when anything. */
export function expectedOf(diff: Pick<DiffResult, 'expected'>): JsonObject | undefined {
  return Object.keys(diff.expected).length > 0 ? diff.expected : undefined;
}

export function controlsOf(desired: Pick<DesiredMeeting, 'hostEmail'>): JsonObject | undefined {
  return desired.hostEmail ? { hostEmail: desired.hostEmail } : undefined;
}

/** A 404 for a scheduled meeting of a series that was read: the token sees the series, so it is gone or never was. */
const SCHEDULED_NOT_FOUND = "cancelled in Webex, or the series has no meeting at that original start (the id's time, in UTC); to keep it cancelled, declare it with cancelled: true instead of its settings";

function fetchFailure(id: string, what: string, fetched: Extract<Fetched, { ok: false }>, notFound = 'check the id, or whether the token can see it'): string {
  if (fetched.status === 404) return `${what} ${id} was not found (404): ${notFound}`;
  const status = fetched.status ? ` (${fetched.status})` : '';
  const tracking = fetched.trackingId ? ` [trackingId ${fetched.trackingId}]` : '';
  return `could not read ${what} ${id}${status}: ${fetched.message}${tracking}`;
}

/** The series change of a file before anything is decided: nothing to send yet, labelled by the file's title. */
export function seriesChangeBase(desired: Pick<DesiredMeeting, 'file' | 'fields'>, id: string): Omit<Change, 'action'> {
  return {
    id,
    kind: 'series',
    file: desired.file,
    label: typeof desired.fields.title === 'string' ? desired.fields.title : undefined,
    patch: {},
    before: {},
    fingerprint: '',
    warnings: [],
    order: 0,
  };
}

/**
 * The series is hosted by someone else than the file names. hostEmail is "only used if the user or
 * application calling the API has the admin-level scopes" (a host token's reads are its own view),
 * an admin's list "as" a user holds the meetings they are only invited to, and updates go "on
 * behalf of the real meeting host" (PatchMeetingObject.hostEmail, which "is not editable").
 */
function hostMismatch(desired: IdentifiedMeeting, live: Meeting): string | undefined {
  const host = otherHost(desired.hostEmail, live);
  if (host === undefined) return undefined;
  return `${desired.id} is hosted by ${host}, not ${desired.hostEmail} as the file says: set hostEmail: ${host} (a host changes only by Webex's reassign); if ${host} is the token's own user, the token may lack the admin-level scopes without which hostEmail is not used`;
}

/** Plan the series of one desired file. */
export function planSeries(desired: IdentifiedMeeting, fetched: Fetched | undefined, ctx: PlanContext): SeriesPlan {
  const base = seriesChangeBase(desired, desired.id);
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
  const otherHost = hostMismatch(desired, live);
  if (otherHost) return { desired, live, reschedules: false, change: { ...withLive, action: 'error', reason: otherHost } };
  const zone = zoneOf(desired.fields);
  const diff = diffFields(desired.fields, live, MEETING_FIELDS, diffContext(ctx, zone, desired.hostEmail));
  diff.problems.unshift(...liveStateProblems(desired.fields, live));
  if (diff.problems.length > 0) return { desired, live, reschedules: false, change: problemsToChange(withLive, diff.problems, locatorFor(desired)) };
  if (Object.keys(diff.patch).length === 0) return { desired, live, reschedules: false, change: { ...withLive, action: 'noop', warnings: diff.warnings } };
  const reason = notUpdatableReason(live, ctx.nowMs);
  if (reason) return { desired, live, reschedules: false, change: { ...withLive, action: 'notUpdatable', reason, patch: diff.patch, before: diff.before, sensitive: sensitiveOf(diff.patch) } };
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
      expected: expectedOf(diff),
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
 * Does a scheduled meeting with this id exist once the series patch (if any) is applied? Ids carry
 * the occurrence's original start, so a new start time or rule can make a declared override vanish.
 */
function occursAfterChange(occurrenceId: string, series: SeriesPlan): boolean {
  const live = series.live;
  if (!live) return false;
  const at = originalStartOf(occurrenceId);
  if (at === undefined) return false;
  const patch = series.change.patch;
  const zone = zoneOf(series.desired.fields) ?? 'UTC';
  const start = liveInstant(patch.start ?? live.start);
  const rule = (patch.recurrence === undefined ? live.recurrence : patch.recurrence) as string | null | undefined;
  if (start === undefined) return false;
  if (!rule) return start === at;
  return expandOccurrences(rule, start, zone, { untilMs: at + MINUTE }).includes(at);
}

/**
 * What planning the occurrences of a planned series needs read: the modified scheduled meetings
 * its change cancels, else its declared overrides (none when its series could not be read).
 */
export function scheduledNeed(series: SeriesPlan): ScheduledNeed | undefined {
  const { id: seriesId, hostEmail, occurrences } = series.desired;
  if (series.change.action === 'update' && series.reschedules) {
    const cancelled = occurrences.filter((o) => o.cancelled).map((o) => o.id);
    return { read: 'modified', seriesId, hostEmail, ...(cancelled.length > 0 ? { cancelled } : {}) };
  }
  if (occurrences.length > 0 && series.live) return { read: 'declared', seriesId, hostEmail, ids: occurrences.map((o) => o.id) };
  return undefined;
}

/** Cancellation warning for a rescheduling series change: names every modified occurrence Webex will cancel. */
function cancellationWarning(series: SeriesPlan, modified: readonly Meeting[]): string | undefined {
  if (!series.reschedules || modified.length === 0) return undefined;
  const declared = new Set(series.desired.occurrences.map((o) => o.id));
  const fields = SERIES_RESCHEDULING_FIELDS.filter((f) => f in series.change.patch).join('/');
  const names = modified
    .map((m) => m.id)
    .sort()
    .map((id) => (declared.has(id) ? `${id} (re-applied from the file after the series change)` : id));
  return `changing ${fields} of the series cancels its ${plural(modified.length, 'modified scheduled meeting')}: ${names.join(', ')}`;
}

/**
 * The series change with what its scheduled meetings' read adds to it (the modified ones it cancels,
 * or why they could not be listed), then its declared overrides: the changes of one file, in order.
 */
export function planScheduled(series: SeriesPlan, read: ScheduledRead, ctx: PlanContext): Change[] {
  const extra = !series.reschedules
    ? []
    : read.modifiedError !== undefined
      ? [`could not list the modified scheduled meetings this change cancels: ${read.modifiedError}`]
      : [cancellationWarning(series, read.modified)].filter((w): w is string => w !== undefined);
  const change = extra.length === 0 ? series.change : { ...series.change, warnings: [...series.change.warnings, ...extra] };
  return [change, ...planOccurrences(series, read.declared, ctx, read.modified)];
}

/**
 * Plan the declared occurrence overrides of one series. `occurrences` holds what was fetched
 * for each declared id (when the series reschedules: only its cancellations; the overrides are
 * re-sent whole), `modified` the modified scheduled meetings a rescheduling change cancels.
 */
export function planOccurrences(series: SeriesPlan, occurrences: ReadonlyMap<string, Fetched>, ctx: PlanContext, modified: readonly Meeting[] = []): Change[] {
  const changes: Change[] = [];
  const seriesUpdates = series.change.action === 'update';
  const zoneFor = (o: IdentifiedOccurrence) => zoneOf(o.fields) ?? zoneOf(series.desired.fields);
  const modifiedNow = modifiedById(modified);

  for (const [index, occurrence] of series.desired.occurrences.entries()) {
    const locate = locatorFor(series.desired, ['occurrences', index]);
    const fetched = occurrences.get(occurrence.id);
    const liveOcc = fetched?.ok ? fetched.meeting : undefined;
    const base: Omit<Change, 'action'> = {
      id: occurrence.id,
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
    if (occurrence.cancelled) {
      changes.push(planCancel(base, fetched, series));
      continue;
    }
    if (seriesUpdates && series.reschedules) {
      const past = pastReason(occurrence.id, modifiedNow, series, ctx.nowMs);
      if (past !== undefined) {
        changes.push({ ...base, action: 'notUpdatable', reason: past, dependsOn: undefined });
        continue;
      }
      if (!occursAfterChange(occurrence.id, series)) {
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
      const reason = fetched && !fetched.ok ? fetchFailure(occurrence.id, 'scheduled meeting', fetched, SCHEDULED_NOT_FOUND) : `scheduled meeting ${occurrence.id} was not found`;
      changes.push({ ...base, action: 'error', reason });
      continue;
    }
    // An unmodified occurrence takes on the series change before its own is sent: diffed as apply
    // will find it. It is not fingerprinted then: Webex does more to it than the patch says (it
    // resets what a switch turned off governs, adds the site's default tracking codes), and apply
    // would take those for someone else's edit. Its own patch sends only the fields it changes.
    const movedBySeries = seriesUpdates && liveOcc.isModified !== true;
    const effectiveLive: Meeting = movedBySeries ? (mergePatch.apply(structuredClone(liveOcc), inheritedFromSeries(series.change.patch)) as Meeting) : liveOcc;
    const fields = withSeriesUnrevealed(occurrence.fields, series.desired.fields);
    const diff = diffFields(fields, effectiveLive, OCCURRENCE_FIELDS, diffContext(ctx, zoneFor(occurrence), series.desired.hostEmail));
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
      changes.push({ ...base, action: 'notUpdatable', reason, patch: diff.patch, before: diff.before, sensitive: sensitiveOf(diff.patch) });
      continue;
    }
    changes.push({
      ...base,
      action: 'update',
      patch: diff.patch,
      before: diff.before,
      fingerprint: movedBySeries ? '' : meetingFingerprint(effectiveLive, OCCURRENCE_FIELDS),
      warnings: diff.warnings,
      sensitive: sensitiveOf(diff.patch),
      expected: expectedOf(diff),
    });
  }
  return changes;
}

/**
 * `cancelled: true`: delete the scheduled meeting, if it is still to come; one already gone needs
 * nothing ("The deleted meeting cannot be recovered", paths./meetings/{meetingId}.delete, and a
 * series change cancels only exceptional meetings). A series change that keeps the id's original
 * start keeps the cancellation; one that moves the meeting to another id cannot be followed here.
 */
function planCancel(base: Omit<Change, 'action'>, fetched: Fetched | undefined, series: SeriesPlan): Change {
  if (series.change.action === 'update' && series.reschedules && !occursAfterChange(base.id, series)) {
    return {
      ...base,
      action: 'error',
      reason: `after the series change there is no scheduled meeting ${base.id}: apply the series change first, then cancel the meeting by the id it has after the change`,
    };
  }
  if (fetched && !fetched.ok && fetched.status === 404) return { ...base, action: 'noop', dependsOn: undefined, warnings: notInLayoutWarning(base.id, series) };
  if (!fetched || !fetched.ok) return { ...base, action: 'error', reason: fetched ? fetchFailure(base.id, 'scheduled meeting', fetched) : `scheduled meeting ${base.id} was not read` };
  const reason = notDeletableReason(fetched.meeting);
  if (reason) return { ...base, action: 'error', reason: `Webex cannot cancel it: ${reason}` };
  // After its own series' update an unmodified occurrence moves: that change is ours, not a reason to call it stale.
  const fingerprint = base.dependsOn === undefined ? meetingFingerprint(fetched.meeting, OCCURRENCE_FIELDS) : '';
  return { ...base, action: 'delete', fingerprint };
}

/**
 * A cancellation of an id Webex does not have (404) is done, unless the id was never one of the
 * series' meetings (an original start written in local time instead of UTC, say): said when the
 * file states the zone the series is laid out in, so that the layout can be trusted.
 */
function notInLayoutWarning(id: string, series: SeriesPlan): string[] {
  if (zoneOf(series.desired.fields) === undefined || occursAfterChange(id, series)) return [];
  return [`Webex has no scheduled meeting ${id}, and the series has none at that original start: check the id (its time is the meeting's original start in UTC)`];
}

function modifiedById(modified: readonly Meeting[]): ReadonlyMap<string, Meeting> {
  return new Map(modified.map((m) => [m.id, m]));
}

/**
 * Why an override cannot be re-sent after a rescheduling: it has ended or is under way (PATCH
 * "doesn't apply to ended or in-progress meeting instances"), and what has happened is not
 * cancelled. Read from the modified meetings listed (which reach back a day) or, for an override
 * older than that, from the original start its id names.
 */
function pastReason(id: string, modified: ReadonlyMap<string, Meeting>, series: SeriesPlan, nowMs: number): string | undefined {
  const listed = modified.get(id);
  if (listed !== undefined) return notUpdatableReason(listed, nowMs);
  const original = originalStartOf(id);
  const live = series.live;
  const duration = live ? (liveInstant(live.end) ?? 0) - (liveInstant(live.start) ?? 0) : 0;
  return original !== undefined && original + Math.max(duration, 0) + DAY_MS <= nowMs ? 'the meeting has ended' : undefined;
}

/** Time rules for an override re-sent after a rescheduling: its start comes from its id unless it moves it. */
function timeProblemsForOverride(patch: JsonObject, occurrenceId: string, series: SeriesPlan, nowMs: number): Problem[] {
  const live = series.live;
  if (!live) return [];
  const originalStart = originalStartOf(occurrenceId);
  const seriesStart = liveInstant(series.change.patch.start ?? live.start);
  const seriesEnd = liveInstant(series.change.patch.end ?? live.end);
  if (originalStart === undefined || seriesStart === undefined || seriesEnd === undefined) return [];
  const pseudoLive: Meeting = {
    id: occurrenceId,
    start: new Date(originalStart).toISOString(),
    end: new Date(originalStart + (seriesEnd - seriesStart)).toISOString(),
  };
  return timeProblems(patch, pseudoLive, nowMs);
}

/** The plan's notes: for each field reads do not reveal, how many files declare it (none when no file does). */
export function planNotes(desired: readonly Pick<DesiredMeeting, "file" | "fields" | "occurrences">[]): string[] {
  return UNREVEALED_FIELDS.flatMap((spec) => {
    const declares = (fields: Record<string, unknown>) => fields[spec.name] !== undefined && fields[spec.name] !== null;
    const files = new Set(desired.filter((d) => declares(d.fields) || d.occurrences.some((o) => declares(o.fields))).map((d) => d.file));
    return files.size === 0 ? [] : [spec.unrevealed!.note(files.size)];
  });
}
