/** The `current` parameter of list and get, and the start/end it makes a series show. */
import { describe, expect, test } from 'vitest';
import { BOARD, SALES, call, emulator } from './helpers.js';

const YEAR = 'from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100';
/** Compare instants, whatever zone a response writes them in. */
const utc = (text: string) => new Date(Date.parse(text)).toISOString();
const item = (r: { body: { items: { id: string }[] } }, id: string) => r.body.items.find((m) => m.id === id) as Record<string, string> | undefined;

describe('list: current', () => {
  test('paths./meetings.get.parameters.current (default true): a series shows its upcoming scheduled meeting; id and meetingType stay the series\'', async () => {
    const e = await emulator();
    e.clock.set('2027-03-10T00:00:00Z');
    for (const query of [YEAR, `${YEAR}&current=true`]) {
      const sales = item(await call(e, 'GET', `/meetings?${query}`), SALES)!;
      expect(sales).toMatchObject({ id: SALES, meetingType: 'meetingSeries', meetingSeriesId: SALES });
      expect([utc(sales.start), utc(sales.end)]).toEqual(['2027-03-16T08:00:00.000Z', '2027-03-16T08:30:00.000Z']);
    }
  });

  test('paths./meetings.get.parameters.current=false: a series shows its own first start and end', async () => {
    const e = await emulator();
    e.clock.set('2027-03-10T00:00:00Z');
    const sales = item(await call(e, 'GET', `/meetings?${YEAR}&current=false`), SALES)!;
    expect([utc(sales.start), utc(sales.end)]).toEqual(['2027-03-02T08:00:00.000Z', '2027-03-02T08:30:00.000Z']);
  });

  test('paths./meetings.get.parameters.current: an ongoing (ready) scheduled meeting is the current one', async () => {
    const e = await emulator();
    e.clock.set('2027-03-16T08:10:00Z');
    expect(utc(item(await call(e, 'GET', `/meetings?${YEAR}`), SALES)!.start)).toBe('2027-03-16T08:00:00.000Z');
    // One set in progress behind the API's back wins over an earlier upcoming one.
    e.clock.set('2027-03-10T00:00:00Z');
    e.setState(`${SALES}_20270323T080000Z`, 'inProgress');
    expect(utc(item(await call(e, 'GET', `/meetings?${YEAR}`), SALES)!.start)).toBe('2027-03-23T08:00:00.000Z');
  });

  test('paths./meetings.get.parameters.current: a series with nothing ahead keeps its own start', async () => {
    const e = await emulator();
    e.clock.set('2027-08-01T00:00:00Z');
    const sales = item(await call(e, 'GET', `/meetings?${YEAR}`), SALES)!;
    expect(utc(sales.start)).toBe('2027-03-02T08:00:00.000Z');
    expect((await call(e, 'GET', `/meetings?${YEAR}&current=maybe`)).status).toBe(400);
  });
});

describe('get: current', () => {
  test('paths./meetings/{meetingId}.get.parameters.current (default false): the series itself, with its first start', async () => {
    const e = await emulator();
    e.clock.set('2027-03-10T00:00:00Z');
    for (const query of ['', '?current=false']) {
      const r = await call(e, 'GET', `/meetings/${SALES}${query}`);
      expect(r.body).toMatchObject({ id: SALES, meetingType: 'meetingSeries' });
      expect(utc(r.body.start)).toBe('2027-03-02T08:00:00.000Z');
    }
  });

  test('paths./meetings/{meetingId}.get.parameters.current=true: the current scheduled meeting of the series', async () => {
    const e = await emulator();
    e.clock.set('2027-03-10T00:00:00Z');
    const r = await call(e, 'GET', `/meetings/${SALES}?current=true`);
    expect(r.body).toMatchObject({ id: `${SALES}_20270316T080000Z`, meetingType: 'scheduledMeeting' });
    // Get a Meeting answers a MeetingSeriesObject: no meetingSeriesId, unlike a list item.
    expect(r.body.meetingSeriesId).toBeUndefined();
    expect(utc(r.body.start)).toBe('2027-03-16T08:00:00.000Z');
    // It only applies to a series: a scheduled meeting id answers itself; a one-off is its own occurrence.
    expect((await call(e, 'GET', `/meetings/${SALES}_20270330T070000Z?current=true`)).body.id).toBe(`${SALES}_20270330T070000Z`);
    expect(utc((await call(e, 'GET', `/meetings/${BOARD}?current=true`)).body.start)).toBe('2027-05-14T07:00:00.000Z');
    expect((await call(e, 'GET', `/meetings/${SALES}?current=yes`)).status).toBe(400);
  });
});
