/**
 * The emulator's own description of a meeting's fields, taken from the official Webex Meetings
 * OpenAPI document (PatchMeetingObject / MeetingSeriesObject; CC BY 4.0). It deliberately does not
 * reuse the provider's catalogue in meetings/: each implementation checks the other.
 */

export type FieldKind =
  | { type: 'string'; enum?: readonly string[] }
  | { type: 'boolean' }
  | { type: 'number' }
  | { type: 'array'; of: 'string' | 'trackingCode' }
  /** `required`: members the object's schema requires (every body that carries the object gives them). */
  | { type: 'object'; members: Readonly<Record<string, FieldKind>>; required?: readonly string[] };

const str: FieldKind = { type: 'string' };
const bool: FieldKind = { type: 'boolean' };
const num: FieldKind = { type: 'number' };
const oneOf = (...values: string[]): FieldKind => ({ type: 'string', enum: values });

export const MEETING_OPTIONS: Record<string, FieldKind> = {
  enabledChat: bool,
  enabledVideo: bool,
  enabledPolling: bool,
  enabledNote: bool,
  noteType: oneOf('allowAll', 'allowOne'),
  enabledFileTransfer: bool,
  enabledUCFRichMedia: bool,
};

export const ATTENDEE_PRIVILEGES: Record<string, FieldKind> = Object.fromEntries(
  [
    'enabledShareContent', 'enabledSaveDocument', 'enabledPrintDocument', 'enabledAnnotate',
    'enabledViewParticipantList', 'enabledViewThumbnails', 'enabledRemoteControl', 'enabledViewAnyDocument',
    'enabledViewAnyPage', 'enabledContactOperatorPrivately', 'enabledChatHost', 'enabledChatPresenter',
    'enabledChatOtherParticipants',
  ].map((k) => [k, bool]),
);

export const AUDIO_CONNECTION_OPTIONS: Record<string, FieldKind> = {
  audioConnectionType: oneOf('webexAudio', 'VoIP', 'other', 'none'),
  enabledTollFreeCallIn: bool,
  enabledGlobalCallIn: bool,
  enabledAudienceCallBack: bool,
  entryAndExitTone: oneOf('beep', 'announceName', 'noTone'),
  allowHostToUnmuteParticipants: bool,
  allowAttendeeToUnmuteSelf: bool,
  muteAttendeeUponEntry: bool,
};

export const LIVE_STREAM: Record<string, FieldKind> = {
  destination: str,
  rtmpUrl: str,
  streamUrl: str,
  layoutWithoutSharedContent: oneOf('grid', 'stack', 'focus'),
  layoutWithSharedContent: oneOf('stack', 'focusedContentWithActiveSpeaker', 'focusedContent'),
  allowChangeLayoutInMeeting: bool,
  followStageLayoutWhenSynced: bool,
  resolution: str,
};

/** Fields a PATCH/PUT body may set and that the meeting keeps as state. */
export const STATE_FIELDS: Record<string, FieldKind> = {
  title: str,
  agenda: str,
  password: str,
  start: str,
  end: str,
  timezone: str,
  recurrence: str,
  enabledAutoRecordMeeting: bool,
  allowAnyUserToBeCoHost: bool,
  enabledJoinBeforeHost: bool,
  enableConnectAudioBeforeHost: bool,
  joinBeforeHostMinutes: num,
  excludePassword: bool,
  publicMeeting: bool,
  reminderTime: num,
  unlockedMeetingJoinSecurity: oneOf('allowJoin', 'allowJoinWithLobby', 'blockFromJoin'),
  sessionTypeId: num,
  enabledWebcastView: bool,
  panelistPassword: str,
  enableAutomaticLock: bool,
  automaticLockMinutes: num,
  allowFirstUserToBeCoHost: bool,
  allowAuthenticatedDevices: bool,
  meetingOptions: { type: 'object', members: MEETING_OPTIONS },
  attendeePrivileges: { type: 'object', members: ATTENDEE_PRIVILEGES },
  integrationTags: { type: 'array', of: 'string' },
  enabledBreakoutSessions: bool,
  trackingCodes: { type: 'array', of: 'trackingCode' },
  enabledAudioWatermark: bool,
  enabledVisualWatermark: bool,
  visualWatermarkOpacity: num,
  audioConnectionOptions: { type: 'object', members: AUDIO_CONNECTION_OPTIONS },
  requireAttendeeLogin: bool,
  restrictToInvitees: bool,
  enabledLiveStream: bool,
  // PatchMeetingObject.liveStream is a LiveStreamObject: "required": destination, rtmpUrl, streamUrl.
  liveStream: { type: 'object', members: LIVE_STREAM, required: ['destination', 'rtmpUrl', 'streamUrl'] },
};

/** Request controls: accepted in a body, never stored. */
export const REQUEST_CONTROLS: Record<string, FieldKind> = { sendEmail: bool, hostEmail: str };

/** Fields a server returns but a client cannot write. */
export const RESPONSE_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'id', 'meetingSeriesId', 'scheduledMeetingId', 'meetingNumber', 'phoneAndVideoSystemPassword', 'meetingType',
  'state', 'hostDidJoin', 'attendeeDidJoin', 'isModified', 'hostUserId', 'hostDisplayName', 'hostKey', 'siteUrl',
  'webLink', 'registerLink', 'sipAddress', 'dialInIpAddress', 'roomId', 'scheduledType',
  'phoneAndVideoSystemPanelistPassword', 'telephony', 'registration', 'simultaneousInterpretation', 'links',
  'hasChat', 'hasRecording', 'hasTranscription', 'hasClosedCaption', 'hasPolls', 'hasQA', 'hasSlido',
  'hasRegistration', 'hasRegistrants', 'hasPostEventSurvey', 'hasSummary',
]);

/** Only a meeting series carries these; a scheduled meeting refuses them. */
export const SERIES_ONLY_FIELDS: ReadonlySet<string> = new Set(['recurrence', 'integrationTags']);

export const JOIN_BEFORE_HOST_MINUTES = { meeting: [0, 5, 10, 15], webinar: [0, 15, 30, 45, 60] } as const;

export const LIMITS = {
  title: 128,
  agenda: 1300,
  integrationTags: 3,
  integrationTag: 64,
  trackingCode: 120,
  opacityMin: 5,
  opacityMax: 80,
  minDurationMs: 10 * 60_000,
  maxDurationMs: (23 * 60 + 59) * 60_000,
  notUpdatableYears: 10,
} as const;

/** Key order of a meeting in responses, as in MeetingObjectForListMeeting. */
export const VIEW_ORDER: readonly string[] = [
  'id', 'meetingSeriesId', 'scheduledMeetingId', 'meetingNumber', 'title', 'agenda', 'password',
  'phoneAndVideoSystemPassword', 'meetingType', 'state', 'hostDidJoin', 'attendeeDidJoin', 'isModified', 'timezone',
  'start', 'end', 'recurrence', 'hostUserId', 'hostDisplayName', 'hostEmail', 'hostKey', 'siteUrl', 'webLink',
  'sipAddress', 'dialInIpAddress', 'roomId', 'enabledAutoRecordMeeting', 'allowAnyUserToBeCoHost',
  'enabledJoinBeforeHost', 'enableConnectAudioBeforeHost', 'joinBeforeHostMinutes', 'excludePassword',
  'publicMeeting', 'reminderTime', 'unlockedMeetingJoinSecurity', 'sessionTypeId', 'scheduledType',
  'enabledWebcastView', 'panelistPassword', 'phoneAndVideoSystemPanelistPassword', 'enableAutomaticLock',
  'automaticLockMinutes', 'allowFirstUserToBeCoHost', 'allowAuthenticatedDevices', 'telephony', 'meetingOptions',
  'attendeePrivileges', 'registration', 'integrationTags', 'simultaneousInterpretation', 'enabledBreakoutSessions',
  'links', 'trackingCodes', 'enabledAudioWatermark', 'enabledVisualWatermark', 'visualWatermarkOpacity',
  'audioConnectionOptions', 'requireAttendeeLogin', 'restrictToInvitees', 'enabledLiveStream', 'liveStream',
];
