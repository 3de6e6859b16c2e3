import { describe, expect, test } from 'vitest';
import type { IdentifiedMeeting } from '../../meetings/desired.js';
import { planOccurrences, planScheduled, planSeries, type Fetched } from '../../meetings/planner.js';
import type { Meeting } from '../../meetings/client.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');
const SERIES = '1d824a4a205042eba9574e00b711b226';
const ctx = { nowMs: NOW, env: { SYNC_PW: 'S3cret-pw!' } };

function desired(fields: Record<string, unknown>, occurrences: IdentifiedMeeting['occurrences'] = []): IdentifiedMeeting {
  return { id: SERIES, file: 'meetings/sync.yaml', fields, occurrences, locate: () => ({ file: 'meetings/sync.yaml', line: 1, col: 1 }) };
}

function live(extra: Record<string, unknown> = {}): Meeting {
  return {
    id: SERIES,
    meetingType: 'meetingSeries',
    scheduledType: 'meeting',
    state: 'active',
    title: 'Weekly Sync',
    agenda: 'Status',
    password: 'S3cret-pw!',
    timezone: 'Europe/Berlin',
    start: '2027-03-02T09:00:00+01:00',
    end: '2027-03-02T09:30:00+01:00',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
    enabledJoinBeforeHost: false,
    joinBeforeHostMinutes: 0,
    meetingOptions: { enabledChat: true, enabledVideo: true, enabledNote: true, noteType: 'allowAll' },
    trackingCodes: [
      { name: 'Region', value: 'EMEA' },
      { name: 'Department', value: 'Sales' },
    ],
    integrationTags: ['SALES-42'],
    ...extra,
  };
}

const found = (m: Meeting): Fetched => ({ ok: true, meeting: m });

describe('an unchanged meeting plans no change', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>?][] = [
    ['the same instant written with another offset', { start: '2027-03-02T08:00:00Z', end: '2027-03-02T10:30:00+02:00' }],
    ['a wall-clock time read in the file\'s time zone', { timezone: 'Europe/Berlin', start: '2027-03-02T09:00:00', end: '2027-03-02T09:30' }],
    ['a wall-clock time across DST (summer offset)', { timezone: 'Europe/Berlin', start: '2027-07-06T09:00:00' }, { start: '2027-07-06T07:00:00Z', end: '2027-07-06T07:30:00Z' }],
    ['seconds and milliseconds below the minute', { start: '2027-03-02T09:00:42.123+01:00' }],
    ['a recurrence with another part order and case', { recurrence: 'freq=weekly;byday=TU;count=20' }],
    ['a recurrence without INTERVAL=1', { recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=20' }],
    ['a MONTHLY rule with several BYMONTHDAY values (Webex keeps the first)', { recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=10,11,12;COUNT=10' }, { recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=10;COUNT=10' }],
    // The meetings that start within five years of now: 255 Tuesdays from 2027-03-02.
    ['a COUNT that runs past five years from now', { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=400' }, { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=255' }],
    ['an API default that the response leaves out', { enabledAutoRecordMeeting: false }],
    ['joinBeforeHostMinutes 0 when the response leaves it out', { joinBeforeHostMinutes: 0 }, { joinBeforeHostMinutes: undefined }],
    ['tracking codes in another order', { trackingCodes: [{ name: 'Department', value: 'Sales' }, { name: 'Region', value: 'EMEA' }] }],
    ['a password given as an environment reference', { password: '${env:SYNC_PW}' }],
    ['a nested object that manages only some members', { meetingOptions: { enabledChat: true } }],
    ['null for an agenda that is already empty', { agenda: null }, { agenda: undefined }],
    ['response-only fields on the live side', { title: 'Weekly Sync' }, { meetingNumber: '123', webLink: 'https://x', telephony: {} }],
  ];
  test.each(cases)('%s', (_name, fields, liveExtra) => {
    const plan = planSeries(desired(fields), found(live(liveExtra)), ctx);
    expect(plan.change.reason).toBeUndefined();
    expect(plan.change.action).toBe('noop');
    expect(plan.change.patch).toEqual({});
  });
});

describe('minimal patches', () => {
  test('only the changed fields, nested objects only their changed members', () => {
    const plan = planSeries(desired({ title: 'Weekly Sales Sync', agenda: 'Status', meetingOptions: { enabledChat: false, enabledVideo: true } }), found(live()), ctx);
    expect(plan.change.action).toBe('update');
    expect(plan.change.patch).toEqual({ title: 'Weekly Sales Sync', meetingOptions: { enabledChat: false } });
    expect(plan.change.before).toEqual({ title: 'Weekly Sync', meetingOptions: { enabledChat: true } });
  });

  test('an object Webex takes whole (liveStream) is sent as the file has it when a member differs, not only that member', () => {
    const stream = { destination: 'YouTube', rtmpUrl: 'rtmp://a.example/live', streamUrl: 'https://example.com/watch' };
    const current = live({ enabledLiveStream: true, liveStream: { ...stream, resolution: '720p' } });
    const same = planSeries(desired({ enabledLiveStream: true, liveStream: { ...stream, resolution: '720p' } }), found(current), ctx);
    expect(same.change.action).toBe('noop');
    const plan = planSeries(desired({ enabledLiveStream: true, liveStream: { ...stream, resolution: '1080p' } }), found(current), ctx);
    expect(plan.change.patch).toEqual({ liveStream: { ...stream, resolution: '1080p' } });
    expect(plan.change.before).toEqual({ liveStream: { ...stream, resolution: '720p' } });
  });

  test('arrays are sent whole when they differ', () => {
    const plan = planSeries(desired({ integrationTags: ['SALES-42', 'Q1'], trackingCodes: [{ name: 'Department', value: 'Sales' }] }), found(live()), ctx);
    expect(plan.change.patch).toEqual({ integrationTags: ['SALES-42', 'Q1'], trackingCodes: [{ name: 'Department', value: 'Sales' }] });
  });

  test('explicit null clears agenda, recurrence and trackingCodes', () => {
    const plan = planSeries(desired({ agenda: null, trackingCodes: null }), found(live()), ctx);
    expect(plan.change.patch).toEqual({ agenda: null, trackingCodes: null });
  });

  test('a new wall-clock start is sent with the offset its zone has then', () => {
    const plan = planSeries(desired({ timezone: 'Europe/Berlin', start: '2027-07-06T10:00:00', end: '2027-07-06T10:30:00', recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20' }), found(live()), ctx);
    // The zone goes with the new times, so Webex schedules the series in it.
    expect(plan.change.patch).toEqual({ start: '2027-07-06T10:00:00+02:00', end: '2027-07-06T10:30:00+02:00', timezone: 'Europe/Berlin' });
  });

  test('a password change is sent as its reference and marked sensitive', () => {
    const plan = planSeries(desired({ password: '${env:SYNC_PW}' }), found(live({ password: 'old-one' })), ctx);
    expect(plan.change.patch).toEqual({ password: '${env:SYNC_PW}' });
    expect(plan.change.before).toEqual({ password: '(sensitive)' });
    expect(plan.change.sensitive).toEqual(['password']);
    expect(JSON.stringify(plan.change)).not.toContain('S3cret-pw!');
    expect(JSON.stringify(plan.change)).not.toContain('old-one');
  });

  test('a missing environment variable is an error naming it', () => {
    const plan = planSeries(desired({ password: '${env:NOPE}' }), found(live()), ctx);
    expect(plan.change.action).toBe('error');
    expect(plan.change.reason).toContain('NOPE');
  });

  test('a truncated recurrence is sent normalized, with a warning', () => {
    const plan = planSeries(desired({ recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=6' }), found(live()), ctx);
    expect(plan.change.patch).toEqual({ recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=6' });
    expect(plan.change.warnings.join(' ')).toMatch(/BYMONTHDAY/);
  });
});

describe('Webex rules that need the live meeting', () => {
  test('webinar-only options on a meeting are errors', () => {
    const plan = planSeries(desired({ requireAttendeeLogin: true, meetingOptions: { enabledPolling: true } }), found(live()), ctx);
    expect(plan.change.action).toBe('error');
    expect(plan.change.reason).toMatch(/requireAttendeeLogin applies to webinars only/);
    expect(plan.change.reason).toMatch(/meetingOptions.enabledPolling applies to webinars only/);
  });

  test('attendeePrivileges on a webinar is an error', () => {
    const plan = planSeries(desired({ attendeePrivileges: { enabledChatHost: true } }), found(live({ scheduledType: 'webinar' })), ctx);
    expect(plan.change.reason).toMatch(/not supported for a webinar/);
    // The reason points at where the value is written (here the stub locator's position).
    expect(plan.change.reason).toContain('(meetings/sync.yaml:1:1)');
  });

  test('joinBeforeHostMinutes follows the kind of meeting', () => {
    const meeting = planSeries(desired({ enabledJoinBeforeHost: true, joinBeforeHostMinutes: 30 }), found(live()), ctx);
    expect(meeting.change.reason).toMatch(/0, 5, 10, 15 for a meeting/);
    const webinar = planSeries(desired({ enabledJoinBeforeHost: true, joinBeforeHostMinutes: 30 }), found(live({ scheduledType: 'webinar' })), ctx);
    expect(webinar.change.action).toBe('update');
  });

  test('joinBeforeHostMinutes needs join-before-host on, from the file or the live meeting', () => {
    const plan = planSeries(desired({ joinBeforeHostMinutes: 10 }), found(live()), ctx);
    expect(plan.change.reason).toMatch(/needs enabledJoinBeforeHost/);
    const ok = planSeries(desired({ joinBeforeHostMinutes: 10 }), found(live({ enabledJoinBeforeHost: true })), ctx);
    expect(ok.change.action).toBe('update');
  });

  test('a start in the past (server time) is refused', () => {
    const plan = planSeries(desired({ start: '2027-01-10T09:00:00+01:00', end: '2027-01-10T09:30:00+01:00' }), found(live()), ctx);
    expect(plan.change.action).toBe('error');
    expect(plan.change.reason).toMatch(/in the past \(server time 2027-01-15T09:00:00.000Z\)/);
  });

  test('a duration under 10 minutes is refused', () => {
    const plan = planSeries(desired({ end: '2027-03-02T09:05:00+01:00' }), found(live()), ctx);
    expect(plan.change.reason).toMatch(/at least 10/);
  });

  test.each([
    ['a personal room meeting', { scheduledType: 'personalRoomMeeting' }, /personal room/],
    ['a meeting 10 years ahead', { start: '2037-02-01T09:00:00Z', end: '2037-02-01T10:00:00Z' }, /10 or more years/],
  ])('%s is not updatable and nothing is sent', (_n, extra, reason) => {
    const plan = planSeries(desired({ title: 'Changed' }), found(live(extra)), ctx);
    expect(plan.change.action).toBe('notUpdatable');
    expect(plan.change.reason).toMatch(reason);
  });

  // Only an ad-hoc meeting of a space is refused, and a read does not say `adhoc`; a series whose
  // meeting of today is running is updatable (only that running instance is not).
  test.each([
    ['a meeting scheduled in a space (roomId)', { roomId: 'Y2lzY29' }],
    ['a series one of whose meetings is in progress', { state: 'inProgress' }],
  ])('%s is updatable', (_n, extra) => {
    const plan = planSeries(desired({ title: 'Changed' }), found(live(extra)), ctx);
    expect(plan.change.reason).toBeUndefined();
    expect(plan.change).toMatchObject({ action: 'update', patch: { title: 'Changed' } });
  });

  test('a missing meeting is an error for that file only', () => {
    const plan = planSeries(desired({ title: 'X' }), { ok: false, status: 404, message: 'not found' }, ctx);
    expect(plan.change.action).toBe('error');
    expect(plan.change.reason).toMatch(/not found \(404\)/);
  });
});

describe('series and occurrences', () => {
  const occId = `${SERIES}_20270316T080000Z`;
  const occurrence = (extra: Record<string, unknown> = {}): Meeting => ({
    ...live(),
    id: occId,
    meetingSeriesId: SERIES,
    meetingType: 'scheduledMeeting',
    state: 'scheduled',
    isModified: false,
    start: '2027-03-16T09:00:00+01:00',
    end: '2027-03-16T09:30:00+01:00',
    recurrence: undefined,
    ...extra,
  });

  test('an occurrence override patches only its differences, after its series', () => {
    const d = desired({ title: 'Weekly Sales Sync', timezone: 'Europe/Berlin' }, [{ id: occId, fields: { title: 'Q1 review', end: '2027-03-16T10:00:00+01:00' } }]);
    const series = planSeries(d, found(live()), ctx);
    const changes = planOccurrences(series, new Map([[occId, found(occurrence())]]), ctx);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      id: occId,
      kind: 'scheduledMeeting',
      action: 'update',
      order: 1,
      dependsOn: SERIES,
      patch: { title: 'Q1 review', end: '2027-03-16T10:00:00+01:00', timezone: 'Europe/Berlin' },
    });
    expect(series.change.order).toBe(0);
  });

  test('a rescheduling series change names the occurrences it cancels and re-sends declared overrides in full', () => {
    const d = desired({ timezone: 'Europe/Berlin', start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T10:00:00+01:00' }, [
      { id: occId, fields: { title: 'Q1 review', end: '2027-03-16T10:30:00+01:00' } },
    ]);
    const series = planSeries(d, found(live()), ctx);
    expect(series.reschedules).toBe(true);
    const modified = [occurrence({ isModified: true, title: 'Q1 review' }), occurrence({ id: `${SERIES}_20270323T080000Z`, isModified: true })];
    const [seriesChange, ...changes] = planScheduled(series, { declared: new Map(), modified }, ctx);
    expect(seriesChange.warnings.join('\n')).toContain(`cancels its 2 modified scheduled meetings: ${occId} (re-applied from the file after the series change), ${SERIES}_20270323T080000Z`);
    expect(changes[0]).toMatchObject({
      action: 'update',
      dependsOn: SERIES,
      fingerprint: '',
      patch: { title: 'Q1 review', end: '2027-03-16T10:30:00+01:00', timezone: 'Europe/Berlin' },
    });
  });

  test('an override whose id no longer exists after the series moves is an error', () => {
    const d = desired({ start: '2027-03-02T11:00:00+01:00', end: '2027-03-02T11:30:00+01:00' }, [{ id: occId, fields: { title: 'Q1 review' } }]);
    const series = planSeries(d, found(live()), ctx);
    const changes = planOccurrences(series, new Map(), ctx);
    expect(changes[0].action).toBe('error');
    expect(changes[0].reason).toMatch(/no scheduled meeting/);
  });

  test('an ended occurrence is not updatable', () => {
    const d = desired({}, [{ id: occId, fields: { title: 'Q1 review' } }]);
    const series = planSeries(d, found(live()), ctx);
    const changes = planOccurrences(series, new Map([[occId, found(occurrence({ state: 'ended' }))]]), ctx);
    expect(changes[0]).toMatchObject({ action: 'notUpdatable', reason: 'the meeting has ended' });
  });

  test('an occurrence in progress is not updatable', () => {
    const d = desired({}, [{ id: occId, fields: { title: 'Q1 review' } }]);
    const series = planSeries(d, found(live({ state: 'inProgress' })), ctx);
    const changes = planOccurrences(series, new Map([[occId, found(occurrence({ state: 'inProgress' }))]]), ctx);
    expect(changes[0]).toMatchObject({ action: 'notUpdatable', reason: 'the meeting is in progress' });
  });

  test('integrationTags are never planned for an occurrence', () => {
    const d = desired({}, [{ id: occId, fields: { integrationTags: ['X'] } }]);
    const series = planSeries(d, found(live()), ctx);
    const changes = planOccurrences(series, new Map([[occId, found(occurrence())]]), ctx);
    expect(changes[0].action).toBe('error');
    expect(changes[0].reason).toMatch(/integrationTags cannot be set on a scheduled meeting/);
    expect(changes[0].patch).toEqual({});
  });

  test('an unmodified occurrence inherits the series change before its own diff', () => {
    const d = desired({ title: 'New title' }, [{ id: occId, fields: { title: 'New title' } }]);
    const series = planSeries(d, found(live()), ctx);
    const changes = planOccurrences(series, new Map([[occId, found(occurrence())]]), ctx);
    expect(changes[0].action).toBe('noop');
  });
});
