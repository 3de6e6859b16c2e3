/**
 * What the client puts on the wire whatever its caller asks, and how it reads a Webex error body.
 * A loopback server records each request as received and answers as the Webex API describes
 * (official OpenAPI description): `current` defaults to true for a list and false for a GET,
 * times come in the `timezone` header's zone, PATCH takes `application/json-patch+json` and POST
 * `application/json`, and a 400's `message` is generic with the reasons in `errors[].description`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebexClient, type WebexClient } from '../../meetings/client.js';

interface Seen {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; body: unknown };

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!();
});

async function recorder(answer: (seen: Seen) => Answer = () => ({ status: 200, body: { id: 'abc', items: [] } })): Promise<{ seen: Seen[]; client: WebexClient }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const entry: Seen = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://127.0.0.1'), headers: req.headers, body };
      seen.push(entry);
      const { status, body: out } = answer(entry);
      res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString() });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  open.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = createWebexClient({ baseUrl: `http://127.0.0.1:${port}/v1`, token: 'test-token', maxRetries: 0 });
  open.push(() => client.close());
  return { seen, client };
}

describe('what every request carries', () => {
  it('a GET asks for the series itself (current=false) in UTC', async () => {
    const { seen, client } = await recorder();
    await client.getMeeting('abc', { hostEmail: 'someone@example.com' });
    await client.getMeeting('abc');
    for (const s of seen) {
      expect(s.url.searchParams.get('current')).toBe('false');
      expect(s.headers.timezone).toBe('UTC');
    }
    expect(seen[0].url.searchParams.get('hostEmail')).toBe('someone@example.com');
  });

  it('a list sends current=false and max=100 unless the caller sets them, and every read asks for UTC', async () => {
    const { seen, client } = await recorder();
    await client.listMeetings({ meetingType: 'meetingSeries', from: '2027-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' });
    // An undefined value does not unset a default.
    await client.listMeetings({ meetingType: 'meetingSeries', current: undefined, max: undefined });
    await client.listMeetings({ meetingType: 'scheduledMeeting', max: 10 });
    expect(seen.map((s) => s.url.searchParams.get('current'))).toEqual(['false', 'false', 'false']);
    expect(seen.map((s) => s.url.searchParams.get('max'))).toEqual(['100', '100', '10']);
    expect(seen.map((s) => s.headers.timezone)).toEqual(['UTC', 'UTC', 'UTC']);
  });

  it('PATCH sends the documented application/json-patch+json body type', async () => {
    const { seen, client } = await recorder();
    const r = await client.patchMeeting('abc', { title: 'x' });
    expect(r.ok).toBe(true);
    expect(seen[0].method).toBe('PATCH');
    expect(seen[0].headers['content-type']).toBe('application/json-patch+json');
    expect(JSON.parse(seen[0].body)).toEqual({ title: 'x' });
  });

  it('a create answered 2xx without a meeting is ambiguous: it exists, but its id is unknown', async () => {
    const { seen, client } = await recorder(() => ({ status: 200, body: { title: 'x' } }));
    const r = await client.createMeeting({ title: 'x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ status: 200, ambiguous: true });
    expect(seen.map((s) => [s.method, s.url.pathname, s.headers['content-type']])).toEqual([['POST', '/v1/meetings', 'application/json']]);
  });

  it('reads the site tracking codes for MeetingCenter, as the host sees them', async () => {
    const { seen, client } = await recorder(() => ({
      status: 200,
      body: {
        items: [
          { id: '1', name: 'Department', inputMode: 'select', type: 'optional', service: 'MeetingCenter', options: [{ value: 'Sales', defaultValue: true }] },
          { id: '2', type: 'optional' },
        ],
      },
    }));
    const r = await client.listTrackingCodes({ hostEmail: 'h@example.com' });
    expect(seen[0].url.pathname).toBe('/v1/meetings/trackingCodes');
    expect(seen[0].url.searchParams.get('service')).toBe('MeetingCenter');
    expect(seen[0].url.searchParams.get('hostEmail')).toBe('h@example.com');
    expect(r.ok && r.value).toEqual([{ name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Sales', defaultValue: true }] }]);
  });
});

describe('error messages', () => {
  const generic = 'The input parameters contain invalid items.';

  it('a 400 is explained by every errors[].description, not by the generic message, and keeps its trackingId', async () => {
    const { client } = await recorder(() => ({
      status: 400,
      body: {
        message: generic,
        errors: [{ description: 'Meeting in progress cannot be updated.' }, { description: 'title is too long.' }],
        trackingId: 'ROUTER_1234',
      },
    }));
    const r = await client.patchMeeting('abc', { title: 'x' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe('Meeting in progress cannot be updated.; title is too long.');
    expect(r.error).toMatchObject({ status: 400, trackingId: 'ROUTER_1234', meetingId: 'abc' });
  });

  it('a specific message that adds to the descriptions is kept in front of them', async () => {
    const { client } = await recorder(() => ({ status: 403, body: { message: 'Forbidden for this host', errors: [{ description: 'Not a site admin.' }] } }));
    const r = await client.getMeeting('abc');
    expect(!r.ok && r.error.message).toBe('Forbidden for this host; Not a site admin.');
  });

  it('without descriptions the message is used, and without either the status', async () => {
    const only = await recorder(() => ({ status: 404, body: { message: 'Meeting not found.' } }));
    const r1 = await only.client.getMeeting('abc');
    expect(!r1.ok && r1.error.message).toBe('Meeting not found.');
    const none = await recorder(() => ({ status: 409, body: {} }));
    const r2 = await none.client.getMeeting('abc');
    expect(!r2.ok && r2.error.message).toBe('HTTP 409');
  });
});
