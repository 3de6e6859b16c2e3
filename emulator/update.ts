/**
 * PATCH and PUT of a meeting: refuse what Webex cannot update, check the body, build the
 * resulting meeting, validate it as a whole (all or nothing), then commit.
 */
import {
  JOIN_BEFORE_HOST_MINUTES,
  LIMITS,
  REQUEST_CONTROLS,
  RESPONSE_ONLY_FIELDS,
  SERIES_ONLY_FIELDS,
  STATE_FIELDS,
  type FieldKind,
} from './fields.js';
import { defaultSettings } from './generated.js';
import { deepEqual, isPlainObject, mergePatch } from './merge.js';
import { DEFAULT_CLIENT, inheritedSettings, setTags, tagsFor, type Found, type MeetingStore, type OccurrenceRecord } from './model.js';
import { firstMeetingMs, normalizeRule } from './recurrence.js';
import { checkSelectCodes, codesOfUser, withDefaultCodes } from './tracking.js';
import { MINUTE, addYears, isValidZone, parseDateTime } from './time.js';

export interface Refusal {
  status: number;
  messages: string[];
}

export type UpdateOutcome = { ok: true; commit: () => string } | ({ ok: false } & Refusal);

/** Fields an explicit null may clear (RFC 7396 removal). */
const CLEARABLE: ReadonlySet<string> = new Set(['agenda', 'recurrence', 'trackingCodes', 'integrationTags']);
/**
 * A PUT clears less: PatchMeetingObject's agenda, recurrence and trackingCodes "can be specified
 * null"; UpdateMeetingObject's same fields say nothing of null. Both say "an empty or null
 * integrationTags will delete all existing integration tags".
 */
const PUT_CLEARABLE: ReadonlySet<string> = new Set(['integrationTags']);
/**
 * CreateMeetingObject documents null for none of its fields, but the operation does for one:
 * "If the value of the parameter `recurrence` is null, a non-recurring meeting is created"
 * (paths./meetings.post.description). Any other null on a new meeting has nothing to clear.
 */
export const CREATE_CLEARABLE: ReadonlySet<string> = new Set(['recurrence']);

const refuse = (status: number, ...messages: string[]): { ok: false } & Refusal => ({ ok: false, status, messages });

/**
 * Why this meeting cannot be updated at all, if it cannot. The reference's first paragraph: the
 * update "doesn't apply to ended or in-progress meeting instances" and "Ad-hoc meetings created …
 * with adhoc of true and a roomId cannot be updated" (also paths./meetings/{meetingId}.patch
 * .parameters.meetingId). A meeting in the lobby is in progress: participants are in it. A space
 * meeting with a roomId that is not ad-hoc can be updated, and so can a series one of whose meetings
 * is running: only the running or ended instance is refused. Missed meetings and expired series are
 * not refused: the description names neither.
 */
export function notUpdatable(store: MeetingStore, found: Found, nowMs: number): Refusal | undefined {
  const { series } = found;
  if (series.adhoc && series.roomId !== undefined) return { status: 400, messages: ['An ad-hoc meeting cannot be updated.'] };
  if (series.scheduledType === 'personalRoomMeeting')
    return { status: 400, messages: ['Updating a scheduled personal room meeting is not supported.'] };
  if (series.createdByCalendarConnector)
    return { status: 400, messages: ['This meeting was created by a calendar connector and cannot be updated with this API. Update it in the calendar instead.'] };
  if (found.kind === 'occurrence') {
    const state = store.occurrenceState(found.occurrence);
    if (state === 'inProgress') return { status: 400, messages: ['A meeting that is in progress cannot be updated.'] };
    // MeetingSeriesObject.state lobby: "a locked meeting has been joined by participants, but no hosts have joined".
    if (state === 'lobby') return { status: 400, messages: ['A meeting in the lobby (participants have joined, no host yet) is under way and cannot be updated.'] };
    if (state === 'ended') return { status: 400, messages: ['A meeting that has ended cannot be updated.'] };
  }
  const startMs = found.kind === 'series' ? series.startMs : found.occurrence.startMs;
  if (startMs >= addYears(nowMs, LIMITS.notUpdatableYears))
    return { status: 400, messages: ['Meetings starting 10 or more years from now cannot be updated.'] };
  return undefined;
}

/**
 * Whether the scheduled meeting `id` still lies ahead: nobody is in it (scheduled or ready, by the
 * state set on it or by the clock, MeetingStore.occurrenceState) and its start has not come. Past its
 * start a meeting has begun by the clock even while it shows ready; lobby is already "joined by
 * participants" and ended, missed and inProgress are over or running (MeetingSeriesObject.state).
 */
function stillToCome(store: MeetingStore, id: string, nowMs: number): boolean {
  const found = store.find(id);
  if (found?.kind !== 'occurrence') return false;
  const state = store.occurrenceState(found.occurrence);
  return (state === 'scheduled' || state === 'ready') && nowMs < found.occurrence.startMs;
}

function checkKind(path: string, kind: FieldKind, value: unknown, errors: string[]): void {
  switch (kind.type) {
    case 'string':
      if (typeof value !== 'string') errors.push(`'${path}' must be a string.`);
      else if (kind.enum && !kind.enum.includes(value)) errors.push(`'${path}' must be one of ${kind.enum.join(', ')}; got '${value}'.`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`'${path}' must be true or false.`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) errors.push(`'${path}' must be a non-negative integer.`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(`'${path}' must be an array.`);
        return;
      }
      value.forEach((item, i) => {
        if (kind.of === 'string') {
          if (typeof item !== 'string') errors.push(`'${path}[${i}]' must be a string.`);
          return;
        }
        if (!isPlainObject(item)) {
          errors.push(`'${path}[${i}]' must be an object with name and value.`);
          return;
        }
        for (const key of Object.keys(item)) if (key !== 'name' && key !== 'value') errors.push(`Unrecognized field '${path}[${i}].${key}'.`);
        for (const key of ['name', 'value'] as const) {
          const v = item[key];
          if (typeof v !== 'string' || v.trim() === '') errors.push(`'${path}[${i}].${key}' cannot be empty.`);
          else if (v.length > LIMITS.trackingCode) errors.push(`'${path}[${i}].${key}' cannot be longer than ${LIMITS.trackingCode} characters.`);
        }
      });
      return;
    case 'object':
      if (!isPlainObject(value)) {
        errors.push(`'${path}' must be an object.`);
        return;
      }
      for (const key of kind.required ?? []) if (value[key] === undefined) errors.push(`'${path}.${key}' is required.`);
      for (const [key, member] of Object.entries(value)) {
        const memberKind = kind.members[key];
        if (memberKind === undefined) errors.push(`Unrecognized field '${path}.${key}'.`);
        else if (member === null) errors.push(`'${path}.${key}' cannot be null.`);
        else checkKind(`${path}.${key}`, memberKind, member, errors);
      }
  }
}

/** The body's shape: known fields, right types, nulls only where clearing is allowed. */
export function checkBody(body: Record<string, unknown>, clearable: ReadonlySet<string> = CLEARABLE): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const kind = STATE_FIELDS[key] ?? REQUEST_CONTROLS[key];
    if (kind === undefined) {
      errors.push(RESPONSE_ONLY_FIELDS.has(key) ? `'${key}' is a read-only field and cannot be updated.` : `Unrecognized field '${key}'.`);
    } else if (value === null) {
      if (!clearable.has(key)) errors.push(`'${key}' cannot be null.`);
    } else checkKind(key, kind, value, errors);
  }
  return errors;
}

export interface Candidate {
  settings: Record<string, unknown>;
  startMs: number;
  endMs: number;
}

function hasMember(body: Record<string, unknown>, object: string, member: string): boolean {
  const o = body[object];
  return isPlainObject(o) && o[member] !== undefined && o[member] !== null;
}

/** The fields that place a series' meetings: a write of any of them places its start anew (startAtFirstMeeting). */
const TIMING = ['start', 'end', 'recurrence', 'timezone'] as const;

/**
 * MeetingSeriesObject.start: "If the meeting is a meeting series, `start` is the date and time the
 * first meeting of the series starts" (MeetingObjectForListMeeting.start: "the scheduled start time of
 * the first occurrence of this series"). A start the rule does not produce (a Monday, for Tuesdays)
 * is stored as the first meeting's, and the end the same time later; the meetings stay the rule's.
 */
function startAtFirstMeeting(candidate: Candidate, rule: string, zone: string): void {
  const first = firstMeetingMs(rule, candidate.startMs, zone);
  if (first === undefined || first === candidate.startMs) return;
  candidate.endMs = first + (candidate.endMs - candidate.startMs);
  candidate.startMs = first;
}

/** Resolve derived values and check the meeting as a whole; returns the messages of every broken rule. */
export function validate(candidate: Candidate, body: Record<string, unknown>, found: Found, nowMs: number): string[] {
  const errors: string[] = [];
  const s = candidate.settings;
  const webinar = found.series.scheduledType === 'webinar';
  const onSeries = found.kind === 'series';

  if (!onSeries) for (const key of SERIES_ONLY_FIELDS) if (key in body) errors.push(`'${key}' can only be set on a meeting series, not on a scheduled meeting.`);

  if (typeof s.title !== 'string' || s.title.trim() === '') errors.push(`'title' cannot be empty.`);
  else if (s.title.length > LIMITS.title) errors.push(`'title' cannot be longer than ${LIMITS.title} characters.`);
  if (typeof s.agenda === 'string' && s.agenda.length > LIMITS.agenda) errors.push(`'agenda' cannot be longer than ${LIMITS.agenda} characters.`);
  if (typeof s.password !== 'string' || s.password === '') errors.push(`'password' cannot be empty.`);

  const zone = s.timezone;
  if (!isValidZone(zone)) errors.push(`'timezone' '${String(zone)}' is not an IANA time zone.`);
  else {
    const zoneOk = zone;
    for (const key of ['start', 'end'] as const) {
      if (body[key] === undefined) continue;
      const ms = parseDateTime(body[key], zoneOk);
      if (ms === undefined) {
        errors.push(`'${key}' '${String(body[key])}' is not an ISO 8601 date-time.`);
        continue;
      }
      if (ms < nowMs) errors.push(`'${key}' cannot be before the current date and time.`);
      // Kept to the minute: a start within the current minute moves to the next one.
      const minute = Math.floor(ms / MINUTE);
      const sameMinute = key === 'start' && minute === Math.floor(nowMs / MINUTE);
      candidate[key === 'start' ? 'startMs' : 'endMs'] = (sameMinute ? minute + 1 : minute) * MINUTE;
    }
  }
  const duration = candidate.endMs - candidate.startMs;
  if (duration <= 0) errors.push(`'start' must be before 'end'.`);
  else if (duration < LIMITS.minDurationMs) errors.push('The duration between start and end cannot be shorter than 10 minutes.');
  else if (duration > LIMITS.maxDurationMs) errors.push('The duration between start and end cannot be longer than 23 hours 59 minutes.');

  if (typeof s.recurrence === 'string' && onSeries) {
    const ruleZone = isValidZone(s.timezone) ? s.timezone : 'UTC';
    const rule = normalizeRule(s.recurrence, nowMs, { firstStartMs: candidate.startMs, zone: ruleZone });
    if (rule.ok) {
      s.recurrence = rule.rule;
      if (TIMING.some((key) => body[key] !== undefined)) startAtFirstMeeting(candidate, rule.rule, ruleZone);
    } else errors.push(`'recurrence': ${rule.message}.`);
  }
  // After the rule has placed the start: the start kept is the one held to the limit.
  if (TIMING.some((key) => body[key] !== undefined) && candidate.startMs >= addYears(nowMs, LIMITS.notUpdatableYears))
    errors.push(`'start' cannot be 10 or more years from now.`);

  // Join before host: the minutes need the switch; turning the switch off resets what depends on it.
  if (s.enabledJoinBeforeHost !== true) {
    if (typeof body.joinBeforeHostMinutes === 'number' && body.joinBeforeHostMinutes !== 0)
      errors.push(`'joinBeforeHostMinutes' can only be set when 'enabledJoinBeforeHost' is true.`);
    if (body.enableConnectAudioBeforeHost === true) errors.push(`'enableConnectAudioBeforeHost' can only be true when 'enabledJoinBeforeHost' is true.`);
    if (body.joinBeforeHostMinutes === undefined) s.joinBeforeHostMinutes = 0;
    if (body.enableConnectAudioBeforeHost === undefined) s.enableConnectAudioBeforeHost = false;
  }
  const allowed: readonly number[] = JOIN_BEFORE_HOST_MINUTES[webinar ? 'webinar' : 'meeting'];
  if (typeof s.joinBeforeHostMinutes === 'number' && !allowed.includes(s.joinBeforeHostMinutes))
    errors.push(`'joinBeforeHostMinutes' must be one of ${allowed.join(', ')} for a ${webinar ? 'webinar' : 'meeting'}.`);

  const options = isPlainObject(s.meetingOptions) ? s.meetingOptions : {};
  if (!webinar && options.enabledPolling === true) errors.push(`'meetingOptions.enabledPolling' can only be true for a webinar.`);
  if (options.enabledNote !== true) {
    if (hasMember(body, 'meetingOptions', 'noteType')) errors.push(`'meetingOptions.noteType' can only be set when 'meetingOptions.enabledNote' is true.`);
    if (isPlainObject(s.meetingOptions)) s.meetingOptions = { ...options, noteType: 'allowAll' };
  }
  const audio = isPlainObject(s.audioConnectionOptions) ? s.audioConnectionOptions : {};
  if (!webinar && audio.enabledAudienceCallBack === true) errors.push(`'audioConnectionOptions.enabledAudienceCallBack' can only be true for a webinar.`);
  if (webinar && body.attendeePrivileges !== undefined) errors.push(`'attendeePrivileges' is not supported for a webinar.`);

  if (s.enabledVisualWatermark !== true) {
    if (body.visualWatermarkOpacity !== undefined) errors.push(`'visualWatermarkOpacity' can only be set when 'enabledVisualWatermark' is true.`);
    delete s.visualWatermarkOpacity;
  } else if (typeof s.visualWatermarkOpacity === 'number' && (s.visualWatermarkOpacity < LIMITS.opacityMin || s.visualWatermarkOpacity > LIMITS.opacityMax)) {
    errors.push(`'visualWatermarkOpacity' must be between ${LIMITS.opacityMin} and ${LIMITS.opacityMax}.`);
  }

  if (!webinar) {
    if (s.requireAttendeeLogin === true) errors.push(`'requireAttendeeLogin' is a webinar option; this meeting is not a webinar.`);
    if (s.restrictToInvitees === true) errors.push(`'restrictToInvitees' is a webinar option; this meeting is not a webinar.`);
    if (body.panelistPassword !== undefined && body.panelistPassword !== null) errors.push(`'panelistPassword' is a webinar option; this meeting is not a webinar.`);
  } else if (s.restrictToInvitees === true && s.requireAttendeeLogin !== true) {
    errors.push(`'restrictToInvitees' cannot be true when 'requireAttendeeLogin' is false.`);
  }

  if (Array.isArray(s.integrationTags)) {
    const tags = s.integrationTags as string[];
    if (tags.length > LIMITS.integrationTags) errors.push(`'integrationTags' can have at most ${LIMITS.integrationTags} items.`);
    for (const tag of tags) {
      if (typeof tag === 'string' && tag.length > LIMITS.integrationTag) errors.push(`'integrationTags' item '${tag.slice(0, 20)}…' is longer than ${LIMITS.integrationTag} characters.`);
      if (tag === '') errors.push(`'integrationTags' items cannot be empty.`);
    }
    if (tags.length === 0) delete s.integrationTags;
  }
  if (Array.isArray(s.trackingCodes) && s.trackingCodes.length === 0) delete s.trackingCodes;
  return errors;
}

export function withoutRequestControls(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!(k in REQUEST_CONTROLS) && k !== 'start' && k !== 'end') out[k] = v;
  return out;
}

/** What a meeting keeps through a PUT that leaves them out: it cannot be without a title or password, and its times are read in its zone. */
const PUT_KEEPS = ['title', 'password', 'panelistPassword', 'timezone'];

/**
 * What a PUT falls back to for every field its body leaves out: what the meeting would be had no
 * write set it. For a series, the API's defaults. A scheduled meeting that was never updated is its
 * series' copy, and an update of it is "without impact on other scheduled meeting" (the reference's
 * first paragraph), so it falls back to its series' values, not to defaults the series never had.
 * UpdateMeetingObject has no `required` and says nothing of left-out fields: the replacement is
 * the emulator's reading of PUT beside PATCH.
 */
function putBase(found: Found, current: Record<string, unknown>): Record<string, unknown> {
  const base = found.kind === 'series' ? defaultSettings(found.series.id, found.series.scheduledType) : inheritedSettings(found.series);
  for (const key of PUT_KEEPS) if (current[key] !== undefined) base[key] = current[key];
  if (found.series.scheduledType !== 'webinar') delete base.panelistPassword;
  return base;
}

/** `client`: the integration writing; its integration tags are the only ones the write sees and replaces. */
export function prepareUpdate(
  store: MeetingStore,
  found: Found,
  body: Record<string, unknown>,
  method: 'PATCH' | 'PUT',
  nowMs: number,
  client: string = DEFAULT_CLIENT,
): UpdateOutcome {
  const blocked = notUpdatable(store, found, nowMs);
  if (blocked) return { ok: false, ...blocked };
  const shape = checkBody(body, method === 'PUT' ? PUT_CLEARABLE : CLEARABLE);
  if (shape.length > 0) return refuse(400, ...shape);
  const { series } = found;
  const hostCodes = codesOfUser(store.trackingCodes, series.hostEmail);
  const codes = Array.isArray(body.trackingCodes) ? checkSelectCodes(body.trackingCodes, hostCodes) : [];
  if (codes.length > 0) return refuse(400, ...codes);

  const current =
    found.kind === 'series' ? { ...series.settings, integrationTags: tagsFor(series, client) } : (found.occurrence.record?.settings ?? inheritedSettings(series));
  const statePatch = withoutRequestControls(body);
  const base = method === 'PUT' ? putBase(found, current) : current;
  const settings = mergePatch(base, statePatch) as Record<string, unknown>;
  // UpdateMeetingObject.trackingCodes: an optional code "missing from the trackingCodes array" gets its
  // default option. A PUT sets the array whether or not it sends one (what putBase gives when it
  // does not), so the rule applies to that array as to an empty one.
  const codesSet = Array.isArray(body.trackingCodes) ? body.trackingCodes : method === 'PUT' ? (Array.isArray(settings.trackingCodes) ? settings.trackingCodes : []) : undefined;
  if (codesSet !== undefined) settings.trackingCodes = withDefaultCodes(codesSet, hostCodes);
  if (found.kind === 'occurrence') for (const key of SERIES_ONLY_FIELDS) delete settings[key];
  const candidate: Candidate = {
    settings,
    startMs: found.kind === 'series' ? series.startMs : found.occurrence.startMs,
    endMs: found.kind === 'series' ? series.endMs : found.occurrence.endMs,
  };
  const errors = validate(candidate, body, found, nowMs);
  if (errors.length > 0) return refuse(400, ...errors);
  // Tags are kept per client beside the settings, not in them.
  const tags = settings.integrationTags as string[] | undefined;
  delete settings.integrationTags;

  return {
    ok: true,
    commit: () => {
      if (found.kind === 'series') {
        const rescheduled =
          candidate.startMs !== series.startMs || candidate.endMs !== series.endMs || !deepEqual(settings.recurrence, series.settings.recurrence);
        if (rescheduled) {
          // paths./meetings/{meetingId}.patch.description (and .put): "If the value of start, end, or
          // recurrence for the meeting series is changed, any exceptional scheduled meeting in this series
          // is cancelled". Our reading, not the description's words: the exception is cancelled and the
          // scheduled meeting reverts to the series under the same id (isModified false), because the id
          // names the original start, which the series still has wherever the new layout keeps that id
          // (MeetingSeriesObject.id, the PATCH example's `<seriesId>_<start>`); "cancelled" might instead mean
          // deleted, and nothing in the description settles it. A meeting that has ended or is in
          // progress is left alone: the update "doesn't apply to ended or in-progress meeting instances"
          // (same description), and neither does a cancel (paths./meetings/{meetingId}.delete.description).
          // A deleted scheduled meeting is not exceptional and stays deleted, "The deleted meeting cannot
          // be recovered" (.delete.description); its record is kept even when the new layout lacks the id,
          // as the layout (model.ts expansion) only looks records up by the ids of the rule.
          for (const [id, record] of series.overrides) if (record.isModified && !record.cancelled && stillToCome(store, id, nowMs)) series.overrides.delete(id);
        }
        series.settings = settings;
        setTags(series, client, tags);
        series.startMs = candidate.startMs;
        series.endMs = candidate.endMs;
        store.touch(series);
        return series.id;
      }
      const { occurrence } = found;
      const record: OccurrenceRecord = series.overrides.get(occurrence.id) ?? { id: occurrence.id, isModified: false };
      record.settings = settings;
      record.startMs = candidate.startMs;
      record.endMs = candidate.endMs;
      record.isModified = true;
      series.overrides.set(occurrence.id, record);
      store.touch(series);
      return occurrence.id;
    },
  };
}
