/** Webex update rules across a series and its scheduled meetings: merge-patch semantics, meetings that cannot be updated, what a series change does to its scheduled meetings (test/emulator/rules.test.ts has the field rules). */
import { describe, expect, test } from 'vitest';
import { SALES, call, emulator, get, listed, patch } from './helpers.js';
import { OCC, NEXT_OCC, withUtc, WEEKLY_ID, weekly, refused } from './rule-helpers.js';

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
