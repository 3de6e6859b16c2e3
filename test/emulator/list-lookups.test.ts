/**
 * List Meetings by meetingNumber, webLink, roomId and siteUrl, as paths./meetings.get.description
 * has them: by number or link, those meetings whatever the window; the three "mutually exclusive";
 * a site that is not the caller's lists nothing; with meetingSeriesId all four are ignored.
 */
import { describe, expect, test } from 'vitest';
import { BOARD, call, emulator, SALES } from './helpers.js';

const WINDOW = 'from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100';
const ids = (r: { body: { items?: { id: string }[] } }) => (r.body.items ?? []).map((m) => m.id);

describe('List Meetings by meetingNumber, webLink, roomId, siteUrl', () => {
  test('meetingNumber and webLink: that series only, from, to and meetingType ignored; its current meeting times with current=true', async () => {
    const e = await emulator();
    const sales = (await call(e, 'GET', `/meetings/${SALES}`)).body as { meetingNumber: string; webLink: string };
    // A window the series is not in, and a meetingType it is not: both ignored.
    const byNumber = await call(e, 'GET', `/meetings?meetingNumber=${sales.meetingNumber}&current=false&meetingType=meeting&from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z`);
    expect(byNumber.status).toBe(200);
    expect(ids(byNumber)).toEqual([SALES]);
    expect(ids(await call(e, 'GET', `/meetings?webLink=${encodeURIComponent(sales.webLink)}&current=false`))).toEqual([SALES]);
    // With current=true, as everywhere in this emulator, the item keeps the series' id (its times are its current meeting's).
    expect(ids(await call(e, 'GET', `/meetings?meetingNumber=${sales.meetingNumber}&current=true`))).toEqual([SALES]);
    expect(ids(await call(e, 'GET', `/meetings?meetingNumber=000000000&current=false`))).toEqual([]);
  });

  test('two of meetingNumber, webLink and roomId: a 400; with meetingSeriesId they are ignored', async () => {
    const e = await emulator();
    const both = await call(e, 'GET', `/meetings?meetingNumber=1&webLink=x&${WINDOW}`);
    expect(both.status).toBe(400);
    const ignored = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&meetingNumber=1&webLink=x&siteUrl=elsewhere.webex.com&${WINDOW}`);
    expect(ignored.status).toBe(200);
    expect(ids(ignored).length).toBeGreaterThan(0);
  });

  test('siteUrl: the caller\'s site lists as without it; another site lists nothing', async () => {
    const e = await emulator();
    const all = ids(await call(e, 'GET', `/meetings?meetingType=meetingSeries&current=false&${WINDOW}`));
    const site = ((await call(e, 'GET', `/meetings/${BOARD}`)).body as { siteUrl: string }).siteUrl;
    expect(ids(await call(e, 'GET', `/meetings?meetingType=meetingSeries&current=false&siteUrl=${site}&${WINDOW}`))).toEqual(all);
    expect(ids(await call(e, 'GET', `/meetings?meetingType=meetingSeries&current=false&siteUrl=elsewhere.webex.com&${WINDOW}`))).toEqual([]);
  });

  test('roomId: the meetings of that space only (a space with none lists nothing)', async () => {
    const e = await emulator();
    expect(ids(await call(e, 'GET', `/meetings?roomId=Y2lzY29zcGFyazovL3VzL1JPT00vbm9uZQ&${WINDOW}`))).toEqual([]);
  });
});

describe('from and to in "any ISO 8601 compliant format" (paths./meetings.get.parameters from, to)', () => {
  test('the basic format and an offset without its colon list as the extended form does; text that is no ISO 8601 is a 400', async () => {
    const e = await emulator();
    const list = (from: string, to: string) => call(e, 'GET', `/meetings?meetingType=meetingSeries&current=false&max=100&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    const extended = ids(await list('2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z'));
    expect(extended.length).toBeGreaterThan(0);
    expect(ids(await list('20270101T000000Z', '20280101T000000Z'))).toEqual(extended);
    expect(ids(await list('20270101', '20280101'))).toEqual(extended);
    expect(ids(await list('2027-01-01T01:00:00+0100', '2028-01-01T01:00:00+0100'))).toEqual(extended);
    expect((await list('next tuesday', '2028-01-01T00:00:00Z')).status).toBe(400);
  });
});
