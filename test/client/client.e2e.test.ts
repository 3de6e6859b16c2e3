/** The Webex client against the real emulator on loopback: what the server logged is the evidence. */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { generateSeed } from '../../emulator/index.js';
import type { WebexClient } from '../../meetings/client.js';
import { client, emulator, NOW, seedOf } from './support.js';
import { pauseViolations, type LogEntry } from './log-analysis.js';

/** Webex lists one week by default; the generated series spread over months. */
const YEAR = { from: NOW, to: '2028-01-15T09:00:00Z' };

const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${String(i).padStart(3, '0')}`);

describe('WebexClient against the emulator', () => {
  it('gets a meeting, and records the server clock', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu);
    expect(c.serverNow()).toBeUndefined();
    const r = await c.getMeeting('abc123');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.id).toBe('abc123');
    expect(r.value.title).toBe('Meeting 0');
    expect(r.attempts).toBe(1);
    // The Date header has second precision; the emulator clock started at NOW, not at the local time.
    expect(Math.abs((c.serverNow() ?? 0) - emu.clock.now().getTime())).toBeLessThan(2000);
    expect(Math.abs((r.serverDate ?? 0) - Date.parse(NOW))).toBeLessThan(5000);
    expect(c.stats()).toMatchObject({ requests: 1, byMethod: { GET: 1 }, retries: 0 });
  });

  it('passes hostEmail as a query parameter, after current=false', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu);
    const mine = await c.getMeeting('abc123', { hostEmail: 'host@example.com' });
    const other = await c.getMeeting('abc123', { hostEmail: 'someone.else@example.com' });
    expect(mine.ok).toBe(true);
    expect(other.ok).toBe(false);
    expect(emu.requestLog().map((e) => e.path)).toEqual([
      '/v1/meetings/abc123?current=false&hostEmail=host%40example.com',
      '/v1/meetings/abc123?current=false&hostEmail=someone.else%40example.com',
    ]);
  });

  it('lists every meeting by following Link rel="next" (250 series, max=100: 3 requests)', async () => {
    const emu = await emulator({ seed: generateSeed({ series: 250 }) });
    const c = client(emu);
    const r = await c.listMeetings(YEAR);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(250);
    expect(new Set(r.value.map((m) => m.id)).size).toBe(250);
    expect(new Set(r.value.map((m) => m.id))).toEqual(new Set(emu.listSeriesIds()));
    const gets = emu.requestLog().filter((e) => e.method === 'GET');
    expect(gets).toHaveLength(3);
    for (const e of gets) expect(e.path).toContain('max=100');
    expect(r.attempts).toBe(3);
  });

  it('yields the pages one by one', async () => {
    const emu = await emulator({ seed: generateSeed({ series: 250 }) });
    const c = client(emu);
    const sizes: number[] = [];
    for await (const page of c.listMeetingsPages({ ...YEAR, max: 100 })) {
      expect(page.ok).toBe(true);
      if (page.ok) sizes.push(page.value.length);
    }
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('a 504 on a list page asks for the page again at half the size ("please try to reduce" max), down to 10; then it is retried as any 5xx', async () => {
    const emu = await emulator({ seed: generateSeed({ series: 250 }) });
    const c = client(emu, { maxRetries: 2 });
    emu.configure({ faultKinds: ['504'], faultNext: 2, faultMethods: ['GET'] });
    const r = await c.listMeetings(YEAR);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(new Set(r.value.map((m) => m.id))).toEqual(new Set(emu.listSeriesIds()));
    const pages = emu.requestLog().map((e) => [Number(/[?&]max=(\d+)/.exec(e.path)?.[1]), e.status]);
    // 100 → 504, 50 → 504, then pages of 25 (the next links keep the smaller max).
    expect(pages.slice(0, 3)).toEqual([[100, 504], [50, 504], [25, 200]]);
    expect(pages.slice(2).every(([max, status]) => max === 25 && status === 200)).toBe(true);
    expect(pages).toHaveLength(2 + 10);
    expect(c.stats().retries).toBe(0);

    emu.clearRequestLog();
    emu.configure({ faultNext: 1 });
    const small = await c.listMeetings({ ...YEAR, max: 10 });
    expect(small.ok).toBe(true);
    expect(emu.requestLog().slice(0, 2).map((e) => [Number(/[?&]max=(\d+)/.exec(e.path)?.[1]), e.status])).toEqual([[10, 504], [10, 200]]);
    expect(c.stats().retries).toBe(1);
  });

  it('a 504 on a GET of one meeting is retried as any 5xx', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu, { maxRetries: 2 });
    emu.configure({ faultKinds: ['504'], faultNext: 1 });
    const r = await c.getMeeting('abc123');
    expect(r.ok).toBe(true);
    expect(emu.requestLog().map((e) => e.status)).toEqual([504, 200]);
  });

  it('a list error (bad filter) is an error value', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu);
    const r = await c.listMeetings({ meetingType: 'nonsense' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 400, retryable: false });
    expect(r.error.message).toContain('meetingType');
  });

  it('patches with a JSON merge patch and returns the updated meeting', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu);
    const r = await c.patchMeeting('abc123', { title: 'Renamed', agenda: 'New agenda' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ id: 'abc123', title: 'Renamed', agenda: 'New agenda' });
    expect(emu.getMeeting('abc123')).toMatchObject({ title: 'Renamed', agenda: 'New agenda' });
    const [entry] = emu.requestLog();
    expect(entry).toMatchObject({ method: 'PATCH', path: '/v1/meetings/abc123', status: 200, body: { title: 'Renamed', agenda: 'New agenda' } });
  });

  it('a 404 is an error value with status, Webex message, trackingId and meetingId, and is not retried', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu);
    const r = await c.getMeeting('doesnotexist');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 404, meetingId: 'doesnotexist', retryable: false });
    expect(r.error.message).toMatch(/doesnotexist was not found/);
    expect(r.error.trackingId).toMatch(/^EMULATOR_/);
    expect(emu.requestLog()).toHaveLength(1);
  });

  it('a 400 on PATCH carries the server message and is sent once', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu);
    const r = await c.patchMeeting('abc123', { title: 'x'.repeat(300) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 400, meetingId: 'abc123', retryable: false });
    expect(r.error.message).not.toBe('HTTP 400');
    expect(emu.requestLog()).toHaveLength(1);
  });

  it('a wrong token gets 401 as an error value that does not contain the token', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const token = 'wrong-token-0123456789';
    const c = client(emu, { token });
    const r = await c.getMeeting('abc123');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 401, retryable: false });
    expect(JSON.stringify(r)).not.toContain(token);
    expect(emu.requestLog()).toHaveLength(1);
    expect(emu.requestLog()[0].token).toBe('unknown');
  });

  it('encodes ids with /, ?, % and spaces as one path segment', async () => {
    const weird = ['a/b', 'q?x=1', 'p%20c', 'sp ace#h'];
    const emu = await emulator({ seed: seedOf(weird) });
    const c = client(emu);
    for (const id of weird) {
      const r = await c.getMeeting(id);
      expect(r.ok, id).toBe(true);
      if (r.ok) expect(r.value.id).toBe(id);
    }
    expect(emu.requestLog().map((e) => e.path)).toEqual([
      '/v1/meetings/a%2Fb?current=false',
      '/v1/meetings/q%3Fx%3D1?current=false',
      '/v1/meetings/p%2520c?current=false',
      '/v1/meetings/sp%20ace%23h?current=false',
    ]);
    const patched = await c.patchMeeting('a/b', { title: 'Slash' });
    expect(patched.ok).toBe(true);
    expect(emu.getMeeting('a/b')?.title).toBe('Slash');
  });

  it('retries 503s, 423s and dropped connections until every request succeeds', async () => {
    const all = ids(40);
    const emu = await emulator({ seed: seedOf(all), faultRate: 0.3 });
    const c = client(emu, { concurrency: 4, maxRetries: 10 });
    const results = await Promise.all(all.map((id) => c.getMeeting(id)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const log = emu.requestLog();
    const faults = log.filter((e) => e.fault !== undefined);
    expect(faults.length).toBeGreaterThan(0);
    // Exactly one success per meeting: faulted attempts were retried, nothing else was repeated.
    expect(log.filter((e) => e.status === 200)).toHaveLength(all.length);
    const stats = c.stats();
    expect(stats.serverErrors).toBe(log.filter((e) => e.fault === '503').length);
    expect(stats.locked).toBe(log.filter((e) => e.fault === '423').length);
    expect(stats.networkErrors).toBe(log.filter((e) => e.fault === 'dropped').length);
    expect(stats.retries).toBe(faults.length);
    expect(stats.requests).toBe(log.length);
    expect(results.reduce((sum, r) => sum + (r.attempts ?? 0), 0)).toBe(log.length);
  });

  it('gives up after maxRetries on a server that always fails, with retriesExhausted', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']), faultRate: 1 });
    const c = client(emu, { maxRetries: 2, maxRateLimitRetries: 2 });
    const r = await c.getMeeting('abc123');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.retryable).toBe(true);
    expect(['retriesExhausted', 'network']).toContain(r.error.code);
    expect(r.error.meetingId).toBe('abc123');
    expect(r.error.message).toMatch(/gave up after \d+ attempts/);
    expect(emu.requestLog().length).toBe(r.attempts);
    expect(emu.requestLog().length).toBeLessThanOrEqual(5);
  });

  it('in a 429 storm, no request leaves while a Retry-After pause announced to the client is in force', async () => {
    const all = ids(60);
    const emu = await emulator({ seed: seedOf(all), rateLimit: 20 });
    const c = client(emu, { concurrency: 8 });
    const results = await Promise.all(all.map((id) => c.getMeeting(id)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const log = emu.requestLog();
    const refused = log.filter((e) => e.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(c.stats().rateLimited).toBe(refused.length);
    // The emulator's token bucket at 20 req/s always announces Retry-After: 1.
    expect(pauseViolations(log, () => 1)).toEqual([]);
    // The adaptive limit halved at least once.
    expect(c.limit.epoch).toBeGreaterThan(0);
    expect(c.stats().peakInFlight).toBeLessThanOrEqual(8);
  });

  it('a request queued for a connection while a 429 arrives waits out the pause (checked again at write time)', async () => {
    const emu = await emulator({ seed: seedOf(['a1', 'b2', 'warm']), rateLimit: 1 });
    // One connection: the second request waits in the pool behind the first, past ready().
    const c = client(emu, { concurrency: 1 });
    expect((await c.getMeeting('warm')).ok).toBe(true); // drains the bucket
    const both = await c.limit.run(() => Promise.all([c.getMeeting('a1'), c.getMeeting('b2')]));
    expect(both.ok).toBe(true);
    if (both.ok) expect(both.value.map((r) => r.ok)).toEqual([true, true]);
    const log = emu.requestLog();
    expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    // No grace: here nothing may cross a refusal on the wire, the queued request was not yet written.
    expect(pauseViolations(log, () => 1, { graceMs: 0 })).toEqual([]);
  });

  it('the pause check itself detects a client that ignores Retry-After', () => {
    const entry = (seq: number, status: number, startedAt: number, endedAt: number): LogEntry => ({
      seq, method: 'GET', path: '/v1/meetings/x', status, startedAt, endedAt, token: 'admin',
    });
    const log = [entry(1, 429, 1000, 1005), entry(2, 200, 1200, 1210), entry(3, 200, 2100, 2110)];
    expect(pauseViolations(log, () => 1).map((v) => v.offender.seq)).toEqual([2]);
    // A 423 locks one resource: only its own request sent again early is a violation.
    const other = { ...entry(3, 200, 1200, 1210), path: '/v1/meetings/y' };
    expect(pauseViolations([entry(1, 423, 1000, 1005), entry(2, 200, 1200, 1210), other], () => 1).map((v) => v.offender.seq)).toEqual([2]);
  });

  it('times out a request slower than requestTimeoutMs, retries, then returns a timeout error', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']), latencyMs: 500 });
    const c = client(emu, { requestTimeoutMs: 100, maxRetries: 1 });
    const r = await c.getMeeting('abc123');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'timeout', retryable: true, meetingId: 'abc123' });
    expect(r.attempts).toBe(2);
    expect(c.stats()).toMatchObject({ requests: 2, retries: 1, networkErrors: 2 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    // The server saw both attempts, and never finished answering either.
    expect(emu.requestLog().map((e) => e.status)).toEqual([0, 0]);
  });

  it('an aborted call sends nothing and says so', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const c = client(emu);
    const r = await c.getMeeting('abc123', { signal: AbortSignal.abort() });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('aborted');
    expect(emu.requestLog()).toHaveLength(0);
  });

  it('aborting during a Retry-After pause stops the retry', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']), faultRate: 1 });
    const c = client(emu, { maxRetries: 10 });
    const controller = new AbortController();
    const pending = c.getMeeting('abc123', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const r = await pending;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('aborted');
  });

  it('logs method, path, status and attempt at debug level, never the token', async () => {
    const emu = await emulator({ seed: seedOf(['abc123']) });
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const c = client(emu, { logger });
    await c.getMeeting('abc123');
    await c.getMeeting('missing');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries).toEqual([
      expect.objectContaining({ method: 'GET', path: '/v1/meetings/abc123?current=false', status: 200, attempt: 1 }),
      expect.objectContaining({ method: 'GET', path: '/v1/meetings/missing?current=false', status: 404, attempt: 1 }),
    ]);
    expect(lines.join('\n')).not.toContain(emu.adminToken);
  });
});
