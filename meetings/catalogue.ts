/**
 * The Webex field catalogue: one table that says, for every field of a meeting, whether a
 * desired file may set it, where it applies, whether it can be cleared with null, whether it
 * is secret, and the value the API assumes when it is absent. The schema test, the
 * normalizer, the differ and the cross-field rules read this table instead of scattering
 * `if (field === ...)` checks across files.
 *
 * Field names and types follow the official `PatchMeetingObject` (Webex Meetings OpenAPI,
 * CC BY 4.0); descriptions are ours.
 */

export type FieldType = 'string' | 'boolean' | 'number' | 'datetime' | 'object' | 'array';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** `series`: only a meeting series accepts it (never sent to a scheduled meeting). */
  scope: 'any' | 'series';
  /** An explicit `null` in a desired file clears it. */
  clearable?: boolean;
  /** Value must never be printed; a file gives it as `${env:NAME}`. */
  sensitive?: boolean;
  /** The value the API assumes when the field is absent from a response. */
  apiDefault?: unknown;
  /** Arrays are replaced whole, never merged member by member. */
  replaceWhole?: boolean;
  /** Nested members, for `object` fields. */
  members?: readonly FieldSpec[];
  /** Only meaningful for a webinar (`true` refused for a meeting). */
  webinarOnly?: boolean;
  /** Refused for a webinar. */
  notForWebinar?: boolean;
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

const bool = (name: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type: 'boolean',
  scope: 'any',
  description,
  ...extra,
});

export const MEETING_OPTION_FIELDS: readonly FieldSpec[] = [
  bool('enabledChat', 'Attendees may chat.'),
  bool('enabledVideo', 'Attendees may send video.'),
  bool('enabledPolling', 'Attendees may take part in polls; true only for a webinar.', { webinarOnly: true }),
  bool('enabledNote', 'Note taking is on.'),
  { name: 'noteType', type: 'string', scope: 'any', description: 'allowAll: everyone takes notes; allowOne: a single note taker. Needs enabledNote.' },
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
  { name: 'audioConnectionType', type: 'string', scope: 'any', description: 'webexAudio, VoIP, other or none.' },
  bool('enabledTollFreeCallIn', 'Show toll-free call-in numbers.'),
  bool('enabledGlobalCallIn', 'Show global call-in numbers.'),
  bool('enabledAudienceCallBack', 'Attendees may get a call back; true only for a webinar.', { webinarOnly: true }),
  { name: 'entryAndExitTone', type: 'string', scope: 'any', description: 'beep, announceName or noTone.' },
  bool('allowHostToUnmuteParticipants', 'The host may unmute participants.'),
  bool('allowAttendeeToUnmuteSelf', 'Attendees may unmute themselves.'),
  bool('muteAttendeeUponEntry', 'Attendees are muted when they join.'),
];

export const LIVE_STREAM_FIELDS: readonly FieldSpec[] = [
  { name: 'destination', type: 'string', scope: 'any', description: 'Live stream destination.' },
  { name: 'rtmpUrl', type: 'string', scope: 'any', description: 'RTMP ingest URL.' },
  { name: 'streamUrl', type: 'string', scope: 'any', description: 'Public stream URL.' },
  { name: 'layoutWithoutSharedContent', type: 'string', scope: 'any', description: 'grid, stack or focus.' },
  { name: 'layoutWithSharedContent', type: 'string', scope: 'any', description: 'stack, focusedContentWithActiveSpeaker or focusedContent.' },
  bool('allowChangeLayoutInMeeting', 'The layout may change during the meeting.'),
  bool('followStageLayoutWhenSynced', 'Follow the stage layout when synced.'),
  { name: 'resolution', type: 'string', scope: 'any', description: 'Stream resolution.' },
];

/** Every field a desired meeting file may set (besides `id`, `occurrences` and the request controls). */
export const MEETING_FIELDS: readonly FieldSpec[] = [
  { name: 'title', type: 'string', scope: 'any', description: 'Meeting title, at most 128 characters.' },
  { name: 'agenda', type: 'string', scope: 'any', clearable: true, description: 'Agenda, at most 1300 characters; null clears it.' },
  { name: 'password', type: 'string', scope: 'any', sensitive: true, description: 'Meeting password, given as ${env:NAME}.' },
  { name: 'start', type: 'datetime', scope: 'any', description: 'Start, ISO 8601; without an offset it is read in `timezone`. Kept to the minute.' },
  { name: 'end', type: 'datetime', scope: 'any', description: 'End, ISO 8601; without an offset it is read in `timezone`. Kept to the minute.' },
  {
    name: 'timezone',
    type: 'string',
    scope: 'any',
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
  { name: 'recurrence', type: 'string', scope: 'series', clearable: true, description: 'RFC 2445 rule, e.g. FREQ=WEEKLY;INTERVAL=1;BYDAY=TU; null makes the series a single meeting.' },
  bool('enabledAutoRecordMeeting', 'Record automatically.', { apiDefault: false }),
  bool('allowAnyUserToBeCoHost', 'Any attendee with a host account becomes a cohost.', { apiDefault: false }),
  bool('enabledJoinBeforeHost', 'Attendees may join before the host.', { apiDefault: false }),
  bool('enableConnectAudioBeforeHost', 'Attendees may connect audio before the host; needs enabledJoinBeforeHost.', { apiDefault: false }),
  { name: 'joinBeforeHostMinutes', type: 'number', scope: 'any', apiDefault: 0, description: 'Minutes attendees may join early: 0, 5, 10, 15 (webinar: 0, 15, 30, 45, 60). Needs enabledJoinBeforeHost.' },
  bool('excludePassword', 'Leave the password out of the invitation.', { apiDefault: false }),
  bool('publicMeeting', 'List the meeting on the public calendar.', { apiDefault: false }),
  { name: 'reminderTime', type: 'number', scope: 'any', description: 'Minutes before the start at which the host gets a reminder.' },
  { name: 'unlockedMeetingJoinSecurity', type: 'string', scope: 'any', description: 'allowJoin, allowJoinWithLobby or blockFromJoin.' },
  { name: 'sessionTypeId', type: 'number', scope: 'any', description: 'Meeting session type id.' },
  bool('enabledWebcastView', 'Webcast view is on.', { apiDefault: false }),
  { name: 'panelistPassword', type: 'string', scope: 'any', sensitive: true, webinarOnly: true, description: 'Webinar panelist password, given as ${env:NAME}.' },
  bool('enableAutomaticLock', 'Lock the meeting automatically after it starts.', { apiDefault: false }),
  { name: 'automaticLockMinutes', type: 'number', scope: 'any', description: 'Minutes after the start at which the meeting locks.' },
  bool('allowFirstUserToBeCoHost', 'The first attendee with a host account becomes a cohost.', { apiDefault: false }),
  bool('allowAuthenticatedDevices', 'Authenticated devices of the organization join without a prompt.', { apiDefault: false }),
  { name: 'meetingOptions', type: 'object', scope: 'any', members: MEETING_OPTION_FIELDS, description: 'In-meeting options.' },
  { name: 'attendeePrivileges', type: 'object', scope: 'any', members: ATTENDEE_PRIVILEGE_FIELDS, notForWebinar: true, description: 'Attendee privileges; not for a webinar.' },
  { name: 'integrationTags', type: 'array', scope: 'series', replaceWhole: true, description: 'Up to 3 external keys of at most 64 characters; series only. The whole list is replaced.' },
  bool('enabledBreakoutSessions', 'Breakout sessions are on.', { apiDefault: false }),
  { name: 'trackingCodes', type: 'array', scope: 'any', clearable: true, replaceWhole: true, description: 'Tracking codes ({name, value}, 1-120 characters each); the whole list is replaced; null clears it.' },
  bool('enabledAudioWatermark', 'Audio watermark is on.', { apiDefault: false }),
  bool('enabledVisualWatermark', 'Visual watermark is on.', { apiDefault: false }),
  { name: 'visualWatermarkOpacity', type: 'number', scope: 'any', description: 'Visual watermark opacity, 5-80; needs enabledVisualWatermark.' },
  { name: 'audioConnectionOptions', type: 'object', scope: 'any', members: AUDIO_CONNECTION_FIELDS, description: 'Audio connection options.' },
  bool('requireAttendeeLogin', 'Webinar attendees must sign in.', { webinarOnly: true }),
  bool('restrictToInvitees', 'Webinar restricted to invitees; needs requireAttendeeLogin.', { webinarOnly: true }),
  bool('enabledLiveStream', 'Live streaming is on.', { apiDefault: false }),
  { name: 'liveStream', type: 'object', scope: 'any', members: LIVE_STREAM_FIELDS, description: 'Live stream settings.' },
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

export const SENSITIVE_FIELDS: readonly string[] = MEETING_FIELDS.filter((f) => f.sensitive).map((f) => f.name);

/** Fields an occurrence override may set: everything not restricted to the series. */
export const OCCURRENCE_FIELDS: readonly FieldSpec[] = MEETING_FIELDS.filter((f) => f.scope === 'any');

export const JOIN_BEFORE_HOST_MINUTES = { meeting: [0, 5, 10, 15], webinar: [0, 15, 30, 45, 60] } as const;

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

/** Scheduled meeting ids: `<seriesId>_<YYYYMMDDTHHMMSSZ>` (the occurrence's original start in UTC). */
export const SCHEDULED_MEETING_ID = /^([0-9A-Za-z]+)_(\d{8}T\d{6}Z)$/;

export function seriesIdOf(meetingId: string): string | undefined {
  return SCHEDULED_MEETING_ID.exec(meetingId)?.[1];
}
