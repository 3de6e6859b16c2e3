/** One test per Webex update rule (the reference and DESIGN.md's rules table), each checking status and message. */
import { describe, expect, test } from 'vitest';
import { BOARD, SALES, WEBINAR, call, emulator, get, patch } from './helpers.js';
import { OCC, UTC_ID, withUtc, allStarts, refused } from './rule-helpers.js';

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
