import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { builtinSeed, generateSeed } from '../../emulator/index.js';
import { BOARD, SALES, WEBINAR, call, emulator, messages, patch } from './helpers.js';

const YEAR = 'from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z';
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((m) => m.id);

async function flagFiltersNothing(flag: string): Promise<void> {
  const e = await emulator();
  const series = ids(await call(e, 'GET', `/meetings?${YEAR}`));
  const scheduled = ids(await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&${YEAR}&max=100`));
  expect(series).toHaveLength(3);
  expect(scheduled).toHaveLength(22);
  for (const value of ['true', 'false']) {
    expect(ids(await call(e, 'GET', `/meetings?${YEAR}&${flag}=${value}`))).toEqual(series);
    expect(ids(await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&${YEAR}&max=100&${flag}=${value}`))).toEqual(scheduled);
  }
}

describe('GET /meetings', () => {
  test('paths./meetings.get.parameters.meetingType (default meetingSeries) and from/to (default now .. now + 7 days): lists meeting series in that window', async () => {
    const e = await emulator();
    // The built-in meetings all start in March or later: none in the first week.
    expect(ids(await call(e, 'GET', '/meetings'))).toEqual([]);
    e.clock.set('2027-04-15T00:00:00Z');
    // The weekly sales series (March to July) overlaps that week, as does the webinar on 20 April.
    expect(ids(await call(e, 'GET', '/meetings'))).toEqual([SALES, WEBINAR]);
  });

  test('paths./meetings.get.parameters.from and paths./meetings.get.parameters.to: from alone means from .. from + 7 days; to alone means to - 7 days .. to', async () => {
    const e = await emulator();
    expect(ids(await call(e, 'GET', '/meetings?from=2027-04-15T00:00:00Z'))).toEqual([SALES, WEBINAR]);
    expect(ids(await call(e, 'GET', '/meetings?to=2027-05-15T00:00:00Z'))).toEqual([SALES, BOARD]);
    expect(ids(await call(e, 'GET', '/meetings?from=2027-04-21T00:00:00Z'))).toEqual([SALES]);
  });

  test('series are listed when their span overlaps [from, to), ordered by start then id', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', `/meetings?meetingType=meetingSeries&${YEAR}&max=100`);
    expect(ids(r)).toEqual([SALES, WEBINAR, BOARD]);
    expect(r.body.items[0]).toMatchObject({ meetingType: 'meetingSeries', meetingSeriesId: SALES });
    // The weekly series runs to July, so a May window still lists it.
    expect(ids(await call(e, 'GET', '/meetings?from=2027-05-01T00:00:00Z&to=2027-05-08T00:00:00Z'))).toEqual([SALES]);
    // Series items carry every setting field.
    expect(r.body.items[0].meetingOptions).toBeDefined();
    expect(r.body.items[0].audioConnectionOptions).toBeDefined();
  });

  test('paths./meetings.get.parameters.meetingSeriesId (meetingType absent): lists the occurrences of the series, expanded in its zone', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&${YEAR}&max=100`);
    expect(r.body.items).toHaveLength(20);
    expect(r.body.items.every((m: { meetingType: string; meetingSeriesId: string }) => m.meetingType === 'scheduledMeeting' && m.meetingSeriesId === SALES)).toBe(true);
    // Berlin switches to summer time on 28 March: 09:00 local stays 09:00, the UTC id moves.
    expect(ids(r).slice(3, 6)).toEqual([`${SALES}_20270323T080000Z`, `${SALES}_20270330T070000Z`, `${SALES}_20270406T070000Z`]);
    expect(r.body.items[4].start).toBe('2027-03-30T07:00:00Z');
  });

  test('meetingType=scheduledMeeting across series, and meetingType=meeting (no instances kept)', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&${YEAR}&max=100`);
    expect(r.body.items).toHaveLength(22);
    const starts = r.body.items.map((m: { start: string }) => Date.parse(m.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect((await call(e, 'GET', `/meetings?meetingType=meeting&${YEAR}`)).body.items).toEqual([]);
  });

  test('paths./meetings.get.parameters.isModified (not specified: all scheduled meetings): true and false filter scheduled meetings, never series', async () => {
    const e = await emulator();
    await patch(e, `${SALES}_20270316T080000Z`, { title: 'Q1 review' });
    expect(ids(await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&isModified=true&${YEAR}`))).toEqual([`${SALES}_20270316T080000Z`]);
    expect((await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&isModified=false&${YEAR}&max=100`)).body.items).toHaveLength(19);
    // The schema's default (false) is not applied: left out, modified and unmodified ones are listed.
    expect((await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&${YEAR}&max=100`)).body.items).toHaveLength(20);
    // "Only applies to scheduled meetings": a series list is not filtered by it.
    expect(ids(await call(e, 'GET', `/meetings?isModified=true&${YEAR}`))).toEqual([SALES, WEBINAR, BOARD]);
  });

  // The has* flags "only apply to ended meeting instances": whatever their value (schema default false), series and scheduled lists are unfiltered.
  test('paths./meetings.get.parameters.hasChat: filters no series and no scheduled meetings', () => flagFiltersNothing('hasChat'));
  test('paths./meetings.get.parameters.hasRecording: filters no series and no scheduled meetings', () => flagFiltersNothing('hasRecording'));
  test('paths./meetings.get.parameters.hasTranscription: filters no series and no scheduled meetings', () => flagFiltersNothing('hasTranscription'));
  test('paths./meetings.get.parameters.hasSummary: filters no series and no scheduled meetings', () => flagFiltersNothing('hasSummary'));
  test('paths./meetings.get.parameters.hasClosedCaption: filters no series and no scheduled meetings', () => flagFiltersNothing('hasClosedCaption'));
  test('paths./meetings.get.parameters.hasPolls: filters no series and no scheduled meetings', () => flagFiltersNothing('hasPolls'));
  test('paths./meetings.get.parameters.hasQA: filters no series and no scheduled meetings', () => flagFiltersNothing('hasQA'));
  test('paths./meetings.get.parameters.hasSlido: filters no series and no scheduled meetings', () => flagFiltersNothing('hasSlido'));

  test('paths./meetings.get.description: without scheduledType, series and meeting lists hold "meeting" and "webinar" items (no personal room); scheduled meetings of every type', async () => {
    const one = (id: string, scheduledType: 'meeting' | 'webinar' | 'personalRoomMeeting') => ({ id, scheduledType, title: id, start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', timezone: 'UTC' });
    const e = await emulator({ seed: { meetings: [one('mtg0001', 'meeting'), one('web0001', 'webinar'), one('pmr0001', 'personalRoomMeeting')] } });
    const window = 'from=2027-01-20T00:00:00Z&to=2027-02-20T00:00:00Z&max=100';
    expect(ids(await call(e, 'GET', `/meetings?meetingType=meetingSeries&${window}`)).sort()).toEqual(['mtg0001', 'web0001']);
    expect(ids(await call(e, 'GET', `/meetings?meetingType=meetingSeries&scheduledType=webinar&${window}`))).toEqual(['web0001']);
    // "the scheduledType parameter can be meeting, webinar or null" for a series list.
    const refused = await call(e, 'GET', `/meetings?meetingType=meetingSeries&scheduledType=personalRoomMeeting&${window}`);
    expect(refused.status).toBe(400);
    const scheduled = ids(await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&${window}`)).map((id) => id.split('_')[0]);
    expect(scheduled.sort()).toEqual(['mtg0001', 'pmr0001', 'web0001']);
    expect(ids(await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&scheduledType=personalRoomMeeting&${window}`)).map((id) => id.split('_')[0])).toEqual(['pmr0001']);
  });

  test('state filters', async () => {
    const e = await emulator();
    e.setState(`${SALES}_20270302T080000Z`, 'ended');
    expect(ids(await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&state=ended&${YEAR}`))).toEqual([`${SALES}_20270302T080000Z`]);
    expect(ids(await call(e, 'GET', `/meetings?state=active&${YEAR}`))).toEqual([SALES, WEBINAR, BOARD]);
    expect((await call(e, 'GET', `/meetings?state=sleeping`)).status).toBe(400);
  });

  test('paths./meetings.get.parameters.integrationTag: hostEmail and integrationTag filter, series and their scheduled meetings', async () => {
    const hosts = await emulator({ seed: builtinSeed() });
    expect(ids(await call(hosts, 'GET', `/meetings?hostEmail=marketing@example.com&${YEAR}`))).toEqual([WEBINAR]);
    const e = await emulator();
    await patch(e, BOARD, { integrationTags: ['BOARD-1'] });
    expect(ids(await call(e, 'GET', `/meetings?integrationTag=BOARD-1&${YEAR}`))).toEqual([BOARD]);
    expect(ids(await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&integrationTag=BOARD-1&${YEAR}`))).toEqual([`${BOARD}_20270514T070000Z`]);
    expect(ids(await call(e, 'GET', `/meetings?integrationTag=NONE&${YEAR}`))).toEqual([]);
  });

  test('paths./meetings.get.parameters.max (default 10, up to 100): max defaults to 10 and cannot exceed 100', async () => {
    const e = await emulator();
    expect((await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&${YEAR}`)).body.items).toHaveLength(10);
    const r = await call(e, 'GET', `/meetings?${YEAR}&max=101`);
    expect(r.status).toBe(400);
    expect(messages(r)).toMatch(/'max' cannot be greater than 100/);
    expect((await call(e, 'GET', `/meetings?${YEAR}&max=0`)).status).toBe(400);
  });

  test('from after to, or a date that is not ISO 8601, is 400', async () => {
    const e = await emulator();
    expect(messages(await call(e, 'GET', '/meetings?from=2027-03-01T00:00:00Z&to=2027-02-01T00:00:00Z'))).toMatch(/'from' cannot be after 'to'/);
    expect((await call(e, 'GET', '/meetings?from=yesterday')).status).toBe(400);
  });

  test('pagination: Link rel="next" with an absolute URL until the last page; stable order', async () => {
    const e = await emulator({ seed: generateSeed({ series: 45, seed: 3 }) });
    const seen: string[] = [];
    let url: string | undefined = `${e.baseUrl}/meetings?${YEAR}&max=20`;
    let pages = 0;
    while (url !== undefined) {
      const res = await request(url, { headers: { authorization: `Bearer ${e.adminToken}` } });
      const body = (await res.body.json()) as { items: { id: string; start: string }[] };
      seen.push(...body.items.map((m) => m.id));
      pages++;
      const link = res.headers.link as string | undefined;
      url = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)![1];
      if (url) expect(url.startsWith(`${e.baseUrl}/meetings?`)).toBe(true);
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    const all = await call(e, 'GET', `/meetings?${YEAR}&max=100`);
    expect(ids(all)).toEqual(seen);
  });

  test('pagination: the next link has the origin the request was addressed to (its Host), so a client of localhost can follow it', async () => {
    const e = await emulator({ seed: generateSeed({ series: 45, seed: 3 }) });
    const port = new URL(e.baseUrl).port;
    const r = await call(e, 'GET', `/meetings?${YEAR}&max=20`, { headers: { host: `localhost:${port}` } });
    expect(r.status).toBe(200);
    expect(String(r.headers.link)).toMatch(new RegExp(`^<http://localhost:${port}/v1/meetings\\?`));
  });
});
