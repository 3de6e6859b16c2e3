import { connect } from 'node:net';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { SALES, call, emulator, get } from './helpers.js';

describe('rate limit', () => {
  test('a token bucket per token: beyond the burst, 429 with an integer Retry-After >= 1', async () => {
    const e = await emulator({ rateLimit: 3 });
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await get(e, SALES);
      statuses.push(r.status);
      if (r.status === 429) retryAfter = String(r.headers['retry-after']);
    }
    // The burst is three; refilling 3/s cannot add a whole token between back-to-back requests.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toContain(429);
    expect(retryAfter).toMatch(/^[1-9]\d*$/);
    const limited = e.requestLog().find((r) => r.status === 429)!;
    expect(limited.fault).toBe('429');
    // The limit is per token: a host token has its own bucket.
    expect((await get(e, SALES, e.tokenFor('host@example.com'))).status).toBe(200);
  });

  test('a 429 body is a Webex error', async () => {
    const e = await emulator({ rateLimit: 1 });
    await get(e, SALES);
    const r = await get(e, SALES);
    expect(r.status).toBe(429);
    expect(r.body.message).toMatch(/Too many requests/);
    expect(r.body.errors[0].description).toMatch(/Retry-After/);
    expect(r.body.trackingId).toBeTruthy();
  });

  test('configure() changes the limit at run time; 0 turns it off', async () => {
    const e = await emulator({ rateLimit: 1 });
    await get(e, SALES);
    expect((await get(e, SALES)).status).toBe(429);
    e.configure({ rateLimit: 0 });
    for (let i = 0; i < 10; i++) expect((await get(e, SALES)).status).toBe(200);
  });
});

describe('fault injection', () => {
  test('faultRate 1: every request is a 503, a 423 with Retry-After 1, or a dropped connection', async () => {
    const e = await emulator({ faultRate: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      try {
        const res = await request(`${e.baseUrl}/meetings/${SALES}`, { headers: { authorization: `Bearer ${e.adminToken}` } });
        await res.body.text();
        seen.add(String(res.statusCode));
        if (res.statusCode === 423) expect(res.headers['retry-after']).toBe('1');
        expect([503, 423]).toContain(res.statusCode);
      } catch {
        seen.add('dropped');
      }
    }
    expect([...seen].sort()).toEqual(['423', '503', 'dropped']);
    const log = e.requestLog();
    expect(log).toHaveLength(40);
    for (const r of log) expect(r.fault).toBe(r.status === 0 ? 'dropped' : String(r.status));
  });

  test('faultKinds 500, 502, 504: the status, with the operations\' response descriptions as the reason', async () => {
    const e = await emulator({ faultRate: 1, faultKinds: ['500', '502', '504'] });
    const seen = new Map<number, string>();
    for (let i = 0; i < 30; i++) {
      const res = await request(`${e.baseUrl}/meetings/${SALES}`, { headers: { authorization: `Bearer ${e.adminToken}` } });
      const body = (await res.body.json()) as { message: string; errors: { description: string }[]; trackingId: string };
      expect(body.trackingId).toBeTruthy();
      seen.set(res.statusCode, body.errors[0].description);
    }
    expect([...seen.keys()].sort()).toEqual([500, 502, 504]);
    expect(seen.get(504)).toMatch(/^Gateway Timeout: .*please try to reduce it\.$/);
    expect(seen.get(502)).toMatch(/^Bad Gateway: /);
    expect(seen.get(500)).toMatch(/^Internal Server Error: /);
    for (const r of e.requestLog()) expect(r.fault).toBe(String(r.status));
  });

  test('a faulted write changes nothing', async () => {
    const e = await emulator({ faultRate: 1 });
    for (let i = 0; i < 5; i++) {
      await request(`${e.baseUrl}/meetings/${SALES}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${e.adminToken}`, 'content-type': 'application/json-patch+json' },
        body: JSON.stringify({ title: 'Changed' }),
      }).then((r) => r.body.text(), () => undefined);
    }
    expect(e.getMeeting(SALES)?.title).toBe('Sales Sync');
  });

  test('faultRate 0 (the default) never faults', async () => {
    const e = await emulator();
    for (let i = 0; i < 20; i++) expect((await get(e, SALES)).status).toBe(200);
  });

  test('latency delays each response (lower bound only: timing goals live in bench/)', async () => {
    const e = await emulator({ latencyMs: 60 });
    await get(e, SALES);
    const [entry] = e.requestLog();
    // -20% jitter, less a millisecond of timer rounding.
    expect(entry.endedAt - entry.startedAt).toBeGreaterThanOrEqual(47);
  });

  test('configure() refuses values out of range', async () => {
    const e = await emulator();
    expect(() => e.configure({ faultRate: 2 })).toThrow(/between 0 and 1/);
    expect(() => e.configure({ latencyMs: -1 })).toThrow(/non-negative/);
  });

  test('unauthenticated requests are refused before rate limit and faults', async () => {
    const e = await emulator({ faultRate: 1 });
    expect((await call(e, 'GET', `/meetings/${SALES}`, { token: null })).status).toBe(401);
  });
});

describe('the request log when connections are cut', () => {
  // Two pipelined requests on one socket: the second response waits behind the first, without a
  // socket of its own. Cutting the connection must log both as cut (status 0) and not in flight,
  // even though their handlers still end their responses after the cut.
  test('a response queued behind another on a cut keep-alive socket is logged as cut, not 200', async () => {
    const e = await emulator({ latencyMs: 150 });
    const url = new URL(e.baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const head = `GET ${url.pathname}/meetings/${SALES} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${e.adminToken}\r\n\r\n`;
    socket.write(head + head);
    const until = Date.now() + 5000;
    while (e.inFlight() < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    expect(e.inFlight()).toBe(2);
    socket.destroy();
    // Both handlers wake after their latency and end their responses into the cut socket.
    while (e.requestLog().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    expect(e.requestLog().map((r) => r.status)).toEqual([0, 0]);
    expect(e.inFlight()).toBe(0);
  });

  test('an answered request is logged with its status and leaves nothing in flight', async () => {
    const e = await emulator({ latencyMs: 20 });
    expect((await get(e, SALES)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(e.requestLog().map((r) => r.status)).toEqual([200]);
    expect(e.inFlight()).toBe(0);
  });
});
