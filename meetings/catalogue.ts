/**
 * The Webex field catalogue: one table that says, for every field of a meeting, whether a
 * desired file may set it, where it applies (series only, webinar only, not for a webinar),
 * whether it can be cleared with null, whether it is secret, which switch it needs, how two
 * values of it compare, and the value the API assumes when it is absent. The schema test, the
 * normalizer, the differ, import, apply's response check and the cross-field rules read this
 * table instead of scattering `if (field === ...)` checks across files.
 *
 * Field names and types follow the official `PatchMeetingObject` (Webex Meetings OpenAPI,
 * CC BY 4.0); descriptions are ours.
 */

import { addYearsUtc } from './time.js';

export type FieldType = 'string' | 'boolean' | 'number' | 'datetime' | 'object' | 'array';

/**
 * How a desired value and a live one compare: as instants kept to the minute, as recurrence
 * rules the way Webex stores them, as sets of strings, as tracking-code lists with the site's
 * defaults added, as an object merged member by member, or as plain values.
 */
export type CompareKind = 'instant' | 'rule' | 'unorderedSet' | 'trackingCodes' | 'mergedObject' | 'scalar';

/**
 * A value that only means something while another field of the same object is on: the file
 * contradicts itself when it sets this value and turns the switch off.
 */
export interface Requirement {
  /** The switch, a sibling of the field (in the same object). */
  field: string;
  value: true;
  /** When the field's value needs the switch: it is true, it is set at all, or it is a number above 0. */
  when: 'true' | 'set' | 'positive';
  /** The code of validate's diagnostic. */
  code: string;
  /** What Webex reports for the field while the switch is off: that value needs no switch, and is never sent with the switch off. */
  offValue?: string;
  /**
   * Webex checks the requirement on the meeting as it will be, not only on the values sent: turning
   * the switch off while the live value still needs it is refused, where other switches reset it.
   */
  checkedOnResult?: true;
}

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** `series`: only a meeting series accepts it (never sent to a scheduled meeting). */
  scope: 'any' | 'series';
  /** An explicit `null` in a desired file clears it. */
  clearable?: boolean;
  /** Value must never be printed; a file gives it as `${env:NAME}`. */
  sensitive?: boolean;
  /**
   * A member whose value is never printed, though a file writes it out (not a secret reference):
   * an RTMP ingest URL carries the stream key, and a drift report is posted where many can read it.
   */
  concealed?: boolean;
  /** The value the API assumes when the field is absent from a response. */
  apiDefault?: unknown;
  compare: CompareKind;
  /** Nested members, for `object` fields. */
  members?: readonly FieldSpec[];
  /** Only meaningful for a webinar: a meeting refuses `true` (or, for a field that is not a switch, any value). */
  webinarOnly?: boolean;
  /** Refused for a webinar. */
  notForWebinar?: boolean;
  /** The values a meeting and a webinar each accept, when the two differ. */
  valuesByKind?: { meeting: readonly number[]; webinar: readonly number[] };
  requires?: Requirement;
  /**
   * Webex takes the object whole: its schema requires these members in every body that carries it.
   * A file gives them all, and a change sends the file's object as written, not only what differs.
   */
  sentWhole?: { required: readonly string[] };
  /** The warning a plan gives when a file sets the field to `[]`. */
  emptyListWarning?: string;
  /**
   * Reads never reveal the value the server stored: the response echoes what the request asked
   * for. Such a field is never compared nor fingerprinted; the file's value is sent together with
   * a change of any field of `sentWith` (so the server applies that change in it), never alone.
   */
  unrevealed?: {
    sentWith: readonly string[];
    /** The plan's one note about it, given how many files declare it. */
    note: (files: number) => string;
  };
  description: string;
}

/** Changing one of these on a series cancels its exceptional (modified) scheduled meetings. */
export const SERIES_RESCHEDULING_FIELDS = ['start', 'end', 'recurrence'] as const;

export const JOIN_BEFORE_HOST_MINUTES = { meeting: [0, 5, 10, 15], webinar: [0, 15, 30, 45, 60] } as const;

const field = (type: FieldType) => (name: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type,
  scope: 'any',
  compare: 'scalar',
  description,
  ...extra,
});
const bool = field('boolean');
const str = field('string');
const num = field('number');
const instant = (name: string, description: string): FieldSpec => field('datetime')(name, description, { compare: 'instant' });
const list = field('array');
const object = (name: string, description: string, members: readonly FieldSpec[], extra: Partial<FieldSpec> = {}): FieldSpec =>
  field('object')(name, description, { compare: 'mergedObject', members, ...extra });
const needs = (switchField: string, when: Requirement['when'], code: string, extra: Pick<Requirement, 'offValue' | 'checkedOnResult'> = {}): Requirement => ({
  field: switchField,
  value: true,
  when,
  code,
  ...extra,
});

export const MEETING_OPTION_FIELDS: readonly FieldSpec[] = [
  bool('enabledChat', 'Attendees may chat.'),
  bool('enabledVideo', 'Attendees may send video.'),
  bool('enabledPolling', 'Attendees may take part in polls; true only for a webinar.', { webinarOnly: true }),
  bool('enabledNote', 'Note taking is on.'),
  // MeetingSeriesObject.meetingOptions.noteType: "If the value of enabledNote is false, users cannot set this attribute and get the default value allowAll."
  str('noteType', 'allowAll: everyone takes notes; allowOne: a single note taker. allowOne needs enabledNote.', {
    requires: needs('enabledNote', 'set', 'rule.noteTypeNeedsNote', { offValue: 'allowAll' }),
  }),
  bool('enabledFileTransfer', 'Attendees may transfer files.'),
  bool('enabledUCFRichMedia', 'Attendees may share UCF rich media files.'),
];

export const ATTENDEE_PRIVILEGE_FIELDS: readonly FieldSpec[] = [
  bool('enabledShareContent', 'Attendees may share content.'),
  bool('enabledSaveDocument', 'Attendees may save shared documents.'),
  bool('enabledPrintDocument', 'Attendees may print shared documents.'),
  bool('enabledAnnotate', 'Attendees may annotate shared documents.'),
  bool('enabledViewParticipantList', 'Attendees may see the participant list.'),
  bool('enabledViewThumbnails', 'Attendees may see page thumbnails.'),
  bool('enabledRemoteControl', 'Attendees may control applications remotely.'),
  bool('enabledViewAnyDocument', 'Attendees may view any shared document.'),
  bool('enabledViewAnyPage', 'Attendees may scroll through any page.'),
  bool('enabledContactOperatorPrivately', 'Attendees may contact the operator privately.'),
  bool('enabledChatHost', 'Attendees may chat privately with the host.'),
  bool('enabledChatPresenter', 'Attendees may chat privately with the presenter.'),
  bool('enabledChatOtherParticipants', 'Attendees may chat privately with each other.'),
];

export const AUDIO_CONNECTION_FIELDS: readonly FieldSpec[] = [
  str('audioConnectionType', 'webexAudio, VoIP, other or none.'),
  bool('enabledTollFreeCallIn', 'Show toll-free call-in numbers.'),
  bool('enabledGlobalCallIn', 'Show global call-in numbers.'),
  bool('enabledAudienceCallBack', 'Attendees may get a call back; true only for a webinar.', { webinarOnly: true }),
  str('entryAndExitTone', 'beep, announceName or noTone.'),
  bool('allowHostToUnmuteParticipants', 'The host may unmute participants.'),
  bool('allowAttendeeToUnmuteSelf', 'Attendees may unmute themselves.'),
  bool('muteAttendeeUponEntry', 'Attendees are muted when they join.'),
];

export const LIVE_STREAM_FIELDS: readonly FieldSpec[] = [
  str('destination', 'Live stream destination.'),
  str('rtmpUrl', 'RTMP ingest URL (it carries the stream key: never printed).', { concealed: true }),
  str('streamUrl', 'Public stream URL.'),
  str('layoutWithoutSharedContent', 'grid, stack or focus.'),
  str('layoutWithSharedContent', 'stack, focusedContentWithActiveSpeaker or focusedContent.'),
  bool('allowChangeLayoutInMeeting', 'The layout may change during the meeting.'),
  bool('followStageLayoutWhenSynced', 'Follow the stage layout when synced.'),
  str('resolution', 'Stream resolution.'),
];

/** Every field a desired meeting file may set (besides `id`, `occurrences` and the request controls). */
export const MEETING_FIELDS: readonly FieldSpec[] = [
  str('title', 'Meeting title, at most 128 characters.'),
  str('agenda', 'Agenda, at most 1300 characters; null clears it.', { clearable: true }),
  str('password', 'Meeting password, given as ${env:NAME}.', { sensitive: true }),
  instant('start', 'Start, ISO 8601; without an offset it is read in `timezone`. Kept to the minute.'),
  instant('end', 'End, ISO 8601; without an offset it is read in `timezone`. Kept to the minute.'),
  {
    name: 'timezone',
    type: 'string',
    scope: 'any',
    compare: 'scalar',
    // A response's `timezone` is "the time zone of start and end": the zone the request asked
    // for (meetctl reads in UTC), not the zone the meeting was scheduled in.
    unrevealed: {
      sentWith: SERIES_RESCHEDULING_FIELDS,
      note: (n) =>
        `timezone: Webex does not reveal the zone a meeting was scheduled in, so ${n} file${n === 1 ? "'s" : "s'"} \`timezone\` cannot be checked; ` +
        'meetctl compares instants and sends `timezone` with each start, end or recurrence change',
    },
    description: 'IANA time zone the meeting is scheduled in, and that start and end without an offset are read in, e.g. Europe/Berlin. Not revealed by reads: sent with each start, end or recurrence change.',
  },
  str('recurrence', 'RFC 2445 rule, e.g. FREQ=WEEKLY;INTERVAL=1;BYDAY=TU; null makes the series a single meeting.', { scope: 'series', clearable: true, compare: 'rule' }),
  bool('enabledAutoRecordMeeting', 'Record automatically.', { apiDefault: false }),
  bool('allowAnyUserToBeCoHost', 'Any attendee with a host account becomes a cohost.', { apiDefault: false }),
  bool('enabledJoinBeforeHost', 'Attendees may join before the host.', { apiDefault: false }),
  bool('enableConnectAudioBeforeHost', 'Attendees may connect audio before the host; needs enabledJoinBeforeHost.', {
    apiDefault: false,
    requires: needs('enabledJoinBeforeHost', 'true', 'rule.connectAudioNeedsJoinBeforeHost'),
  }),
  num('joinBeforeHostMinutes', 'Minutes attendees may join early: 0, 5, 10, 15 (webinar: 0, 15, 30, 45, 60). Needs enabledJoinBeforeHost.', {
    apiDefault: 0,
    valuesByKind: JOIN_BEFORE_HOST_MINUTES,
    requires: needs('enabledJoinBeforeHost', 'positive', 'rule.joinMinutesNeedJoinBeforeHost'),
  }),
  bool('excludePassword', 'Leave the password out of the invitation.', { apiDefault: false }),
  bool('publicMeeting', 'List the meeting on the public calendar.', { apiDefault: false }),
  num('reminderTime', 'Minutes before the start at which the host gets a reminder.'),
  str('unlockedMeetingJoinSecurity', 'allowJoin, allowJoinWithLobby or blockFromJoin.'),
  num('sessionTypeId', 'Meeting session type id.'),
  bool('enabledWebcastView', 'Webcast view is on.', { apiDefault: false }),
  str('panelistPassword', 'Webinar panelist password, given as ${env:NAME}.', { sensitive: true, webinarOnly: true }),
  bool('enableAutomaticLock', 'Lock the meeting automatically after it starts.', { apiDefault: false }),
  num('automaticLockMinutes', 'Minutes after the start at which the meeting locks.'),
  bool('allowFirstUserToBeCoHost', 'The first attendee with a host account becomes a cohost.', { apiDefault: false }),
  bool('allowAuthenticatedDevices', 'Authenticated devices of the organization join without a prompt.', { apiDefault: false }),
  object('meetingOptions', 'In-meeting options.', MEETING_OPTION_FIELDS),
  object('attendeePrivileges', 'Attendee privileges; not for a webinar.', ATTENDEE_PRIVILEGE_FIELDS, { notForWebinar: true }),
  list('integrationTags', 'Up to 3 external keys of at most 64 characters; series only. The whole list is replaced.', {
    scope: 'series',
    compare: 'unorderedSet',
    emptyListWarning: 'integrationTags: [] deletes every integration tag of the series',
  }),
  bool('enabledBreakoutSessions', 'Breakout sessions are on.', { apiDefault: false }),
  list('trackingCodes', 'Tracking codes ({name, value}, 1-120 characters each); the whole list is replaced; null clears it.', { clearable: true, compare: 'trackingCodes' }),
  bool('enabledAudioWatermark', 'Audio watermark is on.', { apiDefault: false }),
  bool('enabledVisualWatermark', 'Visual watermark is on.', { apiDefault: false }),
  num('visualWatermarkOpacity', 'Visual watermark opacity, 5-80; needs enabledVisualWatermark.', { requires: needs('enabledVisualWatermark', 'set', 'rule.opacityNeedsWatermark') }),
  object('audioConnectionOptions', 'Audio connection options.', AUDIO_CONNECTION_FIELDS),
  // Both "work when the value of scheduledType is webinar": a regular meeting's read leaves them out.
  bool('requireAttendeeLogin', 'Webinar attendees must sign in.', { webinarOnly: true, apiDefault: false }),
  // PatchMeetingObject.restrictToInvitees: "cannot be set to true if requireAttendeeLogin is false".
  bool('restrictToInvitees', 'Webinar restricted to invitees; needs requireAttendeeLogin.', {
    webinarOnly: true,
    apiDefault: false,
    requires: needs('requireAttendeeLogin', 'true', 'rule.restrictNeedsLogin', { checkedOnResult: true }),
  }),
  bool('enabledLiveStream', 'Live streaming is on.', { apiDefault: false }),
  // PatchMeetingObject.liveStream: "It applies when enabledLiveStream is true"; a LiveStreamObject requires destination, rtmpUrl and streamUrl.
  object('liveStream', 'Live stream settings.', LIVE_STREAM_FIELDS, {
    requires: needs('enabledLiveStream', 'set', 'rule.liveStreamNeedsEnabled'),
    sentWhole: { required: ['destination', 'rtmpUrl', 'streamUrl'] },
  }),
];

/** Request controls: sent with a PATCH, never compared as state. */
export const REQUEST_CONTROLS = ['sendEmail', 'hostEmail'] as const;

/** Fields only a server returns; a desired file that sets one is refused with the field named. */
export const RESPONSE_ONLY_FIELDS: readonly string[] = [
  'meetingNumber', 'phoneAndVideoSystemPassword', 'meetingType', 'state', 'hostDidJoin', 'attendeeDidJoin',
  'hostUserId', 'hostDisplayName', 'hostKey', 'siteUrl', 'webLink', 'registerLink', 'sipAddress',
  'dialInIpAddress', 'roomId', 'scheduledType', 'phoneAndVideoSystemPanelistPassword', 'telephony',
  'registration', 'simultaneousInterpretation', 'links', 'meetingSeriesId', 'scheduledMeetingId',
  'isModified', 'hasChat', 'hasRecording', 'hasTranscription', 'hasSummary', 'hasClosedCaption',
  'hasPolls', 'hasQA', 'hasSlido', 'hasRegistration', 'hasRegistrants', 'hasPostEventSurvey',
];

export const FIELD_BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(MEETING_FIELDS.map((f) => [f.name, f]));

/** Fields reads do not reveal (see `FieldSpec.unrevealed`). */
export const UNREVEALED_FIELDS: readonly FieldSpec[] = MEETING_FIELDS.filter((f) => f.unrevealed !== undefined);

/** Fields an occurrence override may set: everything not restricted to the series. */
export const OCCURRENCE_FIELDS: readonly FieldSpec[] = MEETING_FIELDS.filter((f) => f.scope === 'any');

export const LIMITS = {
  titleMax: 128,
  agendaMax: 1300,
  integrationTagsMax: 3,
  integrationTagMax: 64,
  trackingCodeMax: 120,
  watermarkOpacityMin: 5,
  watermarkOpacityMax: 80,
  durationMinMinutes: 10,
  durationMaxMinutes: 23 * 60 + 59,
  recurrenceYearsMax: 5,
  /** Occurrence caps of a rule with an end, per frequency. */
  occurrenceCap: { YEARLY: 5, MONTHLY: 60, WEEKLY: 261, DAILY: 1826 },
  notUpdatableYearsAhead: 10,
} as const;

/**
 * The first instant at which a meeting starts too far ahead to be created or updated ("10 years or
 * more in the future", in calendar years); also how far ahead plan looks for meetings.
 */
export function updatableUntil(nowMs: number): number {
  return addYearsUtc(nowMs, LIMITS.notUpdatableYearsAhead);
}
