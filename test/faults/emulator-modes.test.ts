/** The emulator's fault modes the fault suite relies on: each must really do what it says on the wire. */
import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { closeAll, emulator } from './support.js';

afterEach(closeAll);

const SALES = '1d824a4a205042eba9574e00b711b226';
/** The built-in seed's Sales Sync is hosted by sales.lead: an admin names that host (a GET's query, a PATCH's body), as with Webex. */
const HOST = 'sales.lead@example.com';

async function send(baseUrl: string, token: string, method: 'GET' | 'PATCH', body?: unknown) {
  try {
    const res = await request(`${baseUrl}/meetings/${SALES}${body === undefined ? `?hostEmail=${encodeURIComponent(HOST)}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json-patch+json' }) },
      body: body === undefined ? undefined : JSON.stringify({ ...(body as object), hostEmail: HOST }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], text };
  } catch (err) {
    return { status: 0, error: String((err as Error).message) };
  }
}

describe('emulator fault modes', () => {
  test('faultNext: exactly the next N requests fault, then the server is healthy again', async () => {
    const e = await emulator({ faultKinds: ['503'], faultNext: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(e.baseUrl, e.adminToken, 'GET')).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
  });

  test('429 and 423 with a Retry-After, or without one (faultRetryAfter: null)', async () => {
    const e = await emulator({ faultKinds: ['429'], faultNext: 1 });
    const withHeader = await send(e.baseUrl, e.adminToken, 'GET');
    expect(withHeader).toMatchObject({ status: 429, retryAfter: '1' });
    e.configure({ faultKinds: ['423', '429'], faultRetryAfter: null, faultNext: 4 });
    for (let i = 0; i < 4; i++) {
      const r = await send(e.baseUrl, e.adminToken, 'GET');
      expect([423, 429]).toContain(r.status);
      expect(r.retryAfter).toBeUndefined();
    }
    expect(() => e.configure({ faultKinds: ['418' as never] })).toThrow(/faultKinds/);
    expect(() => e.configure({ faultRetryAfter: -1 })).toThrow(/faultRetryAfter/);
  });

  test('faultMethods: only writes are faulted', async () => {
    const e = await emulator({ faultKinds: ['503'], faultRate: 1, faultMethods: ['PATCH'] });
    expect((await send(e.baseUrl, e.adminToken, 'GET')).status).toBe(200);
    expect((await send(e.baseUrl, e.adminToken, 'PATCH', { title: 'x' })).status).toBe(503);
  });

  test.each(['droppedAfterHeaders', 'droppedMidBody'] as const)('%s: the write is committed, the client sees a broken response', async (kind) => {
    const e = await emulator({ faultKinds: [kind], faultNext: 1 });
    const r = await send(e.baseUrl, e.adminToken, 'PATCH', { title: 'Committed anyway' });
    // undici reports the cut as a body error: no complete response ever reached the client.
    expect(r.status).toBe(0);
    expect(e.getMeeting(SALES)?.title).toBe('Committed anyway');
    const [entry] = e.requestLog();
    expect(entry).toMatchObject({ method: 'PATCH', status: 0, fault: kind });
  });

  test('dropped: the socket closes before anything is done', async () => {
    const e = await emulator({ faultKinds: ['dropped'], faultNext: 1 });
    expect((await send(e.baseUrl, e.adminToken, 'PATCH', { title: 'Never stored' })).status).toBe(0);
    expect(e.getMeeting(SALES)?.title).toBe('Sales Sync');
  });
});
