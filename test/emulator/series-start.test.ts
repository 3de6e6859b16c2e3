/**
 * MeetingSeriesObject.properties.start: "If the meeting is a meeting series, `start` is the date and
 * time the first meeting of the series starts"; MeetingObjectForListMeeting.properties.start: "`start`
 * is the scheduled start time of the first occurrence of this series". A series written with a start
 * its rule does not produce (a Monday, for Tuesdays) starts, as the API shows it, where its first
 * scheduled meeting does, and ends the same time later; its scheduled meetings and their ids are those
 * of the rule, whatever start it was written with.
 */
import { describe, expect, test } from 'vitest';
import { SALES, call, emulator, patch, listed } from './helpers.js';

const YEAR = 'from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z';
type Emu = Awaited<ReturnType<typeof emulator>>;

async function scheduled(e: Emu, id: string): Promise<{ id: string; start: string; end: string }[]> {
  const r = await call(e, 'GET', `/meetings?meetingSeriesId=${id}&${YEAR}&max=100`);
  expect(r.status).toBe(200);
  return r.body.items.map(({ id: x, start, end }: { id: string; start: string; end: string }) => ({ id: x, start, end }));
}

/** The series as Get a Meeting and List Meetings (current=false) show it, beside its first scheduled meeting. */
async function seriesAndFirst(e: Emu, id: string) {
  const got = (await call(e, 'GET', `/meetings/${id}`)).body;
  const listed = (await call(e, 'GET', `/meetings?meetingType=meetingSeries&current=false&${YEAR}&max=100`)).body.items.find((m: { id: string }) => m.id === id);
  const first = (await scheduled(e, id))[0];
  return { got: { start: got.start, end: got.end }, listed: { start: listed.start, end: listed.end }, first: { start: first.start, end: first.end } };
}

describe('a series starts where its first scheduled meeting starts', () => {
  test('POST /meetings: a Monday start for Tuesdays is the first Tuesday, as the answer, Get, List and the scheduled meetings show it', async () => {
    const e = await emulator();
    const created = await call(e, 'POST', '/meetings', {
      body: { title: 'Tuesdays', timezone: 'Europe/Berlin', start: '2027-03-01T09:00:00', end: '2027-03-01T09:30:00', recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T09:30:00+01:00', recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3' });
    const id = created.body.id as string;
    const one = { start: '2027-03-02T08:00:00Z', end: '2027-03-02T08:30:00Z' };
    expect(await seriesAndFirst(e, id)).toEqual({ got: one, listed: one, first: one });
    expect((await scheduled(e, id)).map((m) => m.id.slice(33))).toEqual(['20270302T080000Z', '20270309T080000Z', '20270316T080000Z']);
  });

  test('a seed: the series shows its first meeting; the scheduled meetings, their ids and the occurrences seeded by id are those of the rule', async () => {
    const e = await emulator({
      seed: {
        meetings: [
          {
            id: 'monday',
            timezone: 'Europe/Berlin',
            start: '2027-03-01T09:00:00',
            end: '2027-03-01T10:00:00',
            recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3',
            occurrences: [{ id: 'monday_20270309T080000Z', title: 'Second' }],
          },
        ],
      },
    });
    const one = { start: '2027-03-02T08:00:00Z', end: '2027-03-02T09:00:00Z' };
    expect(await seriesAndFirst(e, 'monday')).toEqual({ got: one, listed: one, first: one });
    const meetings = await scheduled(e, 'monday');
    expect(meetings.map((m) => m.id)).toEqual(['monday_20270302T080000Z', 'monday_20270309T080000Z', 'monday_20270316T080000Z']);
    expect((await listed(e, 'monday_20270309T080000Z')).body).toMatchObject({ title: 'Second', isModified: true });
  });

  test('every kind of rule, created from a start it does not produce: the series shows its first meeting, with the duration written', async () => {
    const e = await emulator();
    // Monday 1 March 2027, 09:00 to 09:45 in New York.
    const rules = [
      'FREQ=WEEKLY;BYDAY=WE,FR;COUNT=4',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU',
      'FREQ=DAILY;BYDAY=SA,SU;COUNT=5',
      'FREQ=DAILY;BYMONTHDAY=15;COUNT=2',
      'FREQ=MONTHLY;BYDAY=-1FR;COUNT=3',
      'FREQ=MONTHLY;BYMONTHDAY=20;UNTIL=20271231T000000Z',
      'FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2;COUNT=2',
      'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30;COUNT=2',
      'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    ];
    for (const recurrence of rules) {
      const created = await call(e, 'POST', '/meetings', {
        body: { title: recurrence, timezone: 'America/New_York', start: '2027-03-01T09:00:00', end: '2027-03-01T09:45:00', recurrence },
      });
      expect({ recurrence, status: created.status }).toEqual({ recurrence, status: 200 });
      const id = created.body.id as string;
      const first = (await call(e, 'GET', `/meetings?meetingSeriesId=${id}&from=2027-01-01T00:00:00Z&to=2029-01-01T00:00:00Z&max=1`)).body.items[0];
      const got = (await call(e, 'GET', `/meetings/${id}`)).body;
      expect({ recurrence, start: got.start, end: got.end }).toEqual({ recurrence, start: first.start, end: first.end });
      expect(Date.parse(got.end) - Date.parse(got.start)).toBe(45 * 60_000);
    }
  });

  test('PATCH: a new rule moves the start to its first meeting; a change of other fields leaves the start alone', async () => {
    const e = await emulator();
    // The sales sync: Tuesdays from 2 March 2027, 09:00 in Berlin. Wednesdays from the same start begin on 3 March.
    const r = await patch(e, SALES, { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=20' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ start: '2027-03-03T09:00:00+01:00', end: '2027-03-03T09:30:00+01:00' });
    const one = { start: '2027-03-03T08:00:00Z', end: '2027-03-03T08:30:00Z' };
    expect(await seriesAndFirst(e, SALES)).toEqual({ got: one, listed: one, first: one });
    expect((await patch(e, SALES, { title: 'Sales on Wednesdays' })).body).toMatchObject({ start: '2027-03-03T09:00:00+01:00' });
    // PUT and a start written for a Monday: the first Wednesday after it.
    const put = await call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'Sales', start: '2027-03-08T10:00:00+01:00', end: '2027-03-08T10:30:00+01:00', recurrence: 'FREQ=WEEKLY;BYDAY=WE;COUNT=4' } });
    expect(put.body).toMatchObject({ start: '2027-03-10T10:00:00+01:00', end: '2027-03-10T10:30:00+01:00' });
  });

  test('a series without a rule keeps the start it was written with', async () => {
    const e = await emulator();
    const created = await call(e, 'POST', '/meetings', { body: { title: 'Once', timezone: 'UTC', start: '2027-03-01T09:00:00Z', end: '2027-03-01T09:30:00Z' } });
    expect(created.body).toMatchObject({ start: '2027-03-01T09:00:00Z', end: '2027-03-01T09:30:00Z' });
    const r = await patch(e, SALES, { recurrence: null, start: '2027-03-01T09:00:00+01:00', end: '2027-03-01T09:30:00+01:00' });
    expect(r.body).toMatchObject({ start: '2027-03-01T09:00:00+01:00' });
  });
});
