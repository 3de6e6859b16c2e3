/**
 * The hard cases of the import round trip, beside what the generator makes: zones with odd offsets,
 * DST edges, every conditional setting, moved occurrences, hostile titles, and series already running
 * at the emulator's now (import-e2e.test.ts).
 */
import type { SeedMeeting } from '../../emulator/index.js';

/** `<series>_YYYYMMDDTHHMMSSZ` for an original start instant. */
export function occ(seriesId: string, isoUtc: string): string {
  return `${seriesId}_${new Date(isoUtc).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`;
}

export const ID = {
  berlinDst: 'a1000000000000000000000000000001',
  nyFallBack: 'a1000000000000000000000000000002',
  lordHowe: 'a1000000000000000000000000000003',
  kathmandu: 'a1000000000000000000000000000004',
  chatham: 'a1000000000000000000000000000005',
  webinar: 'a1000000000000000000000000000006',
  london: 'a1000000000000000000000000000007',
  longTitle: 'a1000000000000000000000000000008',
};

/** What the generator may lack: zones with odd offsets, DST edges, every conditional setting, moved occurrences, hostile titles. */
export const EXTRA: SeedMeeting[] = [
  {
    id: ID.berlinDst,
    title: 'Réunion d’équipe / Paris',
    timezone: 'Europe/Berlin',
    start: '2027-03-22T10:00:00+01:00',
    end: '2027-03-22T10:30:00+01:00',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=4', // crosses the spring-forward on 28 March
    password: 'Berlin-Secret-1',
  },
  {
    id: ID.nyFallBack,
    title: '../../etc/passwd',
    timezone: 'America/New_York',
    start: '2027-11-07T01:30:00-04:00', // the first 01:30 of the fall-back night
    end: '2027-11-07T01:15:00-05:00',
  },
  {
    id: ID.lordHowe,
    title: '会议',
    timezone: 'Australia/Lord_Howe', // half-hour DST shift on 4 April
    start: '2027-02-09T09:00:00+11:00',
    end: '2027-02-09T10:00:00+11:00',
    recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=6',
  },
  {
    id: ID.kathmandu,
    title: 'Standup',
    timezone: 'Asia/Kathmandu',
    start: '2027-02-01T09:15:00+05:45',
    end: '2027-02-01T09:30:00+05:45',
  },
  {
    id: ID.chatham,
    title: 'Standup',
    timezone: 'Pacific/Chatham',
    start: '2027-02-02T08:00:00+13:45',
    end: '2027-02-02T08:30:00+13:45',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10', // crosses the end of Chatham DST on 4 April
  },
  {
    id: ID.webinar,
    title: '.hidden webinar',
    scheduledType: 'webinar',
    timezone: 'America/St_Johns',
    start: '2027-06-10T12:00:00-02:30',
    end: '2027-06-10T14:00:00-02:30',
    password: 'Web-Secret-2',
    panelistPassword: 'Panel-Secret-3',
    requireAttendeeLogin: true,
    restrictToInvitees: true,
    enabledJoinBeforeHost: true,
    joinBeforeHostMinutes: 30,
    meetingOptions: { enabledPolling: true, enabledChat: false },
    audioConnectionOptions: { enabledAudienceCallBack: true },
  },
  {
    id: ID.london,
    title: 'Defaults',
    timezone: 'Europe/London',
    start: '2027-03-04T15:00:00+00:00',
    end: '2027-03-04T15:45:00+00:00',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;COUNT=8',
    agenda: 'Line one\nLine two: with a colon # and a hash',
    enabledVisualWatermark: true,
    visualWatermarkOpacity: 40,
    enabledAutoRecordMeeting: true,
    meetingOptions: { enabledNote: true, noteType: 'allowOne' },
    attendeePrivileges: { enabledShareContent: false, enabledChatHost: true },
    integrationTags: ['ONE', 'TWO', 'THREE'],
    trackingCodes: [
      { name: 'Department', value: 'Ops' },
      { name: 'Project', value: 'X-1' },
    ],
    occurrences: [
      { id: occ(ID.london, '2027-03-11T15:00:00Z'), start: '2027-03-11T16:00:00+00:00', end: '2027-03-11T16:45:00+00:00' },
      { id: occ(ID.london, '2027-03-18T15:00:00Z'), agenda: 'Special edition', meetingOptions: { enabledNote: false } },
      // After BST starts: 15:00 London is 14:00Z; this one runs longer.
      { id: occ(ID.london, '2027-04-01T14:00:00Z'), end: '2027-04-01T16:30:00+01:00', title: 'Defaults (long)' },
    ],
  },
  {
    id: ID.longTitle,
    title: `${'Quarterly 🚀 planning — '.repeat(5)}end`.slice(0, 128),
    timezone: 'UTC',
    start: '2027-02-20T10:00:00Z',
    end: '2027-02-20T11:00:00Z',
    enabledJoinBeforeHost: false,
    joinBeforeHostMinutes: 0,
  },
];

export const RUN = {
  berlinWeekly: 'b2000000000000000000000000000001',
  newYorkDaily: 'b2000000000000000000000000000002',
  sydneyWeekly: 'b2000000000000000000000000000003',
  utcOngoing: 'b2000000000000000000000000000004',
  kolkataDaily: 'b2000000000000000000000000000005',
};

/**
 * Series that began months before NOW (2027-01-15T09:00Z): the API's default `current=true`
 * lists each with its next or ongoing occurrence's start. They cross DST changes of their zones
 * since their first start, and have modified occurrences ahead (and one behind, out of the window).
 */
export const RUNNING: SeedMeeting[] = [
  {
    id: RUN.berlinWeekly,
    title: 'Running weekly Berlin',
    timezone: 'Europe/Berlin',
    start: '2026-09-07T09:00:00+02:00', // summer time; NOW is in winter time, 1 April in summer again
    end: '2026-09-07T09:45:00+02:00',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
    occurrences: [
      { id: occ(RUN.berlinWeekly, '2026-12-07T08:00:00Z'), agenda: 'Past special' },
      { id: occ(RUN.berlinWeekly, '2027-01-18T08:00:00Z'), title: 'Running weekly Berlin (kick-off)' },
      { id: occ(RUN.berlinWeekly, '2027-04-05T07:00:00Z'), start: '2027-04-05T10:00:00+02:00', end: '2027-04-05T10:45:00+02:00' },
    ],
  },
  {
    id: RUN.newYorkDaily,
    title: 'Running daily New York',
    timezone: 'America/New_York',
    start: '2026-10-01T08:30:00-04:00', // before the fall-back of 1 November; runs past the spring-forward of 14 March
    end: '2026-10-01T09:00:00-04:00',
    recurrence: 'FREQ=DAILY;INTERVAL=1;COUNT=200',
    occurrences: [
      { id: occ(RUN.newYorkDaily, '2027-01-20T13:30:00Z'), title: 'Running daily New York (inauguration day)' },
      { id: occ(RUN.newYorkDaily, '2027-03-20T12:30:00Z'), end: '2027-03-20T09:30:00-04:00' },
    ],
  },
  {
    id: RUN.sydneyWeekly,
    title: 'Running weekly Sydney',
    timezone: 'Australia/Sydney',
    start: '2026-07-07T10:00:00+10:00', // winter there; daylight time since 4 October
    end: '2026-07-07T11:00:00+10:00',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=60',
    occurrences: [{ id: occ(RUN.sydneyWeekly, '2027-01-18T23:00:00Z'), agenda: 'Summer edition' }],
  },
  {
    id: RUN.utcOngoing,
    title: 'Running daily UTC, in progress now',
    timezone: 'UTC',
    start: '2026-11-02T08:30:00Z', // today's occurrence runs 08:30-09:30: NOW is in it
    end: '2026-11-02T09:30:00Z',
    recurrence: 'FREQ=DAILY;INTERVAL=1',
  },
  {
    id: RUN.kolkataDaily,
    title: 'Running daily Kolkata',
    timezone: 'Asia/Kolkata',
    start: '2026-12-01T10:00:00+05:30',
    end: '2026-12-01T10:15:00+05:30',
    recurrence: 'FREQ=DAILY;INTERVAL=1;COUNT=90',
    occurrences: [{ id: occ(RUN.kolkataDaily, '2027-02-01T04:30:00Z'), start: '2027-02-01T11:00:00+05:30', end: '2027-02-01T11:15:00+05:30' }],
  },
];
