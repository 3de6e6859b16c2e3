/**
 * A server (or a proxy) that accepts connections and never answers: the preflight's one read times
 * out through its retries, and that is one message for the run, not the same wait per meeting.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createWebexClient } from '../../meetings/client.js';
import { preflight } from '../../meetings/preflight.js';

const sockets: Socket[] = [];
const silent = createServer((socket) => void sockets.push(socket));
let baseUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

test('a preflight that gets no answer through its retries stops the run with one message naming the base URL', async () => {
  const client = createWebexClient({ baseUrl, token: 'tok', requestTimeoutMs: 100, maxRetries: 1 });
  const result = await preflight(client, baseUrl);
  await client.close();
  expect(result).toEqual({
    ok: false,
    code: 'unresponsive',
    message: expect.stringMatching(new RegExp(`^${baseUrl.replace(/[.]/g, '\\.')} accepted the connection but did not answer \\(no complete response within 100 ms.*\\): check WEBEX_BASE_URL or --base-url`)),
  });
});
