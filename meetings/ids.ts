/**
 * Scheduled meeting ids: `<seriesId>_<YYYYMMDDTHHMMSSZ>`, the series id and the occurrence's
 * original start in UTC. The one reader of that shape: validation, planning and fetching all
 * take the original start from here, so none of them accepts a date that does not exist. An
 * occurrence may name its original start instead (`at:`), read here too.
 */

import { parseMeetingTime } from './time.js';

export const SCHEDULED_MEETING_ID = /^([0-9A-Za-z]+)_((\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z)$/;

/** The series an id names, when it has the shape of a scheduled meeting id (whether or not its date exists). */
export function seriesOfScheduledId(id: string): string | undefined {
  return SCHEDULED_MEETING_ID.exec(id)?.[1];
}

/**
 * Whether a listed scheduled meeting belongs to `seriesId`: by its `meetingSeriesId` (the field
 * MeetingObjectForListMeeting documents), by its id's prefix only when a list item leaves it out.
 */
export function ofSeries(meeting: { id: string; meetingSeriesId?: unknown }, seriesId: string): boolean {
  return seriesOfListed(meeting) === seriesId;
}

/** The series a listed scheduled meeting belongs to, as `ofSeries` reads it. */
export function seriesOfListed(meeting: { id: string; meetingSeriesId?: unknown }): string | undefined {
  return typeof meeting.meetingSeriesId === 'string' ? meeting.meetingSeriesId : seriesOfScheduledId(meeting.id);
}

/** The original start (epoch ms) an id names; undefined unless it is a real UTC date-time such as 20270302T100000Z, not 20270230T100000Z. */
export function originalStartOf(id: string): number | undefined {
  let ms = originalStarts.get(id);
  if (ms === undefined) {
    if (originalStarts.size >= ORIGINAL_STARTS_KEPT) originalStarts.clear();
    ms = readOriginalStart(id);
    originalStarts.set(id, ms);
  }
  return ms ?? undefined;
}

// Validation, duplicate checks, planning and fetching each read every declared id: once per id.
const originalStarts = new Map<string, number | null>();
const ORIGINAL_STARTS_KEPT = 50_000;

function readOriginalStart(id: string): number | null {
  const m = SCHEDULED_MEETING_ID.exec(id);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(3).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 30 February over into March: a date that comes back different never existed.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return ms;
}

/**
 * The original start an occurrence's `at:` names (epoch ms), or why it names none. It must carry
 * its offset or Z: an override names one instant, read the same whatever the file's timezone.
 */
export function parseOriginalStart(at: string): { ok: true; ms: number } | { ok: false; message: string } {
  // Any zone will do: a value with an offset ignores it, and one without is refused below.
  const parsed = parseMeetingTime(at, 'UTC');
  if (!parsed.ok) return parsed;
  if (!parsed.hasOffset) return { ok: false, message: `'${at}' has no offset: write the original start with its offset or Z, e.g. 2027-03-16T09:00:00+01:00` };
  return { ok: true, ms: parsed.epochMs };
}

/** The id of the scheduled meeting of `seriesId` whose original start is `originalStartMs`. */
export function scheduledIdFor(seriesId: string, originalStartMs: number): string {
  const stamp = new Date(originalStartMs).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `${seriesId}_${stamp}`;
}

/** The original start a declared occurrence names, by its id or its `at:`; undefined when neither gives one. */
export function originalStartNamed(occurrence: { id?: string; at?: string }): number | undefined {
  if (occurrence.id !== undefined) return originalStartOf(occurrence.id);
  if (occurrence.at === undefined) return undefined;
  const at = parseOriginalStart(occurrence.at);
  return at.ok ? at.ms : undefined;
}
