/**
 * The meeting lifecycle: POST /meetings (createMeeting) and DELETE /meetings/{meetingId}
 * (deleteMeeting) as the official description gives them, the create quota, integration tags per
 * client, and the fault that stores a create and cuts the connection before answering.
 */
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import type { SeedFile } from '../../emulator/index.js';
import { SALES, call, emulator, get, messages, patch } from './helpers.js';

const YEAR = 'from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100';
const ONE_OFF = { title: 'Design Review', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' };
const WEEKLY = { title: 'Weekly', start: '2027-02-02T09:00:00+01:00', end: '2027-02-02T09:30:00+01:00', timezone: 'Europe/Berlin', recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=4' };

const create = (e: Parameters<typeof call>[0], body: unknown, token?: string) => call(e, 'POST', '/meetings', { body, token });
const del = (e: Parameters<typeof call>[0], id: string, query = '', token?: string) => call(e, 'DELETE', `/meetings/${encodeURIComponent(id)}${query}`, { token });
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((m) => m.id);

describe('create: paths./meetings.post', () => {
  test('paths./meetings.post.responses.200: the created series, the same as its GET; it is listed and has a 32-hex id like seeded ones', async () => {
    const e = await emulator();
    const before = e.listSeriesIds().length;
    const r = await create(e, ONE_OFF);
    expect(r.status).toBe(200);
    expect(r.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body).toMatchObject({ title: 'Design Review', meetingType: 'meetingSeries', state: 'active', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', hostEmail: 'host@example.com' });
    expect((await get(e, r.body.id)).body).toEqual(r.body);
    expect(ids(await call(e, 'GET', `/meetings?${YEAR}`))).toContain(r.body.id);
    expect(e.listSeriesIds()).toHaveLength(before + 1);
    const logged = e.requestLog().find((x) => x.method === 'POST')!;
    expect(logged).toMatchObject({ path: '/v1/meetings', status: 200, token: 'admin', body: ONE_OFF, contentType: 'application/json' });
  });

  test('paths./meetings.post.requestBody.recurrence: a rule makes a series of scheduled meetings, normalized as updates are; absent, one occurrence', async () => {
    const e = await emulator();
    const series = await create(e, { ...WEEKLY, recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;UNTIL=21241001T000000Z' });
    expect(series.status).toBe(200);
    // "the actual furthest date accepted for the recurring meeting is five years from now".
    expect(series.body.recurrence).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;UNTIL=20320115T235959Z');
    const four = await create(e, WEEKLY);
    const occurrences = await call(e, 'GET', `/meetings?meetingSeriesId=${four.body.id}&${YEAR}`);
    expect(occurrences.body.items.map((m: { start: string }) => m.start)).toEqual(['2027-02-02T08:00:00Z', '2027-02-09T08:00:00Z', '2027-02-16T08:00:00Z', '2027-02-23T08:00:00Z']);
    const single = await create(e, ONE_OFF);
    expect(single.body.recurrence).toBeUndefined();
    expect((await call(e, 'GET', `/meetings?meetingSeriesId=${single.body.id}&${YEAR}`)).body.items).toHaveLength(1);
  });

  test('paths./meetings.post.description ("If the value of the parameter recurrence is null, a non-recurring meeting is created"): a one-off meeting', async () => {
    const e = await emulator();
    const r = await create(e, { ...ONE_OFF, recurrence: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: 'Design Review', meetingType: 'meetingSeries', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' });
    expect('recurrence' in r.body).toBe(false);
    expect((await get(e, r.body.id)).body).toEqual(r.body);
    const occurrences = await call(e, 'GET', `/meetings?meetingSeriesId=${r.body.id}&${YEAR}`);
    expect(occurrences.body.items.map((m: { start: string }) => m.start)).toEqual(['2027-02-01T10:00:00Z']);
  });

  test('paths./meetings.post.requestBody.scheduledType, paths./meetings.post.requestBody.password, paths./meetings.post.requestBody.panelistPassword, paths./meetings.post.requestBody.visualWatermarkOpacity: the documented defaults', async () => {
    const e = await emulator();
    const meeting = (await create(e, { ...ONE_OFF, enabledVisualWatermark: true })).body;
    expect(meeting.scheduledType).toBe('meeting');
    expect(meeting.password).toMatch(/^[A-Z][A-Za-z]{4}@\d{3}$/);
    expect(meeting.visualWatermarkOpacity).toBe(10);
    const webinar = (await create(e, { ...ONE_OFF, scheduledType: 'webinar', sessionTypeId: 9 })).body;
    expect(webinar.scheduledType).toBe('webinar');
    expect(typeof webinar.panelistPassword).toBe('string');
    expect(webinar.attendeePrivileges).toBeUndefined();
    expect((await create(e, { ...ONE_OFF, password: 'Given@123' })).body.password).toBe('Given@123');
  });

  test('paths./meetings.post.requestBody.sendEmail: true unless the body says false (the request log records it)', async () => {
    const e = await emulator();
    await create(e, ONE_OFF);
    await create(e, { ...ONE_OFF, sendEmail: false });
    expect(e.requestLog().map((x) => x.sendEmail)).toEqual([true, false]);
  });

  test('CreateMeetingObject.required: title, start and end; start not before now, ten years or more ahead refused; nothing is stored', async () => {
    const e = await emulator();
    const before = e.listSeriesIds();
    const missing = await create(e, {});
    expect(missing.status).toBe(400);
    expect(messages(missing)).toMatch(/'title' is required.*'start' is required.*'end' is required/);
    expect(messages(await create(e, { ...ONE_OFF, start: '2027-01-14T10:00:00Z', end: '2027-01-14T11:00:00Z' }))).toMatch(/'start' cannot be before the current date and time/);
    expect(messages(await create(e, { ...ONE_OFF, start: '2037-01-15T10:00:00Z', end: '2037-01-15T11:00:00Z' }))).toMatch(/10 or more years/);
    expect(messages(await create(e, { ...ONE_OFF, end: '2027-02-01T10:05:00Z' }))).toMatch(/shorter than 10 minutes/);
    expect(messages(await create(e, { ...ONE_OFF, recurrence: 'FREQ=HOURLY' }))).toMatch(/recurrence/);
    expect(messages(await create(e, { ...ONE_OFF, meetingNumber: '123' }))).toMatch(/'meetingNumber' is a read-only field/);
    expect(messages(await create(e, { ...ONE_OFF, scheduledType: 'webinar' }))).toMatch(/'sessionTypeId' is required when scheduling a webinar/);
    expect(messages(await create(e, { ...ONE_OFF, enabledLiveStream: true }))).toMatch(/'liveStream' must be specified/);
    expect(messages(await create(e, { ...ONE_OFF, scheduledType: 'personalRoomMeeting', integrationTags: ['x'] }))).toMatch(/not supported when creating a personal room meeting/);
    expect((await call(e, 'POST', '/meetings', { body: ONE_OFF, contentType: 'text/plain' })).status).toBe(415);
    // Only recurrence is documented as null on create (the operation's description); PatchMeetingObject's "can be specified null" is an update's.
    for (const field of ['agenda', 'trackingCodes', 'integrationTags']) expect(messages(await create(e, { ...ONE_OFF, [field]: null }))).toContain(`'${field}' cannot be null.`);
    expect(e.listSeriesIds()).toEqual(before);
  });

  test('CreateMeetingObject.start: kept to the minute, a start within the current minute moves to the next one', async () => {
    const e = await emulator();
    const r = await create(e, { title: 'Now', start: '2027-01-15T09:00:30Z', end: '2027-01-15T09:30:45Z' });
    expect(r.body.start).toBe('2027-01-15T09:01:00Z');
    expect(r.body.end).toBe('2027-01-15T09:30:00Z');
  });

  test('paths./meetings.post.requestBody example: start and end with a space for the T ("2019-11-01 20:00:00"), wall times in the body timezone', async () => {
    const e = await emulator();
    const r = await create(e, { title: 'Shanghai', start: '2027-02-01 20:00:00', end: '2027-02-01 21:00:00', timezone: 'Asia/Shanghai' });
    expect(r.status).toBe(200);
    expect((await get(e, r.body.id)).body).toMatchObject({ timezone: 'UTC', start: '2027-02-01T12:00:00Z', end: '2027-02-01T13:00:00Z' });
  });

  test('CreateMeetingObject.hostEmail: an admin schedules for that user; anyone else schedules for themself', async () => {
    const e = await emulator();
    const forAlice = await create(e, { ...ONE_OFF, hostEmail: 'alice@example.com' });
    expect(forAlice.body.hostEmail).toBe('alice@example.com');
    const alice = e.tokenFor('alice@example.com');
    expect((await get(e, forAlice.body.id, alice)).status).toBe(200);
    const byBob = await create(e, { ...ONE_OFF, hostEmail: 'alice@example.com' }, e.tokenFor('bob@example.com'));
    expect(byBob.body.hostEmail).toBe('bob@example.com');
    // CreateMeetingObject.roomId: "When roomId is specified, the parameter hostEmail will be ignored."
    const inSpace = await create(e, { ...ONE_OFF, roomId: 'room-1', hostEmail: 'alice@example.com' });
    expect(inSpace.body).toMatchObject({ hostEmail: 'host@example.com', roomId: 'room-1' });
  });

  test('CreateMeetingObject.invitees: invited users see the meeting, the host of it stays the creator', async () => {
    const e = await emulator();
    const r = await create(e, { ...ONE_OFF, invitees: [{ email: 'Carol@Example.com', displayName: 'Carol' }] });
    expect(r.status).toBe(200);
    const carol = e.tokenFor('carol@example.com');
    expect((await get(e, r.body.id, carol)).status).toBe(200);
    expect(ids(await call(e, 'GET', `/meetings?${YEAR}`, { token: carol }))).toEqual([r.body.id]);
    expect(JSON.stringify(r.body)).not.toMatch(/carol/i);
  });

  test('routing: /meetings takes GET and POST only', async () => {
    const e = await emulator();
    const r = await call(e, 'PUT', '/meetings', { body: ONE_OFF });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, POST');
  });
});

describe('delete: paths./meetings/{meetingId}.delete', () => {
  test('paths./meetings/{meetingId}.delete.responses.204: a series goes with all its scheduled meetings; GET is then 404 and lists lack it', async () => {
    const e = await emulator();
    const id = (await create(e, WEEKLY)).body.id;
    const r = await del(e, id);
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
    expect((await get(e, id)).status).toBe(404);
    expect((await get(e, `${id}_20270209T080000Z`)).status).toBe(404);
    expect(ids(await call(e, 'GET', `/meetings?${YEAR}`))).not.toContain(id);
    expect((await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&${YEAR}`)).body.items.some((m: { meetingSeriesId: string }) => m.meetingSeriesId === id)).toBe(false);
    expect((await del(e, id)).status).toBe(404);
  });

  test('paths./meetings/{meetingId}.delete.responses.204 carries no Content-Length (RFC 9110 §8.6); other answers keep theirs', async () => {
    const e = await emulator();
    const id = (await create(e, ONE_OFF)).body.id;
    const r = await del(e, id);
    expect(r.status).toBe(204);
    expect(r.headers).not.toHaveProperty('content-length');
    const again = await del(e, id);
    expect(again.status).toBe(404);
    expect(again.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(again.body))));
  });

  test('deleteMeeting of a scheduled meeting cancels only it: its GET is 404, the series and its other meetings stay', async () => {
    const e = await emulator();
    const occ = `${SALES}_20270316T080000Z`;
    expect((await del(e, occ)).status).toBe(204);
    expect((await get(e, occ)).status).toBe(404);
    expect((await get(e, SALES)).status).toBe(200);
    const left = ids(await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&${YEAR}`));
    expect(left).toHaveLength(19);
    expect(left).not.toContain(occ);
    expect((await del(e, occ)).status).toBe(404);
  });

  test('paths./meetings/{meetingId}.delete.parameters.meetingId: ended, in-progress and lobby meetings and ad-hoc meetings cannot be deleted', async () => {
    const seed: SeedFile = {
      meetings: [
        { id: 'weekly', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', recurrence: 'FREQ=WEEKLY;COUNT=3' },
        { id: 'adhoc1', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', roomId: 'room-1', adhoc: true },
      ],
    };
    const e = await emulator({ seed });
    e.setState('weekly_20270201T100000Z', 'inProgress');
    e.setState('weekly_20270208T100000Z', 'ended');
    expect(messages(await del(e, 'weekly_20270201T100000Z'))).toMatch(/in progress cannot be deleted/);
    // MeetingSeriesObject.state lobby: "a locked meeting has been joined by participants, but no hosts have joined", so under way.
    e.setState('weekly_20270201T100000Z', 'lobby');
    expect(messages(await del(e, 'weekly_20270201T100000Z'))).toMatch(/in the lobby .*cannot be deleted/);
    expect(messages(await del(e, 'weekly_20270208T100000Z'))).toMatch(/ended cannot be deleted/);
    const adhoc = await del(e, 'adhoc1');
    expect(adhoc.status).toBe(400);
    expect(messages(adhoc)).toMatch(/ad-hoc meeting cannot be deleted/);
    expect((await get(e, 'weekly_20270201T100000Z')).status).toBe(200);
    expect((await del(e, 'weekly_20270215T100000Z')).status).toBe(204);
  });

  test('paths./meetings/{meetingId}.delete.parameters.hostEmail: only the host, or an admin naming the host, deletes; an invitee cannot', async () => {
    const seed: SeedFile = { meetings: [{ id: 'alice1', hostEmail: 'alice@example.com', invitees: ['bob@example.com'], start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' }] };
    const e = await emulator({ seed });
    expect((await del(e, 'alice1', '', e.tokenFor('bob@example.com'))).status).toBe(403);
    expect((await del(e, 'alice1')).status).toBe(403);
    expect((await del(e, 'alice1', '?hostEmail=bob@example.com', e.tokenFor('bob@example.com'))).status).toBe(403);
    expect((await del(e, 'alice1', '?hostEmail=alice@example.com')).status).toBe(204);
    expect(e.listSeriesIds()).toEqual([]);
  });

  test('paths./meetings/{meetingId}.delete.parameters.sendEmail: default true, false when asked; anything else is 400', async () => {
    const e = await emulator();
    const a = (await create(e, ONE_OFF)).body.id;
    const b = (await create(e, ONE_OFF)).body.id;
    e.clearRequestLog();
    expect((await del(e, a)).status).toBe(204);
    expect((await del(e, b, '?sendEmail=false')).status).toBe(204);
    expect((await del(e, SALES, '?sendEmail=maybe')).status).toBe(400);
    expect(e.requestLog().map((x) => x.sendEmail)).toEqual([true, false, undefined]);
    expect((await get(e, SALES)).status).toBe(200);
  });
});

describe('the create quota (paths./meetings.post: "failed requests are also counted")', () => {
  test('off by default: a user schedules more than 100 meetings in a day', async () => {
    const e = await emulator();
    const user = e.tokenFor('alice@example.com');
    for (let i = 0; i < 101; i++) expect((await create(e, { title: `m${i}` }, user)).status).toBe(400);
    expect((await create(e, ONE_OFF, user)).status).toBe(200);
  });

  test('createQuota true: a regular user gets 100 creates in 24 hours, failed ones counted; then 429 with Retry-After until the day has passed', async () => {
    const e = await emulator({ createQuota: true });
    const user = e.tokenFor('alice@example.com');
    expect((await create(e, ONE_OFF, user)).status).toBe(200);
    for (let i = 1; i < 100; i++) expect((await create(e, { title: 'no times' }, user)).status).toBe(400);
    const refused = await create(e, ONE_OFF, user);
    expect(refused.status).toBe(429);
    expect(messages(refused)).toMatch(/100 meetings in 24 hours/);
    // Until the first counted create leaves the window: a day less the moments the test took.
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    expect(retryAfter).toBeGreaterThan(23 * 3600);
    // Another user has a quota of their own.
    expect((await create(e, ONE_OFF, e.tokenFor('bob@example.com'))).status).toBe(200);
    e.clock.advance(24 * 3600_000);
    expect((await create(e, { ...ONE_OFF, start: '2027-02-05T10:00:00Z', end: '2027-02-05T11:00:00Z' }, user)).status).toBe(200);
  });

  test('an admin: up to N overall and M for one user (configurable numbers; the seed and the control endpoint set them too)', async () => {
    const e = await emulator({ seed: { meetings: [], createQuota: { admin: 3, adminPerUser: 2 } } });
    expect((await create(e, { ...ONE_OFF, hostEmail: 'alice@example.com' })).status).toBe(200);
    expect((await create(e, { ...ONE_OFF, hostEmail: 'alice@example.com' })).status).toBe(200);
    const perUser = await create(e, { ...ONE_OFF, hostEmail: 'alice@example.com' });
    expect(perUser.status).toBe(429);
    expect(messages(perUser)).toMatch(/800|2 meetings for a single user/);
    expect((await create(e, { ...ONE_OFF, hostEmail: 'bob@example.com' })).status).toBe(200);
    expect(messages(await create(e, { ...ONE_OFF, hostEmail: 'carol@example.com' }))).toMatch(/3 meetings overall/);
    const res = await request(`${new URL(e.baseUrl).origin}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ createQuota: false }) });
    expect((await res.body.json()) as object).toMatchObject({ createQuota: null });
    expect((await create(e, { ...ONE_OFF, hostEmail: 'carol@example.com' })).status).toBe(200);
    expect(() => e.configure({ createQuota: { user: -1 } })).toThrow(/createQuota/);
  });
});

describe('integration tags belong to the client that set them (paths./meetings.get.parameters.integrationTag)', () => {
  const seed: SeedFile = {
    meetings: [],
    tokens: [
      { token: 't-meetctl', admin: true, clientId: 'meetctl' },
      { token: 't-other', admin: true, clientId: 'other-integration' },
    ],
  };

  test('paths./meetings.get.parameters.integrationTag: a tag set by one client is neither shown to nor filterable by another', async () => {
    const e = await emulator({ seed });
    const id = (await create(e, { ...ONE_OFF, integrationTags: ['meetctl:abc'] }, 't-meetctl')).body.id;
    expect((await get(e, id, 't-meetctl')).body.integrationTags).toEqual(['meetctl:abc']);
    const other = await get(e, id, 't-other');
    expect(other.status).toBe(200);
    expect(other.body.integrationTags).toBeUndefined();
    expect(ids(await call(e, 'GET', `/meetings?integrationTag=meetctl:abc&${YEAR}`, { token: 't-meetctl' }))).toEqual([id]);
    expect(ids(await call(e, 'GET', `/meetings?integrationTag=meetctl:abc&${YEAR}`, { token: 't-other' }))).toEqual([]);
    expect(ids(await call(e, 'GET', `/meetings?${YEAR}`, { token: 't-other' }))).toEqual([id]);
  });

  test('PatchMeetingObject.integrationTags: a client replaces or clears its own tags only', async () => {
    const e = await emulator({ seed });
    const id = (await create(e, { ...ONE_OFF, integrationTags: ['meetctl:abc'] }, 't-meetctl')).body.id;
    expect((await patch(e, id, { integrationTags: ['ZD-1'] }, 't-other')).body.integrationTags).toEqual(['ZD-1']);
    expect((await get(e, id, 't-meetctl')).body.integrationTags).toEqual(['meetctl:abc']);
    expect((await patch(e, id, { integrationTags: null }, 't-other')).body.integrationTags).toBeUndefined();
    expect((await get(e, id, 't-meetctl')).body.integrationTags).toEqual(['meetctl:abc']);
    const scheduled = await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&integrationTag=meetctl:abc&${YEAR}`, { token: 't-meetctl' });
    expect(scheduled.body.items.map((m: { meetingSeriesId: string; integrationTags: string[] }) => [m.meetingSeriesId, m.integrationTags])).toEqual([[id, ['meetctl:abc']]]);
  });

  test('paths./meetings.get.parameters.meetingSeriesId: with it, integrationTag and scheduledType are ignored, as the operation says', async () => {
    const e = await emulator({ seed });
    const id = (await create(e, { ...WEEKLY, integrationTags: ['meetctl:w'] }, 't-meetctl')).body.id;
    for (const filter of ['integrationTag=other', 'integrationTag=meetctl:w', 'scheduledType=webinar'])
      expect((await call(e, 'GET', `/meetings?meetingSeriesId=${id}&${filter}&${YEAR}`, { token: 't-meetctl' })).body.items).toHaveLength(4);
  });

  test('tokens without a clientId share one client: the built-in admin and host tokens see each other\'s tags', async () => {
    const e = await emulator();
    const id = (await create(e, { ...ONE_OFF, integrationTags: ['T-1'] })).body.id;
    expect((await get(e, id, e.tokenFor('host@example.com'))).body.integrationTags).toEqual(['T-1']);
  });
});

describe('fault: createThenCut', () => {
  test('the next N creates are stored, then the connection is cut before any answer; the one after is answered', async () => {
    const e = await emulator();
    e.configure({ createThenCut: 1 });
    const before = e.listSeriesIds().length;
    const cut = await request(`${e.baseUrl}/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ONE_OFF, integrationTags: ['meetctl:cut'] }),
    }).then(
      () => 'answered',
      (err: Error & { code?: string }) => err.code ?? err.message,
    );
    expect(cut).toMatch(/SOCKET|ECONNRESET|closed/i);
    expect(e.listSeriesIds()).toHaveLength(before + 1);
    const listed = await call(e, 'GET', `/meetings?integrationTag=meetctl:cut&${YEAR}`);
    expect(listed.body.items).toHaveLength(1);
    const [entry] = e.requestLog().filter((x) => x.method === 'POST');
    expect(entry).toMatchObject({ status: 0, fault: 'createThenCut' });
    expect((await create(e, ONE_OFF)).status).toBe(200);
    expect(e.listSeriesIds()).toHaveLength(before + 2);
  });

  test('a create that fails validation is answered and does not use up the fault', async () => {
    const e = await emulator({ createThenCut: 1 });
    expect((await create(e, { title: 'x' })).status).toBe(400);
    await expect(create(e, ONE_OFF)).rejects.toThrow();
    expect(e.listSeriesIds()).toHaveLength(4);
  });
});
