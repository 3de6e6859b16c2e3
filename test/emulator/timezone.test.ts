/** The `timezone` request header: the zone of every start and end a read carries, UTC without it; writes answer in the meeting's own zone. */
import { describe, expect, test } from 'vitest';
import { BOARD, SALES, call, emulator, patch } from './helpers.js';

const YEAR = 'from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100';
const tz = (zone: string) => ({ headers: { timezone: zone } });

describe('timezone header', () => {
  test('paths./meetings.get.parameters.timezone (header, UTC without it): list items are written in UTC, timezone says UTC', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', `/meetings?${YEAR}&current=false`);
    const sales = r.body.items.find((m: { id: string }) => m.id === SALES);
    expect(sales).toMatchObject({ timezone: 'UTC', start: '2027-03-02T08:00:00Z', end: '2027-03-02T08:30:00Z' });
    for (const m of r.body.items) expect(m.timezone).toBe('UTC');
  });

  test('paths./meetings.get.parameters.timezone: with the header, items are written in that zone with its offset', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', `/meetings?${YEAR}&current=false`, tz('America/New_York'));
    const sales = r.body.items.find((m: { id: string }) => m.id === SALES);
    expect(sales).toMatchObject({ timezone: 'America/New_York', start: '2027-03-02T03:00:00-05:00', end: '2027-03-02T03:30:00-05:00' });
    const occ = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&${YEAR}`, tz('Asia/Tokyo'));
    expect(occ.body.items[0]).toMatchObject({ timezone: 'Asia/Tokyo', start: '2027-03-02T17:00:00+09:00' });
    expect((await call(e, 'GET', `/meetings?${YEAR}`, tz('Mars/Olympus'))).status).toBe(400);
  });

  test('paths./meetings/{meetingId}.get.parameters.timezone: get in UTC without the header, in the header zone with it; invalid is 400', async () => {
    const e = await emulator();
    expect((await call(e, 'GET', `/meetings/${BOARD}`)).body).toMatchObject({ timezone: 'UTC', start: '2027-05-14T07:00:00Z', end: '2027-05-14T09:00:00Z' });
    expect((await call(e, 'GET', `/meetings/${BOARD}`, tz('Europe/Berlin'))).body).toMatchObject({
      timezone: 'Europe/Berlin',
      start: '2027-05-14T09:00:00+02:00',
      end: '2027-05-14T11:00:00+02:00',
    });
    expect((await call(e, 'GET', `/meetings/${SALES}_20270316T080000Z`)).body).toMatchObject({ timezone: 'UTC', start: '2027-03-16T08:00:00Z' });
    const bad = await call(e, 'GET', `/meetings/${BOARD}`, tz('Nowhere/Special'));
    expect(bad.status).toBe(400);
  });

  test('PATCH answers in the meeting zone with the header or without it; writes do not read the header, so a bad one is no error', async () => {
    const e = await emulator();
    expect((await patch(e, BOARD, { title: 'Board' })).body).toMatchObject({ timezone: 'Asia/Tokyo', start: '2027-05-14T16:00:00+09:00' });
    const r = await call(e, 'PATCH', `/meetings/${BOARD}`, { body: { title: 'Board 2' }, ...tz('America/Los_Angeles') });
    expect(r.body).toMatchObject({ timezone: 'Asia/Tokyo', start: '2027-05-14T16:00:00+09:00' });
    expect((await call(e, 'PATCH', `/meetings/${BOARD}`, { body: { title: 'Board 3' }, ...tz('Mars/Olympus') })).status).toBe(200);
  });

  test('paths./meetings.post.responses.200 and paths./meetings/{meetingId}.patch.responses.200 examples: writes answer in the zone the meeting is scheduled in, whatever the header', async () => {
    const e = await emulator();
    const created = await call(e, 'POST', '/meetings', { body: { title: 'Shanghai', start: '2027-02-01T20:00:00+08:00', end: '2027-02-01T21:00:00+08:00', timezone: 'Asia/Shanghai' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ timezone: 'Asia/Shanghai', start: '2027-02-01T20:00:00+08:00', end: '2027-02-01T21:00:00+08:00' });
    const id = created.body.id as string;
    expect((await patch(e, id, { title: 'Shanghai 2' })).body).toMatchObject({ timezone: 'Asia/Shanghai', start: '2027-02-01T20:00:00+08:00' });
    const put = await call(e, 'PUT', `/meetings/${id}`, { body: { title: 'Shanghai 3', start: '2027-02-01T12:00:00Z', end: '2027-02-01T13:00:00Z' }, ...tz('America/Los_Angeles') });
    expect(put.body).toMatchObject({ timezone: 'Asia/Shanghai', start: '2027-02-01T20:00:00+08:00', end: '2027-02-01T21:00:00+08:00' });
    // A scheduled meeting answers in its series' zone.
    expect((await patch(e, `${SALES}_20270316T080000Z`, { title: 'One sales call' })).body).toMatchObject({ timezone: 'Europe/Berlin', start: '2027-03-16T09:00:00+01:00' });
    // Reads are unchanged: UTC without the header.
    expect((await call(e, 'GET', `/meetings/${id}`)).body).toMatchObject({ timezone: 'UTC', start: '2027-02-01T12:00:00Z' });
  });

  test('reads without the header: a weekly 09:00 Europe/Berlin series moves in UTC across DST', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&${YEAR}`);
    expect(r.body.items.slice(3, 5).map((m: { start: string }) => m.start)).toEqual(['2027-03-23T08:00:00Z', '2027-03-30T07:00:00Z']);
  });

  test('PatchMeetingObject.timezone sets the zone the meeting is scheduled in (wall times, recurrence, and the zone the write answers in), not that of reads', async () => {
    const e = await emulator();
    const r = await patch(e, SALES, { timezone: 'America/New_York', start: '2027-03-02T09:00:00', end: '2027-03-02T09:30:00' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ timezone: 'America/New_York', start: '2027-03-02T09:00:00-05:00' });
    // New York moves to summer time on 14 March 2027: 09:00 there is 13:00 UTC from then on.
    const list = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&${YEAR}`);
    expect(list.body.items.slice(1, 3).map((m: { start: string }) => m.start)).toEqual(['2027-03-09T14:00:00Z', '2027-03-16T13:00:00Z']);
  });
});
