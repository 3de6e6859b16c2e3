/** One test per Webex update rule (the reference and DESIGN.md's rules table), each checking status and message. */
import { describe, expect, test } from 'vitest';
import type { SeedFile } from '../../emulator/index.js';
import { GENERIC_MESSAGES } from '../../emulator/http.js';
import { BOARD, SALES, WEBINAR, call, emulator, get, listed, messages, ownedSeed, patch } from './helpers.js';

const OCC = `${SALES}_20270316T080000Z`;
const NEXT_OCC = `${SALES}_20270323T080000Z`;
const UTC_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';

/** The built-in meetings plus a UTC one-off, for time arithmetic that reads easily. */
async function withUtc(extra: Partial<SeedFile['meetings']> = []) {
  const seed = ownedSeed();
  seed.meetings!.push({ id: UTC_ID, title: 'UTC meeting', timezone: 'UTC', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' }, ...(extra as never[]));
  return emulator({ seed });
}

const WEEKLY_ID = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** Only a UTC weekly series of six, from 5 January 2027 09:00, with the clock at `now`. */
function weekly(now: string, occurrences: NonNullable<SeedFile['meetings']>[number]['occurrences'] = []) {
  return emulator({
    now,
    seed: { meetings: [{ id: WEEKLY_ID, title: 'Weekly', timezone: 'UTC', start: '2027-01-05T09:00:00Z', end: '2027-01-05T09:30:00Z', recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=6', occurrences }] },
  });
}

/** Every scheduled meeting of a series, paged through, as UTC starts. */
async function allStarts(e: Awaited<ReturnType<typeof emulator>>, id: string): Promise<string[]> {
  const starts: string[] = [];
  let url: string | undefined = `/meetings?meetingSeriesId=${id}&from=2027-01-01T00:00:00Z&to=2040-01-01T00:00:00Z&max=100`;
  while (url !== undefined) {
    const r = await call(e, 'GET', url);
    starts.push(...r.body.items.map((m: { start: string }) => m.start));
    const link = r.headers.link as string | undefined;
    url = link === undefined ? undefined : /^<([^>]+)>/.exec(link)![1];
  }
  return starts;
}

async function refused(reply: Promise<{ status: number; body: any }>, status: number, pattern: RegExp) {
  const r = await reply;
  expect(r.status).toBe(status);
  expect(messages(r as never)).toMatch(pattern);
  expect(r.body.message).toBe(GENERIC_MESSAGES[status]);
  expect(typeof r.body.trackingId).toBe('string');
  return r;
}

describe('field limits', () => {
  test('title: at most 128 characters', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { title: 'x'.repeat(129) }), 400, /'title' cannot be longer than 128/);
    expect((await patch(e, SALES, { title: 'x'.repeat(128) })).status).toBe(200);
  });

  test('agenda: at most 1300 characters; null clears it', async () => {
    const e = await emulator();
    await refused(patch(e, BOARD, { agenda: 'a'.repeat(1301) }), 400, /'agenda' cannot be longer than 1300/);
    expect((await patch(e, BOARD, { agenda: 'a'.repeat(1300) })).body.agenda).toHaveLength(1300);
    const cleared = await patch(e, BOARD, { agenda: null });
    expect(cleared.status).toBe(200);
    expect('agenda' in cleared.body).toBe(false);
  });

  test('only agenda, recurrence, trackingCodes (and integrationTags) can be cleared with null', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { title: null }), 400, /'title' cannot be null/);
    await refused(patch(e, SALES, { meetingOptions: { enabledChat: null } }), 400, /'meetingOptions.enabledChat' cannot be null/);
  });

  test('UpdateMeetingObject documents no null for agenda, recurrence or trackingCodes (only PatchMeetingObject does): PUT refuses it; a null integrationTags is documented for both', async () => {
    const e = await emulator();
    const put = (extra: Record<string, unknown>) =>
      call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'Sales Sync', start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T09:30:00+01:00', ...extra } });
    for (const key of ['agenda', 'recurrence', 'trackingCodes']) await refused(put({ [key]: null }), 400, new RegExp(`'${key}' cannot be null`));
    expect((await get(e, SALES)).body.recurrence).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20');
    expect((await put({ integrationTags: null })).status).toBe(200);
  });

  test('types and enums are checked', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { title: 42 }), 400, /'title' must be a string/);
    await refused(patch(e, SALES, { publicMeeting: 'yes' }), 400, /'publicMeeting' must be true or false/);
    await refused(patch(e, SALES, { unlockedMeetingJoinSecurity: 'sometimes' }), 400, /must be one of allowJoin, allowJoinWithLobby, blockFromJoin/);
    await refused(patch(e, SALES, { audioConnectionOptions: { entryAndExitTone: 'gong' } }), 400, /'audioConnectionOptions.entryAndExitTone' must be one of/);
    await refused(patch(e, SALES, { reminderTime: 2.5 }), 400, /'reminderTime' must be a non-negative integer/);
  });

  test('unknown and response-only fields are refused, naming the field', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { colour: 'blue' }), 400, /Unrecognized field 'colour'/);
    await refused(patch(e, SALES, { meetingNumber: '123' }), 400, /'meetingNumber' is a read-only field/);
    await refused(patch(e, SALES, { meetingOptions: { enabledKaraoke: true } }), 400, /Unrecognized field 'meetingOptions.enabledKaraoke'/);
  });

  test('PatchMeetingObject.liveStream is a LiveStreamObject: destination, rtmpUrl and streamUrl are required in every body that carries it', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { liveStream: { resolution: '1080p' } }), 400, /'liveStream.destination' is required.*'liveStream.rtmpUrl' is required.*'liveStream.streamUrl' is required/s);
    const whole = { destination: 'YouTube', rtmpUrl: 'rtmp://a.example/live/KEY', streamUrl: 'https://example.com/watch', resolution: '1080p' };
    expect((await patch(e, SALES, { enabledLiveStream: true, liveStream: whole })).body.liveStream).toMatchObject(whole);
  });

  test('sendEmail and hostEmail are request controls, not stored', async () => {
    const e = await emulator();
    const r = await patch(e, SALES, { title: 'T', sendEmail: false, hostEmail: 'host@example.com' });
    expect(r.status).toBe(200);
    expect(r.body.sendEmail).toBeUndefined();
    expect(e.getMeeting(SALES)?.sendEmail).toBeUndefined();
    await refused(patch(e, SALES, { sendEmail: 'no' }), 400, /'sendEmail' must be true or false/);
  });

  test('PatchMeetingObject.sendEmail, UpdateMeetingObject.sendEmail ("default value is true"): the request log records the effective value of PATCH and PUT, as of POST and DELETE', async () => {
    const e = await emulator();
    e.clearRequestLog();
    expect((await patch(e, SALES, { title: 'A' })).status).toBe(200);
    expect((await patch(e, SALES, { title: 'B', sendEmail: false })).status).toBe(200);
    expect((await call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'C' } })).status).toBe(200);
    expect((await call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'D', sendEmail: false } })).status).toBe(200);
    // A refused write sends nothing, so it records nothing.
    expect((await patch(e, SALES, { title: '' })).status).toBe(400);
    expect(e.requestLog().map((x) => [x.method, x.sendEmail])).toEqual([
      ['PATCH', true],
      ['PATCH', false],
      ['PUT', true],
      ['PUT', false],
      ['PATCH', undefined],
    ]);
  });
});

describe('start and end', () => {
  test('start cannot be before now', async () => {
    const e = await withUtc();
    await refused(patch(e, UTC_ID, { start: '2027-01-15T08:59:00Z' }), 400, /'start' cannot be before the current date and time/);
  });

  test('end cannot be before now', async () => {
    const e = await withUtc();
    await refused(patch(e, UTC_ID, { end: '2027-01-15T08:00:00Z' }), 400, /'end' cannot be before the current date and time/);
  });

  test('start must be before end', async () => {
    const e = await withUtc();
    await refused(patch(e, UTC_ID, { start: '2027-02-01T12:00:00Z' }), 400, /'start' must be before 'end'/);
  });

  test('duration: at least 10 minutes, at most 23 hours 59 minutes', async () => {
    const e = await withUtc();
    await refused(patch(e, UTC_ID, { end: '2027-02-01T10:09:00Z' }), 400, /shorter than 10 minutes/);
    await refused(patch(e, UTC_ID, { end: '2027-02-02T10:00:00Z' }), 400, /longer than 23 hours 59 minutes/);
    expect((await patch(e, UTC_ID, { end: '2027-02-01T10:10:00Z' })).status).toBe(200);
    expect((await patch(e, UTC_ID, { end: '2027-02-02T09:59:00Z' })).status).toBe(200);
  });

  test('minute precision: seconds and milliseconds are stripped', async () => {
    const e = await withUtc();
    const r = await patch(e, UTC_ID, { start: '2027-02-01T11:32:28.076Z', end: '2027-02-01T12:52:41Z' });
    expect(r.body).toMatchObject({ start: '2027-02-01T11:32:00Z', end: '2027-02-01T12:52:00Z' });
  });

  test('minute precision: a start within the current minute moves to the next minute', async () => {
    const e = await withUtc();
    e.clock.set('2027-02-01T02:32:16.657Z');
    const r = await patch(e, UTC_ID, { start: '2027-02-01T10:32:28+08:00', end: '2027-02-01T11:30:00+08:00' });
    expect(r.status).toBe(200);
    expect(r.body.start).toBe('2027-02-01T02:33:00Z');
  });

  test('start and end are echoed in the meeting zone; a time without an offset is a wall-clock time in it', async () => {
    const e = await emulator();
    const r = await patch(e, BOARD, { start: '2027-05-14T08:00:00Z', end: '2027-05-14T10:00:00Z' });
    expect(r.body).toMatchObject({ timezone: 'Asia/Tokyo', start: '2027-05-14T17:00:00+09:00', end: '2027-05-14T19:00:00+09:00' });
    // Without an offset a time is a wall-clock time in the meeting's zone.
    expect((await patch(e, BOARD, { start: '2027-05-14T16:00:00', end: '2027-05-14T18:00:00' })).body.start).toBe('2027-05-14T16:00:00+09:00');
    expect((await get(e, BOARD)).body.start).toBe('2027-05-14T07:00:00Z');
  });

  test('a start that is not a date-time is refused', async () => {
    const e = await emulator();
    await refused(patch(e, BOARD, { start: 'next tuesday' }), 400, /'start' 'next tuesday' is not an ISO 8601 date-time/);
    await refused(patch(e, BOARD, { timezone: 'Mars/Olympus' }), 400, /'timezone' 'Mars\/Olympus' is not an IANA time zone/);
  });
});

describe('integration tags', () => {
  test('at most 3 tags of at most 64 characters', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { integrationTags: ['a', 'b', 'c', 'd'] }), 400, /at most 3 items/);
    await refused(patch(e, SALES, { integrationTags: ['x'.repeat(65)] }), 400, /longer than 64 characters/);
    expect((await patch(e, SALES, { integrationTags: ['a', 'b', 'x'.repeat(64)] })).body.integrationTags).toEqual(['a', 'b', 'x'.repeat(64)]);
  });

  test('only on a series: a scheduled meeting refuses them', async () => {
    const e = await emulator();
    await refused(patch(e, OCC, { integrationTags: ['X'] }), 400, /'integrationTags' can only be set on a meeting series/);
  });

  test('an empty list or null deletes every tag', async () => {
    const e = await emulator();
    await patch(e, SALES, { integrationTags: ['A', 'B'] });
    expect((await patch(e, SALES, { integrationTags: [] })).body.integrationTags).toBeUndefined();
    await patch(e, SALES, { integrationTags: ['A'] });
    expect((await patch(e, SALES, { integrationTags: null })).body.integrationTags).toBeUndefined();
  });

  test('scheduled meetings show their series tags', async () => {
    const e = await emulator();
    await patch(e, SALES, { integrationTags: ['SALES-42'] });
    expect((await get(e, OCC)).body.integrationTags).toEqual(['SALES-42']);
  });
});

describe('recurrence', () => {
  test('only on a series', async () => {
    const e = await emulator();
    await refused(patch(e, OCC, { recurrence: 'FREQ=DAILY;COUNT=2' }), 400, /'recurrence' can only be set on a meeting series/);
  });

  test('monthly and yearly rules keep only the first BYMONTHDAY / BYDAY', async () => {
    const e = await emulator();
    expect((await patch(e, BOARD, { recurrence: 'FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=14,15,16' })).body.recurrence).toBe('FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=14');
    expect((await patch(e, BOARD, { recurrence: 'FREQ=YEARLY;BYMONTH=5;BYDAY=2FR,3FR;COUNT=3' })).body.recurrence).toBe('FREQ=YEARLY;BYMONTH=5;BYDAY=2FR;COUNT=3');
    // Weekly rules keep every day.
    expect((await patch(e, BOARD, { recurrence: 'FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4' })).body.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4');
  });

  test('PatchMeetingObject.recurrence (five years from now): COUNT keeps only the occurrences that start by then; the layout agrees', async () => {
    const e = await emulator();
    // The board meeting starts 2027-05-14 07:00Z; now is 2027-01-15, so the last accepted date is 2032-01-15.
    const cases: [string, string, number][] = [
      ['FREQ=YEARLY;COUNT=10', 'FREQ=YEARLY;COUNT=5', 5],
      ['FREQ=MONTHLY;BYMONTHDAY=14;COUNT=100', 'FREQ=MONTHLY;BYMONTHDAY=14;COUNT=57', 57],
      ['FREQ=MONTHLY;INTERVAL=3;COUNT=60', 'FREQ=MONTHLY;INTERVAL=3;COUNT=19', 19],
      ['FREQ=WEEKLY;BYDAY=FR;COUNT=300', 'FREQ=WEEKLY;BYDAY=FR;COUNT=244', 244],
      ['FREQ=DAILY;COUNT=2000', 'FREQ=DAILY;COUNT=1708', 1708],
      ['FREQ=DAILY;COUNT=30', 'FREQ=DAILY;COUNT=30', 30],
    ];
    for (const [rule, kept, laidOut] of cases) {
      expect((await patch(e, BOARD, { recurrence: rule })).body.recurrence).toBe(kept);
      const starts = await allStarts(e, BOARD);
      expect(starts).toHaveLength(laidOut);
      expect(starts.at(-1)! <= '2032-01-15T23:59:59Z').toBe(true);
    }
    expect((await allStarts(e, BOARD))[0]).toBe('2027-05-14T07:00:00Z');
  });

  test('PatchMeetingObject.recurrence (five years from now): an UNTIL beyond is stored as the end of that day UTC, and laid out to it', async () => {
    const e = await emulator();
    const r = await patch(e, BOARD, { recurrence: 'FREQ=DAILY;INTERVAL=1;UNTIL=21241001T000000Z' });
    expect(r.body.recurrence).toBe('FREQ=DAILY;INTERVAL=1;UNTIL=20320115T235959Z');
    const starts = await allStarts(e, BOARD);
    expect(starts.at(-1)).toBe('2032-01-15T07:00:00Z');
    expect(starts).toHaveLength(1708);
    // A rule that never ends is stored as written.
    expect((await patch(e, BOARD, { recurrence: 'FREQ=MONTHLY;INTERVAL=3' })).body.recurrence).toBe('FREQ=MONTHLY;INTERVAL=3');
    expect((await patch(e, BOARD, { recurrence: 'FREQ=DAILY;UNTIL=20280101T000000Z' })).body.recurrence).toBe('FREQ=DAILY;UNTIL=20280101T000000Z');
  });

  test('an invalid rule is refused', async () => {
    const e = await emulator();
    await refused(patch(e, BOARD, { recurrence: 'FREQ=HOURLY' }), 400, /recurrence.*FREQ/);
    await refused(patch(e, BOARD, { recurrence: 'FREQ=DAILY;COUNT=2;UNTIL=20280101T000000Z' }), 400, /both COUNT and UNTIL/);
  });

  test('null makes a series a single meeting', async () => {
    const e = await emulator();
    const r = await patch(e, SALES, { recurrence: null });
    expect(r.body.recurrence).toBeUndefined();
    const list = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100`);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([`${SALES}_20270302T080000Z`]);
  });
});

describe('join before host', () => {
  test('minutes are 0, 5, 10, 15 for a meeting', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { enabledJoinBeforeHost: true, joinBeforeHostMinutes: 30 }), 400, /'joinBeforeHostMinutes' must be one of 0, 5, 10, 15 for a meeting/);
    expect((await patch(e, SALES, { enabledJoinBeforeHost: true, joinBeforeHostMinutes: 15 })).status).toBe(200);
  });

  test('minutes are 0, 15, 30, 45, 60 for a webinar', async () => {
    const e = await emulator();
    await refused(patch(e, WEBINAR, { enabledJoinBeforeHost: true, joinBeforeHostMinutes: 10 }), 400, /must be one of 0, 15, 30, 45, 60 for a webinar/);
    expect((await patch(e, WEBINAR, { enabledJoinBeforeHost: true, joinBeforeHostMinutes: 60 })).body.joinBeforeHostMinutes).toBe(60);
  });

  test('minutes only with enabledJoinBeforeHost; turning it off resets them', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { joinBeforeHostMinutes: 10 }), 400, /only be set when 'enabledJoinBeforeHost' is true/);
    expect((await patch(e, SALES, { joinBeforeHostMinutes: 0 })).status).toBe(200);
    await patch(e, SALES, { enabledJoinBeforeHost: true, joinBeforeHostMinutes: 10, enableConnectAudioBeforeHost: true });
    const off = await patch(e, SALES, { enabledJoinBeforeHost: false });
    expect(off.body).toMatchObject({ enabledJoinBeforeHost: false, joinBeforeHostMinutes: 0, enableConnectAudioBeforeHost: false });
  });

  test('enableConnectAudioBeforeHost only with enabledJoinBeforeHost', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { enableConnectAudioBeforeHost: true }), 400, /'enableConnectAudioBeforeHost' can only be true when 'enabledJoinBeforeHost' is true/);
    expect((await patch(e, SALES, { enabledJoinBeforeHost: true, enableConnectAudioBeforeHost: true })).status).toBe(200);
  });
});

describe('webinar-only and meeting-only options', () => {
  test('meetingOptions.enabledPolling true only for a webinar', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { meetingOptions: { enabledPolling: true } }), 400, /'meetingOptions.enabledPolling' can only be true for a webinar/);
    expect((await patch(e, WEBINAR, { meetingOptions: { enabledPolling: true } })).body.meetingOptions.enabledPolling).toBe(true);
  });

  test('audioConnectionOptions.enabledAudienceCallBack true only for a webinar', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { audioConnectionOptions: { enabledAudienceCallBack: true } }), 400, /enabledAudienceCallBack' can only be true for a webinar/);
    expect((await patch(e, WEBINAR, { audioConnectionOptions: { enabledAudienceCallBack: true } })).status).toBe(200);
  });

  test('attendeePrivileges are refused for a webinar', async () => {
    const e = await emulator();
    await refused(patch(e, WEBINAR, { attendeePrivileges: { enabledShareContent: false } }), 400, /'attendeePrivileges' is not supported for a webinar/);
    expect((await patch(e, SALES, { attendeePrivileges: { enabledShareContent: false } })).body.attendeePrivileges.enabledShareContent).toBe(false);
  });

  test('requireAttendeeLogin and restrictToInvitees are webinar options', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { requireAttendeeLogin: true }), 400, /'requireAttendeeLogin' is a webinar option/);
    await refused(patch(e, SALES, { restrictToInvitees: true }), 400, /'restrictToInvitees' is a webinar option/);
    await refused(patch(e, SALES, { panelistPassword: 'Secret-123' }), 400, /'panelistPassword' is a webinar option/);
  });

  test('restrictToInvitees true needs requireAttendeeLogin true', async () => {
    const e = await emulator();
    await refused(patch(e, WEBINAR, { restrictToInvitees: true }), 400, /'restrictToInvitees' cannot be true when 'requireAttendeeLogin' is false/);
    expect((await patch(e, WEBINAR, { restrictToInvitees: true, requireAttendeeLogin: true })).body).toMatchObject({ restrictToInvitees: true, requireAttendeeLogin: true });
  });
});

describe('notes, watermark, tracking codes', () => {
  test('noteType only with enabledNote', async () => {
    const e = await emulator();
    await refused(patch(e, BOARD, { meetingOptions: { enabledNote: false, noteType: 'allowOne' } }), 400, /'meetingOptions.noteType' can only be set when 'meetingOptions.enabledNote' is true/);
    expect((await patch(e, BOARD, { meetingOptions: { enabledNote: true, noteType: 'allowOne' } })).body.meetingOptions.noteType).toBe('allowOne');
    // Without notes the type falls back to allowAll, as the reference says.
    expect((await patch(e, BOARD, { meetingOptions: { enabledNote: false } })).body.meetingOptions.noteType).toBe('allowAll');
  });

  test('visualWatermarkOpacity 5…80, only with enabledVisualWatermark', async () => {
    const e = await emulator();
    await refused(patch(e, BOARD, { visualWatermarkOpacity: 20 }), 400, /'visualWatermarkOpacity' can only be set when 'enabledVisualWatermark' is true/);
    await refused(patch(e, BOARD, { enabledVisualWatermark: true, visualWatermarkOpacity: 4 }), 400, /between 5 and 80/);
    await refused(patch(e, BOARD, { enabledVisualWatermark: true, visualWatermarkOpacity: 81 }), 400, /between 5 and 80/);
    expect((await patch(e, BOARD, { enabledVisualWatermark: true, visualWatermarkOpacity: 80 })).body.visualWatermarkOpacity).toBe(80);
  });

  test('trackingCodes: name and value non-empty, at most 120 characters; null clears', async () => {
    const e = await emulator();
    await refused(patch(e, SALES, { trackingCodes: [{ name: '', value: 'Sales' }] }), 400, /'trackingCodes\[0\].name' cannot be empty/);
    await refused(patch(e, SALES, { trackingCodes: [{ name: 'Dept', value: 'v'.repeat(121) }] }), 400, /'trackingCodes\[0\].value' cannot be longer than 120/);
    await refused(patch(e, SALES, { trackingCodes: [{ name: 'Dept', value: 'x', extra: 1 }] }), 400, /Unrecognized field 'trackingCodes\[0\].extra'/);
    const set = await patch(e, SALES, { trackingCodes: [{ name: 'Department', value: 'Sales' }] });
    expect(set.body.trackingCodes).toEqual([{ name: 'Department', value: 'Sales' }]);
    expect((await patch(e, SALES, { trackingCodes: null })).body.trackingCodes).toBeUndefined();
  });
});

describe('merge patch semantics', () => {
  test('objects merge member by member; arrays replace; all or nothing', async () => {
    const e = await emulator();
    const r = await patch(e, SALES, { meetingOptions: { enabledChat: false } });
    expect(r.body.meetingOptions).toMatchObject({ enabledChat: false, enabledVideo: true, noteType: 'allowAll' });
    await patch(e, SALES, { trackingCodes: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });
    expect((await patch(e, SALES, { trackingCodes: [{ name: 'C', value: '3' }] })).body.trackingCodes).toEqual([{ name: 'C', value: '3' }]);
    const before = e.getMeeting(SALES);
    await refused(patch(e, SALES, { title: 'Valid title', joinBeforeHostMinutes: 7 }), 400, /joinBeforeHostMinutes/);
    expect(e.getMeeting(SALES)).toEqual(before);
  });

  test('PUT replaces the whole meeting: left-out fields fall back to defaults, tags are deleted', async () => {
    const e = await emulator();
    await patch(e, SALES, { integrationTags: ['T'], meetingOptions: { enabledChat: false }, publicMeeting: true, agenda: 'A' });
    const r = await call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'Replaced', enabledAutoRecordMeeting: true } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: 'Replaced', enabledAutoRecordMeeting: true, publicMeeting: false, start: '2027-03-02T09:00:00+01:00' });
    expect(r.body.meetingOptions.enabledChat).toBe(true);
    expect(r.body.integrationTags).toBeUndefined();
    expect(r.body.agenda).toBeUndefined();
    // PUT follows the same rules.
    await refused(call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'x'.repeat(129) } }), 400, /128/);
  });

  test('a PUT of a scheduled meeting updates it "without impact on other scheduled meeting": left-out fields fall back to its series\' values, not the defaults; its title stays its own', async () => {
    const e = await emulator();
    await patch(e, SALES, { agenda: 'Series agenda', publicMeeting: true, enabledJoinBeforeHost: true, joinBeforeHostMinutes: 5, meetingOptions: { enabledChat: false } });
    // The scheduled meeting's own changes: the PUT keeps its title and replaces the rest.
    await patch(e, OCC, { title: 'Own title', agenda: 'Own agenda', publicMeeting: false, reminderTime: 30 });
    const r = await call(e, 'PUT', `/meetings/${OCC}`, { body: { enabledAutoRecordMeeting: true } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: OCC,
      isModified: true,
      title: 'Own title',
      agenda: 'Series agenda',
      publicMeeting: true,
      reminderTime: 10,
      enabledJoinBeforeHost: true,
      joinBeforeHostMinutes: 5,
      enabledAutoRecordMeeting: true,
      meetingOptions: { enabledChat: false },
      start: '2027-03-16T09:00:00+01:00',
      end: '2027-03-16T09:30:00+01:00',
    });
    expect(r.body.recurrence).toBeUndefined();
    expect((await listed(e, NEXT_OCC)).body).toMatchObject({ isModified: false, agenda: 'Series agenda', enabledAutoRecordMeeting: false });
    expect((await get(e, SALES)).body).toMatchObject({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20', enabledAutoRecordMeeting: false });
  });
});

describe('meetings that cannot be updated', () => {
  test('paths./meetings/{meetingId}.patch.parameters.meetingId: an ended scheduled meeting is refused (400, the reason in the description)', async () => {
    const e = await emulator();
    e.setState(OCC, 'ended');
    await refused(patch(e, OCC, { title: 'Late' }), 400, /A meeting that has ended cannot be updated/);
  });

  test('paths./meetings/{meetingId}.patch.parameters.meetingId: an in-progress scheduled meeting is refused, its series is not', async () => {
    const e = await emulator();
    e.setState(OCC, 'inProgress');
    await refused(patch(e, OCC, { title: 'Now' }), 400, /A meeting that is in progress cannot be updated/);
    expect((await get(e, SALES)).body.state).toBe('inProgress');
    const series = await patch(e, SALES, { title: 'Renamed while running' });
    expect(series.status).toBe(200);
    expect(series.body.title).toBe('Renamed while running');
    // Other scheduled meetings of the series can still change.
    expect((await patch(e, NEXT_OCC, { title: 'Later' })).status).toBe(200);
  });

  test('MeetingSeriesObject.state lobby ("joined by participants, but no hosts have joined") is under way: PATCH and PUT of it are refused like inProgress, its series is not', async () => {
    const e = await emulator();
    e.setState(OCC, 'lobby');
    await refused(patch(e, OCC, { title: 'Now' }), 400, /in the lobby .*cannot be updated/);
    await refused(call(e, 'PUT', `/meetings/${OCC}`, { body: { title: 'Now' } }), 400, /in the lobby .*cannot be updated/);
    expect((await listed(e, OCC)).body).toMatchObject({ title: 'Sales Sync', isModified: false, state: 'lobby' });
    expect((await patch(e, SALES, { title: 'Renamed while waiting' })).status).toBe(200);
    // The description is silent on missed meetings: the emulator updates them (meetctl refuses to plan it).
    e.setState(NEXT_OCC, 'missed');
    expect((await patch(e, NEXT_OCC, { title: 'Missed' })).status).toBe(200);
  });

  test('CreateMeetingObject.adhoc: an ad-hoc meeting (adhoc with a roomId) is refused; a space meeting with a roomId is not', async () => {
    const room = 'Y2lzY29zcGFyazovL3VzL1JPT00vYWJj';
    const e = await withUtc([
      { id: 'adhoc0001', adhoc: true, roomId: room, start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' },
      { id: 'space0001', roomId: room, start: '2027-02-02T10:00:00Z', end: '2027-02-02T11:00:00Z' },
    ]);
    const adhoc = (await get(e, 'adhoc0001')).body;
    expect(adhoc.roomId).toBe(room);
    expect(adhoc.adhoc).toBeUndefined();
    await refused(patch(e, 'adhoc0001', { title: 'x' }), 400, /An ad-hoc meeting cannot be updated/);
    expect((await patch(e, 'space0001', { title: 'Space sync' })).body).toMatchObject({ title: 'Space sync', roomId: room });
  });

  test('a personal-room meeting', async () => {
    const e = await withUtc([{ id: 'pmr0001', scheduledType: 'personalRoomMeeting', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' }]);
    await refused(patch(e, 'pmr0001', { title: 'x' }), 400, /personal room meeting is not supported/);
  });

  test('a meeting created by a calendar connector (the flag is never returned)', async () => {
    const e = await withUtc([{ id: 'cal0001', createdByCalendarConnector: true, start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' }]);
    const view = (await get(e, 'cal0001')).body;
    expect(JSON.stringify(view)).not.toMatch(/calendar|Connector/i);
    await refused(patch(e, 'cal0001', { title: 'x' }), 400, /created by a calendar connector/);
  });

  test('a meeting starting 10 or more years from now', async () => {
    const e = await withUtc([{ id: 'far0001', start: '2037-01-15T09:05:00Z', end: '2037-01-15T10:00:00Z' }, { id: 'near0001', start: '2037-01-15T08:58:00Z', end: '2037-01-15T10:00:00Z' }]);
    await refused(patch(e, 'far0001', { title: 'x' }), 400, /10 or more years/);
    expect((await patch(e, 'near0001', { title: 'x' })).status).toBe(200);
  });
});

describe('series and scheduled meetings', () => {
  test('a PATCH of a scheduled meeting sets isModified and changes only it', async () => {
    const e = await emulator();
    const r = await patch(e, OCC, { title: 'Q1 review', end: '2027-03-16T10:00:00+01:00' });
    expect(r.body).toMatchObject({ id: OCC, isModified: true, title: 'Q1 review', end: '2027-03-16T10:00:00+01:00', meetingType: 'scheduledMeeting' });
    expect((await listed(e, NEXT_OCC)).body).toMatchObject({ title: 'Sales Sync', isModified: false });
    expect((await get(e, SALES)).body.title).toBe('Sales Sync');
  });

  test('a series change of other fields shows on unmodified scheduled meetings, not on modified ones', async () => {
    const e = await emulator();
    await patch(e, OCC, { title: 'Q1 review' });
    await patch(e, SALES, { title: 'Weekly Sales Sync', meetingOptions: { enabledChat: false } });
    expect((await get(e, NEXT_OCC)).body).toMatchObject({ title: 'Weekly Sales Sync', meetingOptions: { enabledChat: false } });
    expect((await get(e, OCC)).body).toMatchObject({ title: 'Q1 review', meetingOptions: { enabledChat: true } });
  });

  test('a series change of start, end or recurrence cancels every modified scheduled meeting still to come', async () => {
    for (const change of [{ end: '2027-03-02T10:00:00+01:00' }, { start: '2027-03-02T08:30:00+01:00' }, { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10' }]) {
      const e = await emulator();
      await patch(e, OCC, { title: 'Q1 review', end: '2027-03-16T10:00:00+01:00' });
      const r = await patch(e, SALES, change);
      expect(r.status).toBe(200);
      const list = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&isModified=true&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z`);
      expect(list.body.items).toEqual([]);
    }
  });

  test('paths./meetings/{meetingId}.delete.description ("cannot be recovered"): a deleted scheduled meeting stays deleted through a series change of end', async () => {
    const e = await weekly('2027-01-01T08:00:00Z');
    const deleted = `${WEEKLY_ID}_20270112T090000Z`;
    expect((await call(e, 'DELETE', `/meetings/${deleted}`)).status).toBe(204);
    expect((await get(e, deleted)).status).toBe(404);
    expect((await patch(e, WEEKLY_ID, { end: '2027-01-05T09:45:00Z' })).status).toBe(200);
    expect((await get(e, deleted)).status).toBe(404);
    const list = await call(e, 'GET', `/meetings?meetingSeriesId=${WEEKLY_ID}&meetingType=scheduledMeeting&from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z`);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual(
      ['20270105', '20270119', '20270126', '20270202', '20270209'].map((d) => `${WEEKLY_ID}_${d}T090000Z`),
    );
  });

  test('paths./meetings/{meetingId}.patch.description ("doesn\'t apply to ended or in-progress meeting instances"): a series change of recurrence keeps ended and in-progress modified meetings, by state', async () => {
    const e = await weekly('2027-01-12T09:10:00Z', [
      { originalStart: '2027-01-05T09:00:00Z', isModified: true, state: 'ended', title: 'Kickoff' },
      { originalStart: '2027-01-12T09:00:00Z', isModified: true, state: 'inProgress', title: 'Running special' },
    ]);
    expect((await patch(e, WEEKLY_ID, { recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=8' })).status).toBe(200);
    expect((await listed(e, `${WEEKLY_ID}_20270105T090000Z`)).body).toMatchObject({ state: 'ended', isModified: true, title: 'Kickoff' });
    expect((await listed(e, `${WEEKLY_ID}_20270112T090000Z`)).body).toMatchObject({ state: 'inProgress', isModified: true, title: 'Running special' });
  });

  test('paths./meetings/{meetingId}.patch.description: by the clock too, a modified meeting that has ended or has started keeps its record; one still to come reverts', async () => {
    const e = await weekly('2027-01-01T08:00:00Z');
    for (const [d, title] of [['20270105', 'Kickoff'], ['20270112', 'Running special'], ['20270119', 'Later special']])
      expect((await patch(e, `${WEEKLY_ID}_${d}T090000Z`, { title })).status).toBe(200);
    e.clock.set('2027-01-12T09:10:00Z');
    expect((await patch(e, WEEKLY_ID, { recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=8' })).status).toBe(200);
    expect((await listed(e, `${WEEKLY_ID}_20270105T090000Z`)).body).toMatchObject({ state: 'missed', isModified: true, title: 'Kickoff' });
    expect((await listed(e, `${WEEKLY_ID}_20270112T090000Z`)).body).toMatchObject({ state: 'ready', isModified: true, title: 'Running special' });
    expect((await listed(e, `${WEEKLY_ID}_20270119T090000Z`)).body).toMatchObject({ state: 'scheduled', isModified: false, title: 'Weekly' });
  });

  test('a series change of end reverts a modified meeting still to come to the series, under the same id (the reading of "is cancelled")', async () => {
    const e = await weekly('2027-01-01T08:00:00Z');
    const occ = `${WEEKLY_ID}_20270119T090000Z`;
    await patch(e, occ, { title: 'Special', start: '2027-01-19T10:00:00Z', end: '2027-01-19T10:30:00Z' });
    expect((await patch(e, WEEKLY_ID, { end: '2027-01-05T09:45:00Z' })).status).toBe(200);
    expect((await listed(e, occ)).body).toMatchObject({ id: occ, isModified: false, title: 'Weekly', start: '2027-01-19T09:00:00Z', end: '2027-01-19T09:45:00Z' });
  });

  test('a rescheduled series is re-expanded from its new start', async () => {
    const e = await emulator();
    await patch(e, SALES, { start: '2027-03-03T09:00:00+01:00', end: '2027-03-03T09:30:00+01:00', recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=3' });
    const list = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z`);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([`${SALES}_20270303T080000Z`, `${SALES}_20270310T080000Z`, `${SALES}_20270317T080000Z`]);
    expect((await get(e, OCC)).status).toBe(404);
  });

  test('a series change of other fields keeps modified scheduled meetings', async () => {
    const e = await emulator();
    await patch(e, OCC, { title: 'Q1 review' });
    await patch(e, SALES, { agenda: 'New agenda' });
    expect((await listed(e, OCC)).body).toMatchObject({ title: 'Q1 review', isModified: true });
  });
});
