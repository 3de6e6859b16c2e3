/** Who sees and who may update what: the caller's own meetings (hosted or invited), an admin on behalf of a user with hostEmail. */
import { describe, expect, test } from 'vitest';
import type { SeedFile } from '../../emulator/index.js';
import { call, emulator, get, patch } from './helpers.js';

const WINDOW = 'from=2027-02-01T00:00:00Z&to=2027-03-01T00:00:00Z&max=100';
const at = (day: string) => ({ start: `2027-02-${day}T10:00:00Z`, end: `2027-02-${day}T11:00:00Z` });

/** own1 is the default host's (the admin token's user); alice1 invites bob and the admin; carol1 invites alice. */
const seed: SeedFile = {
  meetings: [
    { id: 'own1', ...at('01') },
    { id: 'alice1', hostEmail: 'alice@example.com', invitees: ['bob@example.com', 'Host@Example.com'], ...at('02') },
    { id: 'bob1', hostEmail: 'bob@example.com', ...at('03') },
    { id: 'carol1', hostEmail: 'carol@example.com', invitees: ['alice@example.com'], ...at('04') },
  ],
};
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((m) => m.id);

describe('list: whose meetings', () => {
  test('paths./meetings.get.parameters.hostEmail (absent): the caller\'s meetings, hosted or invited to; the admin token is host@example.com', async () => {
    const e = await emulator({ seed });
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}`))).toEqual(['own1', 'alice1']);
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}`, { token: e.tokenFor('alice@example.com') }))).toEqual(['alice1', 'carol1']);
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}`, { token: e.tokenFor('bob@example.com') }))).toEqual(['alice1', 'bob1']);
  });

  test('paths./meetings.get.parameters.hostEmail (admin): that user\'s hosted meetings and invitations, each item naming its real host', async () => {
    const e = await emulator({ seed });
    const r = await call(e, 'GET', `/meetings?${WINDOW}&hostEmail=alice@example.com`);
    expect(ids(r)).toEqual(['alice1', 'carol1']);
    expect(r.body.items.map((m: { hostEmail: string }) => m.hostEmail)).toEqual(['alice@example.com', 'carol@example.com']);
    // Invitees are internal: the official schema has no field for them.
    expect(JSON.stringify(r.body)).not.toMatch(/invitee/i);
  });

  test('paths./meetings.get.parameters.hostEmail: ignored (not refused) for a caller without admin scopes', async () => {
    const e = await emulator({ seed });
    const r = await call(e, 'GET', `/meetings?${WINDOW}&hostEmail=bob@example.com`, { token: e.tokenFor('alice@example.com') });
    expect(r.status).toBe(200);
    expect(ids(r)).toEqual(['alice1', 'carol1']);
  });

  test('seed tokens: an admin token\'s hostEmail is the admin\'s own email', async () => {
    const e = await emulator({ seed: { ...seed, tokens: [{ token: 't-boss', admin: true, hostEmail: 'carol@example.com' }] } });
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}`, { token: 't-boss' }))).toEqual(['carol1']);
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}&hostEmail=bob@example.com`, { token: 't-boss' }))).toEqual(['alice1', 'bob1']);
  });

  test('paths./meetings.get.description: an ad-hoc meeting of a space (adhoc true, a roomId) is not listed, nor its scheduled meetings; a space meeting that is not ad hoc is', async () => {
    const e = await emulator({
      seed: { meetings: [{ id: 'adhoc1', roomId: 'room-1', adhoc: true, ...at('05') }, { id: 'room1', roomId: 'room-1', ...at('06') }] },
    });
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}`))).toEqual(['room1']);
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}&meetingType=scheduledMeeting`))).toEqual(['room1_20270206T100000Z']);
    expect((await get(e, 'adhoc1')).status).toBe(200);
  });
});

describe('get: whose meeting', () => {
  test('paths./meetings/{meetingId}.get.parameters.hostEmail (admin): a meeting hosted by that user; an invitation of theirs is not one', async () => {
    const e = await emulator({ seed });
    expect((await call(e, 'GET', '/meetings/alice1?hostEmail=alice@example.com')).status).toBe(200);
    expect((await call(e, 'GET', '/meetings/carol1?hostEmail=alice@example.com')).status).toBe(403);
  });

  test('paths./meetings/{meetingId}.get.parameters.hostEmail (absent): the caller must host or be invited', async () => {
    const e = await emulator({ seed });
    expect((await get(e, 'own1')).status).toBe(200);
    expect((await get(e, 'alice1')).status).toBe(200);
    expect((await get(e, 'bob1')).status).toBe(403);
    const alice = e.tokenFor('alice@example.com');
    expect((await get(e, 'carol1', alice)).status).toBe(200);
    expect((await get(e, 'bob1', alice)).status).toBe(403);
    // A non-admin's hostEmail is ignored: it neither opens bob's meeting nor closes alice's own.
    expect((await call(e, 'GET', '/meetings/bob1?hostEmail=bob@example.com', { token: alice })).status).toBe(403);
    expect((await call(e, 'GET', '/meetings/alice1?hostEmail=bob@example.com', { token: alice })).status).toBe(200);
  });
});

describe('get: the password request header', () => {
  test('paths./meetings/{meetingId}.get.description (Request Header password): a caller neither host nor invitee reads the meeting with its password, not without it nor with another', async () => {
    const e = await emulator({ seed });
    const alice = e.tokenFor('alice@example.com');
    const password = String(e.getMeeting('bob1')?.password);
    expect((await get(e, 'bob1', alice)).status).toBe(403);
    const wrong = await call(e, 'GET', '/meetings/bob1', { token: alice, headers: { password: `${password}x` } });
    expect(wrong.status).toBe(403);
    expect(JSON.stringify(wrong.body)).not.toContain(password);
    const right = await call(e, 'GET', '/meetings/bob1', { token: alice, headers: { password } });
    expect(right.status).toBe(200);
    expect(right.body.id).toBe('bob1');
    // A scheduled meeting of the series is protected by the same password.
    const occurrence = (await call(e, 'GET', `/meetings?${WINDOW}&meetingType=scheduledMeeting`, { token: e.tokenFor('bob@example.com') })).body.items.find((m: { meetingSeriesId: string }) => m.meetingSeriesId === 'bob1').id as string;
    expect((await call(e, 'GET', `/meetings/${occurrence}`, { token: alice })).status).toBe(403);
    expect((await call(e, 'GET', `/meetings/${occurrence}`, { token: alice, headers: { password } })).status).toBe(200);
  });

  test('paths./meetings.get.description (Request Header password): a list by meetingNumber or webLink holds a meeting the caller neither hosts nor is invited to only with its password', async () => {
    const e = await emulator({ seed });
    const alice = e.tokenFor('alice@example.com');
    const bob1 = e.getMeeting('bob1')!;
    const password = String(bob1.password);
    for (const lookup of [`meetingNumber=${String(bob1.meetingNumber)}`, `webLink=${encodeURIComponent(String(bob1.webLink))}`]) {
      expect(ids(await call(e, 'GET', `/meetings?${lookup}`, { token: alice })), lookup).toEqual([]);
      expect(ids(await call(e, 'GET', `/meetings?${lookup}`, { token: alice, headers: { password: `${password}x` } })), lookup).toEqual([]);
      expect(ids(await call(e, 'GET', `/meetings?${lookup}`, { token: alice, headers: { password } })), lookup).toEqual(['bob1']);
    }
    // Not for the window lists: the header names no meeting there.
    expect(ids(await call(e, 'GET', `/meetings?${WINDOW}`, { token: alice, headers: { password } }))).toEqual(['alice1', 'carol1']);
    // Nor on behalf of a user: that user's meetings only.
    expect(ids(await call(e, 'GET', `/meetings?meetingNumber=${String(bob1.meetingNumber)}&hostEmail=alice@example.com`, { headers: { password } }))).toEqual([]);
  });

  test('paths./meetings/{meetingId}.get.parameters.hostEmail: on behalf of a user, only that user\'s hosted meetings, password or not', async () => {
    const e = await emulator({ seed });
    const password = String(e.getMeeting('bob1')?.password);
    expect((await call(e, 'GET', '/meetings/bob1?hostEmail=alice@example.com', { headers: { password } })).status).toBe(403);
  });
});

describe('patch: who may update', () => {
  test('PatchMeetingObject.hostEmail: the host, or an admin naming the host; an invitee or an admin as themself gets 403', async () => {
    const e = await emulator({ seed });
    const alice = e.tokenFor('alice@example.com');
    expect((await patch(e, 'alice1', { title: 'By alice' }, alice)).status).toBe(200);
    expect((await patch(e, 'alice1', { title: 'By bob' }, e.tokenFor('bob@example.com'))).status).toBe(403);
    expect((await patch(e, 'alice1', { title: 'By the admin' })).status).toBe(403);
    expect((await patch(e, 'alice1', { title: 'For alice', hostEmail: 'alice@example.com' })).status).toBe(200);
    expect((await patch(e, 'bob1', { title: 'x', hostEmail: 'alice@example.com' })).status).toBe(403);
    expect((await patch(e, 'own1', { title: 'Mine' })).status).toBe(200);
    // A non-admin's body hostEmail is ignored too.
    expect((await patch(e, 'alice1', { title: 'Still alice', hostEmail: 'bob@example.com' }, alice)).status).toBe(200);
    expect(e.getMeeting('alice1')?.title).toBe('Still alice');
  });
});
