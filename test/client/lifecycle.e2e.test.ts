/**
 * The client calls of the meeting lifecycle against the real emulator on loopback: create (POST is
 * not idempotent: when it may have been carried out it is never sent again), delete (sendEmail
 * always explicit; a 404 after an attempt that may have deleted it is a success) and the lookup by
 * integration tag. The emulator's request log is the evidence of what was sent.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type SeedFile } from '../../emulator/index.js';
import { createWebexClient, type WebexClient, type WebexClientOptions } from '../../meetings/client.js';

const NOW = '2027-01-15T09:00:00Z';
const NOW_MS = Date.parse(NOW);
const YEAR_MS = 365 * 24 * 3600_000;
const ONE_OFF = { title: 'Design Review', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z', sendEmail: false };
/** Two integrations: tags are kept per client (paths./meetings.get.parameters.integrationTag). */
const SEED: SeedFile = {
  meetings: [],
  tokens: [
    { token: 't-meetctl', admin: true, clientId: 'meetctl' },
    { token: 't-other', admin: true, clientId: 'other-integration' },
  ],
};

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ now: NOW, seed: SEED, ...options });
  open.push(emu);
  return emu;
}

function client(baseUrl: string, token: string, options: Partial<WebexClientOptions> = {}): WebexClient {
  const c = createWebexClient({ baseUrl, token, ...options });
  // Closed before the emulator (afterEach pops in reverse order).
  open.push(c);
  return c;
}

const posts = (emu: Emulator) => emu.requestLog().filter((e) => e.method === 'POST');

describe('createMeeting: POST /meetings', () => {
  it('returns the created series; the body goes as application/json, once', async () => {
    const emu = await emulator();
    const c = client(emu.baseUrl, 't-meetctl');
    const r = await c.createMeeting({ ...ONE_OFF, integrationTags: ['meetctl:review'] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ title: 'Design Review', meetingType: 'meetingSeries', start: '2027-02-01T10:00:00Z', integrationTags: ['meetctl:review'] });
    expect(r.value.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.attempts).toBe(1);
    expect(emu.listSeriesIds()).toEqual([r.value.id]);
    expect(posts(emu)).toEqual([
      expect.objectContaining({ path: '/v1/meetings', status: 200, contentType: 'application/json', body: { ...ONE_OFF, integrationTags: ['meetctl:review'] }, sendEmail: false }),
    ]);
  });

  it('a connection cut after the create was sent (createThenCut): an ambiguous error after exactly one POST, and the meeting exists', async () => {
    const emu = await emulator({ createThenCut: 1 });
    const c = client(emu.baseUrl, 't-meetctl', { maxRetries: 5 });
    const r = await c.createMeeting({ ...ONE_OFF, integrationTags: ['meetctl:cut'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'network', ambiguous: true, retryable: true });
    expect(r.error.message).toMatch(/may have been carried out/);
    expect(r.attempts).toBe(1);
    expect(c.stats()).toMatchObject({ byMethod: { POST: 1 }, retries: 0 });
    await vi.waitFor(() => expect(posts(emu)).toHaveLength(1));
    expect(posts(emu)[0]).toMatchObject({ status: 0, fault: 'createThenCut' });
    // What the caller does next: look the key up. The one meeting is there.
    const found = await c.findByIntegrationTag('meetctl:cut', { fromMs: NOW_MS, toMs: NOW_MS + YEAR_MS });
    expect(found.ok && found.value.map((m) => m.id)).toEqual(emu.listSeriesIds());
    expect(emu.listSeriesIds()).toHaveLength(1);
    expect(posts(emu)).toHaveLength(1);
  });

  it('a timeout after the create was sent is ambiguous: not sent again, and the server carries it out anyway', async () => {
    const emu = await emulator({ latencyMs: 500 });
    const c = client(emu.baseUrl, 't-meetctl', { requestTimeoutMs: 100, maxRetries: 5 });
    const r = await c.createMeeting(ONE_OFF);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'timeout', ambiguous: true });
    expect(r.attempts).toBe(1);
    await vi.waitFor(() => expect(emu.listSeriesIds()).toHaveLength(1), { timeout: 5000 });
    expect(posts(emu)).toHaveLength(1);
  });

  it('a 5xx is ambiguous: returned at once, not sent again', async () => {
    const emu = await emulator({ faultNext: 1, faultKinds: ['503'], faultMethods: ['POST'] });
    const c = client(emu.baseUrl, 't-meetctl', { maxRetries: 5 });
    const r = await c.createMeeting(ONE_OFF);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 503, ambiguous: true, retryable: true });
    expect(r.attempts).toBe(1);
    expect(posts(emu).map((e) => e.status)).toEqual([503]);
  });

  it('an abort after the create was written is ambiguous too', async () => {
    const emu = await emulator({ latencyMs: 2000 });
    const c = client(emu.baseUrl, 't-meetctl');
    const controller = new AbortController();
    const pending = c.createMeeting(ONE_OFF, { signal: controller.signal });
    // The server has the request: it is being handled (the latency), not yet answered.
    await vi.waitFor(() => expect(emu.inFlight()).toBe(1));
    controller.abort();
    const r = await pending;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'aborted', ambiguous: true });
  });

  it('a connection refused (nothing reached a server) is not ambiguous, and is retried', async () => {
    // A port that was free a moment ago: nobody listens there now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const c = client(`http://127.0.0.1:${port}/v1`, 'some-token', { maxRetries: 2 });
    const r = await c.createMeeting(ONE_OFF);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('network');
    expect(r.error.message).toMatch(/ECONNREFUSED/);
    expect(r.error.ambiguous).toBeUndefined();
    expect(r.attempts).toBe(3);
  });

  it('the create quota\'s 429 (Retry-After of hours) is final: the server\'s message, no second POST, no pause of the client', async () => {
    const emu = await emulator({ createQuota: { admin: 1 } });
    const c = client(emu.baseUrl, 't-meetctl', { maxRateLimitRetries: 20 });
    expect((await c.createMeeting(ONE_OFF)).ok).toBe(true);
    const r = await c.createMeeting({ ...ONE_OFF, title: 'Second' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 429, retryable: false });
    expect(r.error.message).toMatch(/create quota is used up/);
    expect(r.error.ambiguous).toBeUndefined();
    expect(r.error.retryAfterMs).toBeGreaterThan(23 * 3600_000);
    expect(r.attempts).toBe(1);
    expect(posts(emu).map((e) => e.status)).toEqual([200, 429]);
    // The quota limits creates, not the client: reads go on at once.
    expect(c.gate.pausedUntil).toBeLessThanOrEqual(Date.now());
    expect(c.stats().rateLimited).toBe(1);
    expect(emu.listSeriesIds()).toHaveLength(1);
  });

  it('a short 429 from the rate limiter was refused before being processed: waited out and sent again, one meeting', async () => {
    const emu = await emulator({ rateLimit: 1 });
    const c = client(emu.baseUrl, 't-meetctl');
    // Drains the bucket (1 request a second): the create that follows is refused with Retry-After: 1.
    expect((await c.listMeetings({ from: NOW, to: '2028-01-15T09:00:00Z' })).ok).toBe(true);
    const r = await c.createMeeting(ONE_OFF);
    expect(r.ok).toBe(true);
    expect(r.attempts).toBe(2);
    expect(posts(emu).map((e) => [e.status, e.fault])).toEqual([
      [429, '429'],
      [200, undefined],
    ]);
    expect(emu.listSeriesIds()).toHaveLength(1);
  });
});

describe('deleteMeeting: DELETE /meetings/{meetingId}', () => {
  const create = async (c: WebexClient): Promise<string> => {
    const r = await c.createMeeting(ONE_OFF);
    if (!r.ok) throw new Error(r.error.message);
    return r.value.id;
  };

  it('always sends sendEmail (the server default is true), and hostEmail when given', async () => {
    const emu = await emulator();
    const c = client(emu.baseUrl, 't-meetctl');
    const quiet = await create(c);
    const loud = await create(c);
    emu.clearRequestLog();
    expect(await c.deleteMeeting(quiet, { sendEmail: false })).toMatchObject({ ok: true, value: { alreadyGone: false }, attempts: 1 });
    expect(await c.deleteMeeting(loud, { sendEmail: true, hostEmail: 'host@example.com' })).toMatchObject({ ok: true, value: { alreadyGone: false } });
    expect(emu.requestLog().map((e) => [e.method, e.path, e.status, e.sendEmail])).toEqual([
      ['DELETE', `/v1/meetings/${quiet}?sendEmail=false`, 204, false],
      ['DELETE', `/v1/meetings/${loud}?sendEmail=true&hostEmail=host%40example.com`, 204, true],
    ]);
    expect(emu.listSeriesIds()).toEqual([]);
  });

  it('a 404 on the first attempt is an error: nothing says it was ever there', async () => {
    const emu = await emulator();
    const c = client(emu.baseUrl, 't-meetctl');
    const r = await c.deleteMeeting('0123456789abcdef0123456789abcdef', { sendEmail: false });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 404, meetingId: '0123456789abcdef0123456789abcdef' });
    expect(r.error.ambiguous).toBeUndefined();
    expect(r.attempts).toBe(1);
  });

  it('a 404 on a retry after an attempt that may have deleted it: success, alreadyGone', async () => {
    // The first attempt's connection is cut after it was written: the client cannot tell whether
    // it was carried out. The meeting is not there when the retry asks: gone, which is what was wanted.
    const emu = await emulator({ faultNext: 1, faultKinds: ['dropped'], faultMethods: ['DELETE'] });
    const c = client(emu.baseUrl, 't-meetctl');
    const r = await c.deleteMeeting('0123456789abcdef0123456789abcdef', { sendEmail: false });
    expect(r).toMatchObject({ ok: true, value: { alreadyGone: true }, attempts: 2 });
    expect(emu.requestLog().map((e) => [e.status, e.fault])).toEqual([
      [0, 'dropped'],
      [404, undefined],
    ]);
  });

  it('a cut attempt and then a 204: deleted by the retry, not alreadyGone', async () => {
    const emu = await emulator();
    const c = client(emu.baseUrl, 't-meetctl');
    const id = await create(c);
    emu.configure({ faultNext: 1, faultKinds: ['dropped'], faultMethods: ['DELETE'] });
    expect(await c.deleteMeeting(id, { sendEmail: false })).toMatchObject({ ok: true, value: { alreadyGone: false }, attempts: 2 });
    expect(emu.listSeriesIds()).toEqual([]);
  });
});

describe('findByIntegrationTag: GET /meetings?integrationTag=…', () => {
  it('sends the series type, the tag and an explicit window, reads every page, and finds only the series this client tagged', async () => {
    const emu = await emulator();
    const mine = client(emu.baseUrl, 't-meetctl');
    const other = client(emu.baseUrl, 't-other');
    const tagged: string[] = [];
    // 101 series: two pages of 100.
    for (let i = 0; i < 101; i++) {
      const r = await mine.createMeeting({ ...ONE_OFF, title: `Tagged ${i}`, integrationTags: ['meetctl:weekly'] });
      if (r.ok) tagged.push(r.value.id);
    }
    expect(tagged).toHaveLength(101);
    expect((await mine.createMeeting({ ...ONE_OFF, integrationTags: ['meetctl:another'] })).ok).toBe(true);
    expect((await mine.createMeeting(ONE_OFF)).ok).toBe(true);
    const theirs = await other.createMeeting({ ...ONE_OFF, integrationTags: ['meetctl:weekly'] });
    expect(theirs.ok).toBe(true);
    emu.clearRequestLog();

    const window = { fromMs: NOW_MS, toMs: NOW_MS + YEAR_MS };
    const found = await mine.findByIntegrationTag('meetctl:weekly', window);
    expect(found.ok && found.value.map((m) => m.id).sort()).toEqual([...tagged].sort());
    const reads = emu.requestLog();
    expect(reads).toHaveLength(2);
    const query = new URL(reads[0].path, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      current: 'false',
      max: '100',
      meetingType: 'meetingSeries',
      integrationTag: 'meetctl:weekly',
      from: '2027-01-15T09:00:00.000Z',
      to: '2028-01-15T09:00:00.000Z',
    });

    // The other integration's tag of the same name is its own.
    const seenByOther = await other.findByIntegrationTag('meetctl:weekly', window);
    expect(seenByOther.ok && seenByOther.value.map((m) => m.id)).toEqual([theirs.ok && theirs.value.id]);
  });

  it('passes hostEmail, for an admin looking on behalf of a host', async () => {
    const emu = await emulator();
    const c = client(emu.baseUrl, 't-meetctl');
    const forAlice = await c.createMeeting({ ...ONE_OFF, hostEmail: 'alice@example.com', integrationTags: ['meetctl:a'] });
    expect(forAlice.ok).toBe(true);
    const found = await c.findByIntegrationTag('meetctl:a', { hostEmail: 'alice@example.com', fromMs: NOW_MS, toMs: NOW_MS + YEAR_MS });
    expect(found.ok && found.value.map((m) => m.id)).toEqual([forAlice.ok && forAlice.value.id]);
    expect(emu.requestLog().at(-1)?.path).toMatch(/[?&]hostEmail=alice%40example.com(&|$)/);
  });
});
