/**
 * Values Webex fills in for every meeting: numbers, links, host details, passwords and the API
 * defaults of every setting. Derived from the meeting id (and host email) so that the same seed
 * always yields the same responses.
 */
import { createHash } from 'node:crypto';

export type ScheduledType = 'meeting' | 'webinar' | 'personalRoomMeeting';

export const SITE_URL = 'meetctl-emulator.webex.com';
export const DEFAULT_HOST = 'host@example.com';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function digits(hash: Buffer, count: number, offset = 0): string {
  let out = '';
  for (let i = 0; out.length < count; i++) out += String(hash[(offset + i) % hash.length] % 10);
  return out;
}

/** Deterministic 32-hex id, for generated seeds. */
export function hexId(text: string): string {
  return digest(text).toString('hex').slice(0, 32);
}

function uuidOf(text: string): string {
  const h = digest(text).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function displayNameOf(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/** Host fields: the same for every meeting of a host. */
export function hostFields(email: string): Record<string, unknown> {
  const userId = Buffer.from(`ciscospark://us/PEOPLE/${uuidOf(email.toLowerCase())}`).toString('base64').replace(/=+$/, '');
  return { hostUserId: userId, hostDisplayName: displayNameOf(email) || email, hostEmail: email };
}

/** A password that meets common site rules (upper, lower, digit, symbol), derived from the id. */
export function passwordFor(id: string, salt = 'password'): string {
  const h = digest(`${salt}:${id}`);
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let word = '';
  for (let i = 0; i < 5; i++) word += letters[h[i] % letters.length];
  return `${word[0].toUpperCase()}${word.slice(1)}@${digits(h, 3, 8)}`;
}

/** The response-only fields of a series: numbers, links, keys. */
export function identityFields(id: string, hostEmail: string, scheduledType: ScheduledType): Record<string, unknown> {
  const h = digest(`meeting:${id}`);
  const meetingNumber = `2${digits(h, 10)}`;
  const fields: Record<string, unknown> = {
    meetingNumber,
    phoneAndVideoSystemPassword: digits(h, 8, 12),
    ...hostFields(hostEmail),
    hostKey: digits(h, 6, 20),
    siteUrl: SITE_URL,
    webLink: `https://${SITE_URL}/meetctl-emulator/j.php?MTID=m${h.toString('hex').slice(0, 32)}`,
    sipAddress: `${meetingNumber}@${SITE_URL}`,
    dialInIpAddress: '173.243.2.68',
  };
  if (scheduledType === 'webinar') fields.phoneAndVideoSystemPanelistPassword = digits(h, 8, 24);
  return fields;
}

export function telephonyFor(meetingId: string, meetingNumber: string): Record<string, unknown> {
  return {
    accessCode: meetingNumber,
    callInNumbers: [
      { label: 'United States Toll', callInNumber: '+1-415-655-0001', tollType: 'toll' },
      { label: 'United States Toll Free', callInNumber: '+1-855-797-9485', tollType: 'tollFree' },
    ],
    links: [{ rel: 'globalCallinNumbers', href: `/v1/meetings/${meetingId}/globalCallinNumbers`, method: 'GET' }],
  };
}

export function breakoutLinks(meetingId: string): Record<string, unknown>[] {
  return [{ rel: 'breakoutSessions', href: `/v1/meetings/${meetingId}/breakoutSessions`, method: 'GET' }];
}

/** Every setting with the value Webex gives it when the creator left it out. */
export function defaultSettings(id: string, scheduledType: ScheduledType): Record<string, unknown> {
  const webinar = scheduledType === 'webinar';
  const settings: Record<string, unknown> = {
    password: passwordFor(id),
    enabledAutoRecordMeeting: false,
    allowAnyUserToBeCoHost: false,
    enabledJoinBeforeHost: false,
    enableConnectAudioBeforeHost: false,
    joinBeforeHostMinutes: 0,
    excludePassword: false,
    publicMeeting: false,
    reminderTime: 10,
    unlockedMeetingJoinSecurity: 'allowJoin',
    sessionTypeId: webinar ? 9 : 3,
    enabledWebcastView: false,
    enableAutomaticLock: false,
    automaticLockMinutes: 0,
    allowFirstUserToBeCoHost: false,
    allowAuthenticatedDevices: false,
    meetingOptions: {
      enabledChat: true,
      enabledVideo: true,
      enabledPolling: false,
      enabledNote: true,
      noteType: 'allowAll',
      enabledFileTransfer: false,
      enabledUCFRichMedia: false,
    },
    enabledBreakoutSessions: false,
    enabledAudioWatermark: false,
    enabledVisualWatermark: false,
    audioConnectionOptions: {
      audioConnectionType: 'webexAudio',
      enabledTollFreeCallIn: false,
      enabledGlobalCallIn: true,
      enabledAudienceCallBack: false,
      entryAndExitTone: 'beep',
      allowHostToUnmuteParticipants: false,
      allowAttendeeToUnmuteSelf: true,
      muteAttendeeUponEntry: true,
    },
    enabledLiveStream: false,
  };
  if (webinar) {
    settings.panelistPassword = passwordFor(id, 'panelist');
    settings.requireAttendeeLogin = false;
    settings.restrictToInvitees = false;
  } else {
    settings.attendeePrivileges = {
      enabledShareContent: true,
      enabledSaveDocument: false,
      enabledPrintDocument: false,
      enabledAnnotate: false,
      enabledViewParticipantList: true,
      enabledViewThumbnails: false,
      enabledRemoteControl: true,
      enabledViewAnyDocument: false,
      enabledViewAnyPage: false,
      enabledContactOperatorPrivately: false,
      enabledChatHost: true,
      enabledChatPresenter: true,
      enabledChatOtherParticipants: true,
    };
  }
  return settings;
}
