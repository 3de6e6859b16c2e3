/**
 * Changes made behind the API's back, for drift and stale-plan tests: merged straight into the
 * state with no rules applied and nothing logged.
 */
import { STATE_FIELDS } from './fields.js';
import type { ScheduledType } from './generated.js';
import { isPlainObject, mergePatch } from './merge.js';
import { DEFAULT_CLIENT, inheritedSettings, setTags, timezoneOf, type MeetingStore, type OccurrenceRecord } from './model.js';
import { parseDateTime } from './time.js';

const SERIES_STATES = ['active', 'inProgress', 'expired'];
const OCCURRENCE_STATES = ['scheduled', 'ready', 'lobby', 'inProgress', 'ended', 'missed'];

function instant(value: unknown, zone: string, key: string): number {
  const ms = parseDateTime(value, zone);
  if (ms === undefined) throw new Error(`${key} must be an ISO 8601 date-time`);
  return ms;
}

export function editMeeting(store: MeetingStore, id: string, patch: Record<string, unknown>): void {
  if (!isPlainObject(patch)) throw new Error('editMeeting: the patch must be an object');
  const found = store.find(id);
  if (found === undefined) throw new Error(`editMeeting: no meeting ${id}`);
  const { series } = found;
  const settingsPatch: Record<string, unknown> = {};
  const extraPatch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'integrationTags') continue;
    if (key in STATE_FIELDS && key !== 'start' && key !== 'end') settingsPatch[key] = value;
    else if (!['start', 'end', 'state', 'isModified', 'hostEmail', 'scheduledType', 'roomId', 'createdByCalendarConnector', 'id', 'invitees', 'adhoc'].includes(key)) extraPatch[key] = value;
  }
  // Tags set behind the API's back are the default client's (the one every token without a clientId belongs to).
  if (patch.integrationTags !== undefined) setTags(series, DEFAULT_CLIENT, Array.isArray(patch.integrationTags) ? patch.integrationTags.map(String) : undefined);
  if (found.kind === 'series') {
    series.settings = mergePatch(series.settings, settingsPatch) as Record<string, unknown>;
    series.identity = mergePatch(series.identity, extraPatch) as Record<string, unknown>;
    const zone = timezoneOf(series);
    if (patch.start !== undefined) series.startMs = instant(patch.start, zone, 'start');
    if (patch.end !== undefined) series.endMs = instant(patch.end, zone, 'end');
    if (patch.state !== undefined) series.state = patch.state === null ? undefined : String(patch.state);
    if (typeof patch.hostEmail === 'string') series.hostEmail = patch.hostEmail;
    if (Array.isArray(patch.invitees)) series.invitees = patch.invitees.map((x) => String(x).toLowerCase());
    if (typeof patch.scheduledType === 'string') series.scheduledType = patch.scheduledType as ScheduledType;
    if (patch.roomId !== undefined) series.roomId = patch.roomId === null ? undefined : String(patch.roomId);
    if (patch.adhoc !== undefined) series.adhoc = patch.adhoc === true;
    if (patch.createdByCalendarConnector !== undefined) series.createdByCalendarConnector = patch.createdByCalendarConnector === true;
  } else {
    const { occurrence } = found;
    const record: OccurrenceRecord = series.overrides.get(occurrence.id) ?? { id: occurrence.id, isModified: false };
    const changesSettings = Object.keys(settingsPatch).length > 0 || patch.start !== undefined || patch.end !== undefined;
    if (Object.keys(settingsPatch).length > 0) record.settings = mergePatch(record.settings ?? inheritedSettings(series), settingsPatch) as Record<string, unknown>;
    if (Object.keys(extraPatch).length > 0) record.extra = mergePatch(record.extra ?? {}, extraPatch) as Record<string, unknown>;
    const zone = typeof record.settings?.timezone === 'string' ? record.settings.timezone : timezoneOf(series);
    if (patch.start !== undefined) record.startMs = instant(patch.start, zone, 'start');
    if (patch.end !== undefined) record.endMs = instant(patch.end, zone, 'end');
    if (record.startMs !== undefined && record.endMs === undefined) record.endMs = occurrence.endMs;
    if (record.endMs !== undefined && record.startMs === undefined) record.startMs = occurrence.startMs;
    if (patch.state !== undefined) record.state = patch.state === null ? undefined : String(patch.state);
    // A scheduled meeting changed by hand in Webex becomes an exception of its series.
    record.isModified = typeof patch.isModified === 'boolean' ? patch.isModified : record.isModified || changesSettings;
    series.overrides.set(occurrence.id, record);
  }
  store.touch(series);
}

export function setState(store: MeetingStore, id: string, state: string): void {
  const found = store.find(id);
  if (found === undefined) throw new Error(`setState: no meeting ${id}`);
  const allowed = found.kind === 'series' ? SERIES_STATES : OCCURRENCE_STATES;
  if (!allowed.includes(state)) throw new Error(`setState: '${state}' is not a state of a ${found.kind === 'series' ? 'meeting series' : 'scheduled meeting'} (${allowed.join(', ')})`);
  if (found.kind === 'series') found.series.state = state;
  else {
    const record = found.series.overrides.get(found.occurrence.id) ?? { id: found.occurrence.id, isModified: false };
    record.state = state;
    found.series.overrides.set(found.occurrence.id, record);
  }
  store.touch(found.series);
}

export function deleteMeeting(store: MeetingStore, id: string): void {
  const found = store.find(id);
  if (found === undefined) throw new Error(`deleteMeeting: no meeting ${id}`);
  store.delete(found);
}
