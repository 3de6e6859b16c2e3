/**
 * The Webex rules that need the live meeting: can it be updated at all, does the file suit its
 * kind (meeting or webinar), is each value's switch on once the file's values are applied, and
 * Webex's time limits on the start and end it will have.
 */
import type { JsonObject } from '../core/plan.js';
import { LIMITS, MEETING_FIELDS, updatableUntil } from './catalogue.js';
import type { Meeting } from './client.js';
import { fieldsRequiring, kindOf, kindProblem, needsSwitch, setFields, switchNeeded, switchPathOf, valueAt } from './field-rules.js';
import { liveInstant } from './normalize.js';

const MINUTE = 60_000;

export interface Problem {
  field: string;
  message: string;
}

/**
 * Why Webex refuses to update this meeting, or undefined when it can be updated. What a read
 * shows is all there is to go on: an ad-hoc meeting (`adhoc: true` with a `roomId`) is refused
 * too, but a response does not say `adhoc`, and a `roomId` alone (a meeting scheduled in a space)
 * is no reason, so apply recognises that refusal from the server's answer.
 */
export function notUpdatableReason(meeting: Meeting, nowMs: number): string | undefined {
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
  if (start !== undefined && start >= updatableUntil(nowMs)) {
    return `it starts ${LIMITS.notUpdatableYearsAhead} or more years from now; Webex refuses to update it`;
  }
  return undefined;
}

/**
 * Why Webex refuses to delete this scheduled meeting, or undefined when it can be. Fewer reasons
 * than an update's: paths./meetings/{meetingId}.delete "doesn't apply to ended or in-progress
 * meeting instances" (and ad-hoc meetings, which a read cannot show), and names no personal room,
 * missed or far-ahead exception.
 */
export function notDeletableReason(meeting: Meeting): string | undefined {
  switch (meeting.state) {
    case 'inProgress':
    case 'lobby':
      return 'the meeting is in progress';
    case 'ended':
      return 'the meeting has ended';
  }
  return undefined;
}

/**
 * The meeting's host when it is not `wanted` (emails compare without case), else undefined: a read
 * or a create's answer says who the host really is, whatever hostEmail asked for.
 */
export function otherHost(wanted: string | undefined, meeting: Meeting): string | undefined {
  const host = typeof meeting.hostEmail === 'string' ? meeting.hostEmail : undefined;
  return wanted === undefined || host === undefined || host.toLowerCase() === wanted.toLowerCase() ? undefined : host;
}

/** The fields whose requirement Webex checks on the meeting as it will be (`Requirement.checkedOnResult`). */
const CHECKED_ON_RESULT = fieldsRequiring((requires) => requires.checkedOnResult === true);

/**
 * Rules that need the live meeting: webinar or not, and the switches the file may leave to the
 * live value. `subject` says what the meeting is, for the messages (`<id> is a meeting`).
 */
export function liveStateProblems(fields: Record<string, unknown>, live: Meeting, subject = `${live.id} is a ${kindOf(live)}`): Problem[] {
  const kind = kindOf(live);
  const set = setFields(fields);
  const problems: Problem[] = [];
  for (const field of set) {
    const message = kindProblem(field, kind, subject);
    if (message !== undefined) problems.push({ field: field.path.join('.'), message });
  }
  const refused = new Set(problems.map((p) => p.field));
  for (const field of set) {
    const switchPath = switchNeeded(field);
    const name = field.path.join('.');
    if (switchPath === undefined || refused.has(name)) continue;
    // The file's switch when it sets one, else the live one.
    const wanted = valueAt(fields, switchPath);
    if ((wanted === undefined ? valueAt(live, switchPath) : wanted) !== true) {
      problems.push({ field: name, message: `${name} needs ${switchPath.join('.')}: true` });
    }
  }
  // A switch the file turns off under a live value that still needs it, where Webex refuses that.
  for (const { path, requires } of CHECKED_ON_RESULT) {
    const switchPath = switchPathOf(path, requires);
    const value = valueAt(live, path);
    if (valueAt(fields, switchPath) !== false || valueAt(fields, path) !== undefined || !needsSwitch(requires, value)) continue;
    const name = path.join('.');
    const switchName = switchPath.join('.');
    problems.push({ field: switchName, message: `${switchName} cannot be false while ${name} is ${String(value)}: Webex refuses ${name} without it, so set ${name}: false too` });
  }
  return problems;
}

/**
 * A meeting meetctl is about to create, as the rules see it: a regular meeting (a create cannot
 * send scheduledType, and CreateMeetingObject.scheduledType is "a regular meeting by default")
 * with each field the API assumes when a read leaves it out at that value; any other switch is
 * taken as off, so a file that needs one on says so.
 */
export function newMeetingState(id: string): Meeting {
  const state: Meeting = { id, meetingType: 'meetingSeries', scheduledType: 'meeting' };
  for (const spec of MEETING_FIELDS) if (spec.apiDefault !== undefined) state[spec.name] = spec.apiDefault;
  return state;
}

/** What a create's messages say the meeting is. */
export const CREATED_MEETING = 'meetctl creates regular meetings';

/**
 * Webex's time limits, checked on the start/end the meeting will have after the patch. A create
 * checks its start itself (it must be in the future, and its reason says what to do), so not here.
 */
export function timeProblems(patch: JsonObject, live: Meeting, nowMs: number, creating = false): Problem[] {
  if (patch.start === undefined && patch.end === undefined) return [];
  const problems: Problem[] = [];
  const start = liveInstant(patch.start ?? live.start);
  const end = liveInstant(patch.end ?? live.end);
  const nowIso = new Date(nowMs).toISOString();
  if (!creating && patch.start !== undefined && start !== undefined && start < nowMs - MINUTE) {
    problems.push({ field: 'start', message: `start ${String(patch.start)} is in the past (server time ${nowIso})` });
  }
  if (!creating && patch.end !== undefined && end !== undefined && end < nowMs) {
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
