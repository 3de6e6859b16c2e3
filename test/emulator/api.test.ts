import { describe, expect, test } from 'vitest';
import { builtinSeed } from '../../emulator/index.js';
import { BOARD, SALES, WEBINAR, call, emulator, get, listed, messages, patch } from './helpers.js';

describe('auth', () => {
  test('a request without a token is refused with 401 and a Webex error body', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', `/meetings/${SALES}`, { token: null });
    expect(r.status).toBe(401);
    expect(r.body.message).toBe('Authentication credentials were missing or incorrect.');
    expect(messages(r)).toMatch(/access token/);
    expect(r.body.trackingId).toBe(r.headers.trackingid);
  });

  test('an unknown token is refused with 401', async () => {
    const e = await emulator();
    expect((await call(e, 'GET', `/meetings/${SALES}`, { token: 'nope' })).status).toBe(401);
  });

  test('a host token reaches only its own meetings: others are 403 on GET and PATCH, and left out of lists', async () => {
    const e = await emulator({ seed: builtinSeed() });
    const alice = e.tokenFor('sales.lead@example.com');
    expect((await get(e, SALES, alice)).status).toBe(200);
    expect((await get(e, WEBINAR, alice)).status).toBe(403);
    expect((await get(e, 'no-such-meeting', alice)).status).toBe(404);
    const w = await patch(e, WEBINAR, { title: 'Mine now' }, alice);
    expect(w.status).toBe(403);
    expect(e.getMeeting(WEBINAR)?.title).toBe('Product Launch');
    const list = await call(e, 'GET', '/meetings?from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100', { token: alice });
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([SALES]);
  });

  test('paths./meetings/{meetingId}.get.parameters.hostEmail: a host token naming another host is not refused, the name is ignored', async () => {
    const e = await emulator({ seed: builtinSeed() });
    const alice = e.tokenFor('sales.lead@example.com');
    const r = await call(e, 'GET', `/meetings/${SALES}?hostEmail=marketing@example.com`, { token: alice });
    expect(r.status).toBe(200);
    expect((await patch(e, SALES, { title: 'x', hostEmail: 'marketing@example.com' }, alice)).status).toBe(200);
    expect((await call(e, 'GET', `/meetings/${WEBINAR}?hostEmail=marketing@example.com`, { token: alice })).status).toBe(403);
  });

  test('an admin reads as themself without hostEmail, and may act as a host with it', async () => {
    const e = await emulator({ seed: builtinSeed() });
    // The admin token is host@example.com, who neither hosts nor is invited to the webinar.
    expect((await get(e, WEBINAR)).status).toBe(403);
    expect((await call(e, 'GET', `/meetings/${WEBINAR}?hostEmail=marketing@example.com`)).status).toBe(200);
    // Acting as another host: the meeting is not that host's to read.
    expect((await call(e, 'GET', `/meetings/${WEBINAR}?hostEmail=sales.lead@example.com`)).status).toBe(403);
    const r = await patch(e, WEBINAR, { title: 'Launch', hostEmail: 'marketing@example.com', sendEmail: false });
    expect(r.status).toBe(200);
    expect(r.body.title).toBe('Launch');
    expect(r.body.hostEmail).toBe('marketing@example.com');
  });

  test('an admin acting for a host (hostEmail in the body) cannot write another host\'s meeting', async () => {
    const e = await emulator({ seed: builtinSeed() });
    const r = await patch(e, WEBINAR, { title: 'x', hostEmail: 'sales.lead@example.com' });
    expect(r.status).toBe(403);
    expect(messages(r)).toMatch(/only its host can/);
  });

  test('seed tokens: a labelled admin and a host token', async () => {
    const e = await emulator({
      seed: {
        tokens: [
          { token: 't-admin', admin: true, label: 'boss' },
          { token: 't-alice', hostEmail: 'alice@example.com' },
        ],
        meetings: [{ id: 'aaa111', hostEmail: 'alice@example.com', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' }],
      },
    });
    expect(e.adminToken).toBe('t-admin');
    expect(e.tokenFor('alice@example.com')).toBe('t-alice');
    expect((await get(e, 'aaa111', 't-alice')).status).toBe(200);
    expect(e.requestLog().map((r) => r.token)).toEqual(['host:alice@example.com']);
  });
});

describe('GET one meeting', () => {
  test('a series has meetingType meetingSeries, state active and times in UTC (no timezone header)', async () => {
    const e = await emulator();
    const r = await get(e, SALES);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: SALES,
      meetingType: 'meetingSeries',
      state: 'active',
      timezone: 'UTC',
      start: '2027-03-02T08:00:00Z',
      end: '2027-03-02T08:30:00Z',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
    });
    expect(r.body.meetingSeriesId).toBeUndefined();
  });

  test('a scheduled meeting is a MeetingSeriesObject, state scheduled: meetingSeriesId and isModified are only in its list item', async () => {
    const e = await emulator();
    const r = await get(e, `${SALES}_20270316T080000Z`);
    expect(r.body).toMatchObject({ id: `${SALES}_20270316T080000Z`, meetingType: 'scheduledMeeting', state: 'scheduled', start: '2027-03-16T08:00:00Z' });
    expect(r.body.recurrence).toBeUndefined();
    expect(r.body.meetingSeriesId).toBeUndefined();
    expect(r.body.isModified).toBeUndefined();
    expect((await listed(e, `${SALES}_20270316T080000Z`)).body).toMatchObject({ id: `${SALES}_20270316T080000Z`, meetingSeriesId: SALES, isModified: false });
  });

  test('ids in paths are URL-decoded; an unknown id is 404', async () => {
    const e = await emulator();
    expect((await call(e, 'GET', `/meetings/${SALES}%5F20270316T080000Z`)).status).toBe(200);
    const r = await get(e, '0000000000000000000000000000dead');
    expect(r.status).toBe(404);
    expect(messages(r)).toMatch(/not found/);
    // An occurrence id that the rule does not produce does not exist either.
    expect((await get(e, `${SALES}_20270317T080000Z`)).status).toBe(404);
  });

  test('every response carries a Date header from the emulator clock and a trackingId', async () => {
    const e = await emulator();
    const r = await get(e, SALES);
    expect(r.headers.date).toBe('Fri, 15 Jan 2027 09:00:00 GMT');
    expect(String(r.headers.trackingid)).toMatch(/^EMULATOR_/);
    e.clock.set('2027-02-01T12:30:00Z');
    expect((await get(e, 'missing')).headers.date).toBe('Mon, 01 Feb 2027 12:30:00 GMT');
  });

  test('defaults fill every field GET returns, deterministically', async () => {
    const a = await emulator();
    const b = await emulator();
    const x = (await get(a, BOARD)).body;
    expect(x).toEqual((await get(b, BOARD)).body);
    expect(x).toMatchObject({ joinBeforeHostMinutes: 0, reminderTime: 10, unlockedMeetingJoinSecurity: 'allowJoin', sessionTypeId: 3, enabledBreakoutSessions: false });
    expect(x.meetingNumber).toMatch(/^\d{9,11}$/);
    expect(x.webLink).toMatch(/^https:\/\//);
    expect(x.telephony.callInNumbers.length).toBeGreaterThan(0);
    expect(x.password).toMatch(/[A-Z]/);
    expect(x.attendeePrivileges).toBeDefined();
    const webinar = (await get(a, WEBINAR)).body;
    expect(webinar.scheduledType).toBe('webinar');
    expect(webinar.attendeePrivileges).toBeUndefined();
    expect(typeof webinar.panelistPassword).toBe('string');
  });
});

describe('routing', () => {
  test('an unknown path is 404 and an unsupported method 405', async () => {
    const e = await emulator();
    expect((await call(e, 'GET', '/rooms')).status).toBe(404);
    const r = await call(e, 'POST', `/meetings/${SALES}`, { body: {} });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, PATCH, PUT, DELETE');
    expect((await call(e, 'PUT', '/meetings', { body: {} })).status).toBe(405);
  });

  test('paths./meetings/{meetingId}.patch.requestBody.content: PATCH takes application/json-patch+json only, anything else is 415 naming it', async () => {
    const e = await emulator();
    for (const contentType of ['application/x-www-form-urlencoded', 'application/json', 'application/merge-patch+json']) {
      const r = await call(e, 'PATCH', `/meetings/${SALES}`, { body: { title: 'x' }, contentType });
      expect(r.status).toBe(415);
      expect(messages(r)).toMatch(/must be application\/json-patch\+json/);
    }
    expect(e.getMeeting(SALES)?.title).toBe('Sales Sync');
    expect((await call(e, 'PATCH', `/meetings/${SALES}`, { body: { title: 'x' }, contentType: 'application/json-patch+json; charset=utf-8' })).status).toBe(200);
  });

  test('paths./meetings/{meetingId}.put.requestBody.content: PUT stays application/json', async () => {
    const e = await emulator();
    const body = { title: 'Put', start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T09:30:00+01:00' };
    const r = await call(e, 'PUT', `/meetings/${SALES}`, { body, contentType: 'application/json-patch+json' });
    expect(r.status).toBe(415);
    expect(messages(r)).toMatch(/must be application\/json\./);
    expect((await call(e, 'PUT', `/meetings/${SALES}`, { body, contentType: 'application/json' })).status).toBe(200);
  });

  test('a body that is not JSON is 400', async () => {
    const e = await emulator();
    const r = await call(e, 'PATCH', `/meetings/${SALES}`, { raw: '{title:' });
    expect(r.status).toBe(400);
    expect(messages(r)).toMatch(/not valid JSON/);
    expect((await call(e, 'PATCH', `/meetings/${SALES}`, { raw: '[1]' })).status).toBe(400);
  });
});

describe('request log', () => {
  test('every /v1 request is logged with its status, token label and write body; refused ones too', async () => {
    const e = await emulator();
    await get(e, SALES);
    await call(e, 'GET', `/meetings/${SALES}`, { token: null });
    await patch(e, SALES, { title: 'New title' });
    const log = e.requestLog();
    expect(log.map((r) => [r.seq, r.method, r.path, r.status, r.token])).toEqual([
      [1, 'GET', `/v1/meetings/${SALES}`, 200, 'admin'],
      [2, 'GET', `/v1/meetings/${SALES}`, 401, '-'],
      [3, 'PATCH', `/v1/meetings/${SALES}`, 200, 'admin'],
    ]);
    expect(log[2].body).toEqual({ title: 'New title' });
    expect(log[0].body).toBeUndefined();
    for (const r of log) expect(r.endedAt).toBeGreaterThanOrEqual(r.startedAt);
    expect(JSON.stringify(log)).not.toContain(e.adminToken);
    e.clearRequestLog();
    expect(e.requestLog()).toEqual([]);
  });

  test('entries record the content-type and timezone headers a client sent (and nothing when it sent none)', async () => {
    const e = await emulator();
    await call(e, 'GET', `/meetings/${SALES}`, { headers: { timezone: 'Asia/Tokyo' } });
    await call(e, 'PATCH', `/meetings/${SALES}`, { body: { title: 'x' }, contentType: 'application/json' });
    await call(e, 'PATCH', `/meetings/${SALES}`, { body: { title: 'y' } });
    const log = e.requestLog();
    expect(log.map((r) => [r.contentType, r.timezone])).toEqual([
      [undefined, 'Asia/Tokyo'],
      ['application/json', undefined],
      ['application/json-patch+json', undefined],
    ]);
    expect(log.map((r) => r.status)).toEqual([200, 415, 200]);
    const control = await fetch(`${new URL(e.baseUrl).origin}/_emulator/requests`);
    expect(((await control.json()) as { contentType?: string }[])[1].contentType).toBe('application/json');
  });
});
