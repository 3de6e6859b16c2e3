/**
 * The Webex sender of the lifecycle (meetings/send/) driven by the executor against the emulator:
 * creates (never twice, never retried once refused), changes planned against a series created in
 * the same apply, deletes and cancels, and the staleness of a saved plan's creates and deletes.
 * The emulator's request log is the evidence of what was sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type RequestLogEntry } from '../../emulator/index.js';
import { createWebexClient, type WebexClient } from '../../meetings/client.js';
import { createWebexApplier } from '../../meetings/send/index.js';
import { LOST_ANSWER_LOOKUP_DELAY_MS } from '../../meetings/send/create.js';
import { meetingFingerprint } from '../../meetings/field-diff.js';
import { MEETING_FIELDS, OCCURRENCE_FIELDS } from '../../meetings/catalogue.js';
import { executePlan } from '../../core/executor.js';
import type { ChangeOutcome } from '../../core/report.js';
import type { Change } from '../../core/plan.js';

const NOW = '2027-01-15T09:00:00Z';
const SERIES = 'aaaa1111';
const OCC = `${SERIES}_20270309T080000Z`;
const WEEKLY = {
  id: SERIES,
  title: 'Weekly',
  hostEmail: 'host@example.com',
  timezone: 'Europe/Berlin',
  start: '2027-03-02T09:00:00+01:00',
  end: '2027-03-02T09:30:00+01:00',
  recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10',
};

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function setup(options: EmulatorOptions = {}): Promise<{ emu: Emulator; client: WebexClient }> {
  const emu = await startEmulator({ now: NOW, seed: { meetings: [WEEKLY] }, ...options });
  open.push(emu);
  const client = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken, maxRetries: 3 });
  open.push(client);
  return { emu, client };
}

/** As the planner builds it: the whole POST body, the secret as a reference, the ownership tag. */
function createChange(key: string, over: Partial<Change> = {}): Change {
  return {
    action: 'create',
    kind: 'series',
    id: `new:${key}`,
    key,
    file: `meetings/${key}.yaml`,
    patch: {
      title: `Standup ${key}`,
      timezone: 'UTC',
      start: '2027-02-02T09:00:00Z',
      end: '2027-02-02T09:15:00Z',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=5',
      password: '${env:STANDUP_PW}',
      integrationTags: [`meetctl:${key}`],
    },
    sensitive: ['password'],
    before: {},
    fingerprint: '',
    warnings: [],
    order: 0,
    ...over,
  };
}

function deleteChange(id: string, fingerprint: string, over: Partial<Change> = {}): Change {
  return { action: 'delete', kind: 'series', id, file: `meetings/${id}.yaml`, patch: {}, before: {}, fingerprint, warnings: [], order: 0, ...over };
}

async function run(client: WebexClient, emu: Emulator, changes: Change[], o: { saved?: boolean; sendEmail?: boolean; lookupDelayMs?: number } = {}): Promise<Map<string, ChangeOutcome>> {
  const applier = createWebexApplier({ client, env: { STANDUP_PW: 'Secret-Pw-42' }, sendEmail: o.sendEmail ?? false, maxRetries: 3, lookupDelayMs: o.lookupDelayMs });
  const report = await executePlan({
    changes,
    send: applier.send,
    checkFresh: o.saved === true ? applier.checkFresh : undefined,
    limit: client.limit,
    baseUrl: emu.baseUrl,
    controls: { sendEmail: o.sendEmail ?? false },
  });
  expect(report.outcomes).toHaveLength(changes.length);
  return new Map(report.outcomes.map((x) => [x.id, x]));
}

const posts = (log: RequestLogEntry[]) => log.filter((e) => e.method === 'POST');
const deletes = (log: RequestLogEntry[]) => log.filter((e) => e.method === 'DELETE');
const tagged = (emu: Emulator, key: string) =>
  emu.listSeriesIds().filter((id) => (emu.getMeeting(id)?.integrationTags as string[] | undefined)?.includes(`meetctl:${key}`));

describe('creates', () => {
  it('creates the series, then overrides and cancels its scheduled meetings on the id the server gave, in one apply', async () => {
    const { emu, client } = await setup();
    const changes: Change[] = [
      createChange('standup'),
      { ...createChange('standup'), action: 'update', kind: 'scheduledMeeting', id: 'new:standup_20270209T090000Z', dependsOn: 'new:standup', order: 1, patch: { title: 'Standup (demo day)' } },
      { ...createChange('standup'), action: 'delete', kind: 'scheduledMeeting', id: 'new:standup_20270216T090000Z', dependsOn: 'new:standup', order: 1, patch: {} },
    ];
    const out = await run(client, emu, changes, { saved: true });

    const created = out.get('new:standup')!;
    expect(created).toMatchObject({ status: 'applied', action: 'create', attempts: 1, warnings: [] });
    const id = created.createdId!;
    expect(tagged(emu, 'standup')).toEqual([id]);
    expect(out.get('new:standup_20270209T090000Z')).toMatchObject({ status: 'applied', sentTo: `${id}_20270209T090000Z` });
    expect(out.get('new:standup_20270216T090000Z')).toMatchObject({ status: 'applied', sentTo: `${id}_20270216T090000Z` });
    expect(emu.getMeeting(`${id}_20270209T090000Z`)?.title).toBe('Standup (demo day)');
    expect(emu.getMeeting(`${id}_20270216T090000Z`)).toBeUndefined();
    expect(emu.getMeeting(`${id}_20270223T090000Z`)?.title).toBe('Standup standup');

    const log = emu.requestLog();
    // The secret went resolved, sendEmail explicit; nothing else was created.
    expect(posts(log).map((e) => [e.status, (e.body as Record<string, unknown>).password, (e.body as Record<string, unknown>).sendEmail, e.sendEmail])).toEqual([
      [200, 'Secret-Pw-42', false, false],
    ]);
    // CreateMeetingObject.scheduledType's default ("a regular meeting") is said, not relied on.
    expect((posts(log)[0].body as Record<string, unknown>).scheduledType).toBe('meeting');
    expect(log.filter((e) => e.method === 'PATCH').map((e) => e.path)).toEqual([`/v1/meetings/${id}_20270209T090000Z`]);
    expect(deletes(log).map((e) => e.path)).toEqual([`/v1/meetings/${id}_20270216T090000Z?sendEmail=false`]);
  });

  it('a saved plan\'s create whose start has passed by the server clock is not sent (a refused create counts toward the quota)', async () => {
    const { emu, client } = await setup();
    emu.clock.set('2027-02-02T09:00:30Z');
    await client.getMeeting(SERIES); // the client learns the server's clock from its Date header
    emu.clearRequestLog();
    const out = await run(client, emu, [createChange('late')], { saved: true });
    expect(out.get('new:late')).toMatchObject({ status: 'failed', attempts: 0, message: expect.stringMatching(/^not sent: its start 2027-02-02T09:00:00Z has passed since the plan was made \(server time 2027-02-02T09:00:3\d/) });
    expect(posts(emu.requestLog())).toEqual([]);
  });

  it('a create the server gives another host than the file names (a token without admin scope) fails, naming both, and its overrides are not sent', async () => {
    const { emu } = await setup({ seed: { meetings: [WEEKLY], tokens: [{ token: 'alice-token', hostEmail: 'alice@example.com' }] } });
    const alice = createWebexClient({ baseUrl: emu.baseUrl, token: 'alice-token', maxRetries: 3 });
    open.push(alice);
    const changes: Change[] = [
      createChange('bob', { controls: { hostEmail: 'bob@example.com' } }),
      { ...createChange('bob'), action: 'update', kind: 'scheduledMeeting', id: 'new:bob_20270209T090000Z', dependsOn: 'new:bob', order: 1, patch: { title: 'Demo day' }, controls: { hostEmail: 'bob@example.com' } },
    ];
    const out = await run(alice, emu, changes);
    const [id] = tagged(emu, 'bob');
    expect(emu.getMeeting(id)?.hostEmail).toBe('alice@example.com');
    expect(out.get('new:bob')).toMatchObject({ status: 'failed', message: expect.stringContaining(`created as ${id}, but its host is alice@example.com, not bob@example.com as the file says`) });
    expect(out.get('new:bob_20270209T090000Z')?.status).not.toBe('applied');
    expect(emu.requestLog().filter((e) => e.method === 'PATCH')).toEqual([]);
  });

  it('an answer cut after the create was stored: found by its tag, not created twice; a saved plan run again is stale', async () => {
    const { emu, client } = await setup({ createThenCut: 1 });
    const first = await run(client, emu, [createChange('cut')], { lookupDelayMs: 50 });
    const [only] = tagged(emu, 'cut');
    expect(first.get('new:cut')).toMatchObject({ status: 'applied', createdId: only, message: 'created; the answer was lost, found by its ownership tag', attempts: 1 });
    expect(tagged(emu, 'cut')).toHaveLength(1);
    expect(posts(emu.requestLog()).map((e) => e.fault)).toEqual(['createThenCut']);
    // The lookup asked for the key's tag.
    expect(emu.requestLog().some((e) => e.method === 'GET' && e.path.includes('integrationTag=meetctl%3Acut'))).toBe(true);

    emu.clearRequestLog();
    const again = await run(client, emu, [createChange('cut')], { saved: true });
    expect(again.get('new:cut')).toMatchObject({ status: 'stale', message: `the key cut exists by now (${only}): not created again; run meetctl plan again` });
    expect(posts(emu.requestLog())).toEqual([]);
    expect(tagged(emu, 'cut')).toEqual([only]);
  });

  it('a 5xx (ambiguous) that created nothing: looked up, not found, sent again after each lookup, up to maxRetries', async () => {
    const { emu, client } = await setup({ faultNext: 1, faultKinds: ['503'], faultMethods: ['POST'] });
    // The emulator stores a create at once, so the lookups need not wait (the next test holds the wait itself).
    const out = await run(client, emu, [createChange('retry')], { lookupDelayMs: 50 });
    expect(out.get('new:retry')).toMatchObject({ status: 'applied', attempts: 2, createdId: tagged(emu, 'retry')[0] });
    expect(out.get('new:retry')?.message).toBeUndefined();
    const writesAndLookups = emu.requestLog().map((e) => [e.method, e.status]);
    expect(writesAndLookups).toEqual([['POST', 503], ['GET', 200], ['POST', 200]]);

    emu.clearRequestLog();
    emu.configure({ faultNext: 10 });
    const given = await run(client, emu, [createChange('never')], { lookupDelayMs: 50 });
    // maxRetries 3 (the client's, given to the applier): the first POST and 3 more, each after a lookup.
    expect(given.get('new:never')).toMatchObject({ status: 'failed', httpStatus: 503, attempts: 4 });
    expect(given.get('new:never')?.message).toMatch(/sent 4 times; each time the answer was lost and no meeting with the tag meetctl:never was found/);
    expect(emu.requestLog().map((e) => e.method).join(' ')).toBe('POST GET POST GET POST GET POST GET');
  });

  it('an ambiguous create (5xx) is looked up by its tag only after a pause, in which a create an upstream finishes late can land', async () => {
    // A 504 is "An upstream server failed to respond on time" (paths./meetings.post.responses.504): the create may yet happen.
    const { emu, client } = await setup({ faultNext: 1, faultKinds: ['503'], faultMethods: ['POST'] });
    const out = await run(client, emu, [createChange('late')]);
    expect(out.get('new:late')).toMatchObject({ status: 'applied', attempts: 2 });
    const log = emu.requestLog();
    expect(log.map((e) => [e.method, e.status])).toEqual([['POST', 503], ['GET', 200], ['POST', 200]]);
    const [lost, lookup] = log;
    expect(lookup.path).toContain('integrationTag=meetctl%3Alate');
    // A lower bound only (a few ms of slack: the server logs its end after the client has read it).
    expect(LOST_ANSWER_LOOKUP_DELAY_MS).toBeGreaterThanOrEqual(1000);
    expect(lookup.startedAt - lost.endedAt).toBeGreaterThanOrEqual(LOST_ANSWER_LOOKUP_DELAY_MS - 50);
  });

  it('a lost answer and the tag on two meetings: failed, naming both, nothing sent again', async () => {
    const { emu, client } = await setup();
    const other = await client.createMeeting({ title: 'Copied tag', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', integrationTags: ['meetctl:twice'], sendEmail: false });
    if (!other.ok) throw new Error(other.error.message);
    emu.configure({ createThenCut: 1 });
    const out = await run(client, emu, [createChange('twice')], { lookupDelayMs: 50 });
    const ids = tagged(emu, 'twice');
    expect(ids).toHaveLength(2);
    expect(out.get('new:twice')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(out.get('new:twice')?.message).toMatch(/2 meetings carry the tag meetctl:twice \(/);
    for (const id of ids) expect(out.get('new:twice')?.message).toContain(id);
  });

  it('a create refused by the quota (429) fails with the reason and is not sent again', async () => {
    const { emu, client } = await setup({ createQuota: { admin: 1 } });
    expect((await client.createMeeting({ title: 'Uses the quota', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', sendEmail: false })).ok).toBe(true);
    emu.clearRequestLog();
    const out = await run(client, emu, [createChange('late')]);
    const refused = out.get('new:late')!;
    expect(refused).toMatchObject({ status: 'failed', httpStatus: 429, attempts: 1 });
    expect(refused.message).toMatch(/create quota is used up/);
    expect(refused.message).toMatch(/not sent again: Webex asks to wait about \d+ h \(Retry-After\), longer than meetctl waits \(60 s\)\); failed creates count toward Webex's create quota too$/);
    expect(refused.createdId).toBeUndefined();
    // One POST, and no lookup: a refusal is not a lost answer.
    expect(emu.requestLog().map((e) => [e.method, e.status])).toEqual([['POST', 429]]);
    expect(tagged(emu, 'late')).toEqual([]);
  });
});

describe('deletes and cancels', () => {
  it('a prune deletes the owned series with sendEmail=false and the host', async () => {
    const { emu, client } = await setup();
    const made = await client.createMeeting({ title: 'Old', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', hostEmail: 'alice@example.com', integrationTags: ['meetctl:old'], sendEmail: false });
    if (!made.ok) throw new Error(made.error.message);
    const live = await client.getMeeting(made.value.id, { hostEmail: 'alice@example.com' });
    if (!live.ok) throw new Error(live.error.message);
    emu.clearRequestLog();
    const change = deleteChange(made.value.id, meetingFingerprint(live.value, MEETING_FIELDS), { key: 'old', prune: true, controls: { hostEmail: 'alice@example.com' } });
    const out = await run(client, emu, [change], { saved: true });
    expect(out.get(made.value.id)).toMatchObject({ status: 'applied', action: 'delete', attempts: 1 });
    expect(emu.listSeriesIds()).toEqual([SERIES]);
    expect(deletes(emu.requestLog()).map((e) => [e.path, e.status, e.sendEmail])).toEqual([
      [`/v1/meetings/${made.value.id}?sendEmail=false&hostEmail=alice%40example.com`, 204, false],
    ]);
  });

  it('a cancel deletes that one scheduled meeting; the series and its other meetings stay', async () => {
    const { emu, client } = await setup();
    const live = await client.getMeeting(OCC);
    if (!live.ok) throw new Error(live.error.message);
    const change = deleteChange(OCC, meetingFingerprint(live.value, OCCURRENCE_FIELDS), { kind: 'scheduledMeeting' });
    emu.clearRequestLog();
    const out = await run(client, emu, [change], { saved: true });
    expect(out.get(OCC)).toMatchObject({ status: 'applied' });
    expect(deletes(emu.requestLog()).map((e) => [e.path, e.status])).toEqual([[`/v1/meetings/${OCC}?sendEmail=false`, 204]]);
    expect(emu.getMeeting(OCC)).toBeUndefined();
    expect(emu.getMeeting(`${SERIES}_20270316T080000Z`)).toBeDefined();
    expect(emu.listSeriesIds()).toEqual([SERIES]);
  });

  it('a saved plan: a delete of a meeting edited since the plan is skipped; of one already gone, unchanged; nothing sent', async () => {
    const { emu, client } = await setup();
    const live = await client.getMeeting(SERIES);
    if (!live.ok) throw new Error(live.error.message);
    const change = deleteChange(SERIES, meetingFingerprint(live.value, MEETING_FIELDS), { key: 'weekly', prune: true });
    emu.editMeeting(SERIES, { agenda: 'changed by hand in Webex' });
    emu.clearRequestLog();

    const edited = await run(client, emu, [change], { saved: true });
    expect(edited.get(SERIES)).toMatchObject({ status: 'stale', message: 'the meeting changed since the plan was made; not deleted' });
    expect(emu.getMeeting(SERIES)?.agenda).toBe('changed by hand in Webex');

    emu.deleteMeeting(SERIES);
    const gone = await run(client, emu, [change], { saved: true });
    expect(gone.get(SERIES)).toMatchObject({ status: 'unchanged' });
    expect(deletes(emu.requestLog())).toEqual([]);
  });
});
