/**
 * The token goes only over https, or over plain http to this machine. A refused URL is a
 * configuration error found before any connection is opened.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkBaseUrl, createWebexClient, InsecureBaseUrlError, InvalidTokenError } from '../../meetings/client.js';
import { EXAMPLES, runCli, tempDir } from '../support/cli.js';

describe('checkBaseUrl', () => {
  test.each([
    'https://webexapis.com/v1',
    'https://example.com:8443/v1',
    'http://127.0.0.1:8080/v1',
    'http://127.0.0.2/v1',
    'http://localhost:3000/v1',
    'http://LOCALHOST/v1',
    'http://[::1]:9000/v1',
    // WHATWG URL parsing turns these into 127.0.0.1: they really are loopback.
    'http://2130706433/v1',
    'http://127.1/v1',
  ])('allows %s', (url) => {
    expect(checkBaseUrl(url)).toEqual({ ok: true });
  });

  test.each([
    ['http://example.com/v1', /plain http to example\.com/],
    ['HTTP://EXAMPLE.COM/v1', /plain http to example\.com/],
    ['http://127.0.0.1.evil.example/v1', /plain http/],
    ['http://localhost.evil.example/v1', /plain http/],
    ['http://0.0.0.0:8080/v1', /plain http/],
    ['http://10.0.0.5/v1', /plain http/],
    ['http://[::ffff:127.0.0.1]/v1', /plain http/],
    ['http://user:pass@127.0.0.1/v1', /credentials/],
    ['https://user@webexapis.com/v1', /credentials/],
    ['http://localhost:80@evil.example/v1', /credentials/],
    ['ftp://webexapis.com/v1', /must use https/],
    ['file:///etc/passwd', /must use https/],
    ['ws://127.0.0.1/v1', /must use https/],
    ['webexapis.com/v1', /not a valid URL/],
    ['', /not a valid URL/],
    ['https://webexapis.com/v1?access_token=QSECRET', /query or a fragment/],
    ['https://webexapis.com/v1#QSECRET', /query or a fragment/],
    ['https://webexapis.com/v1?', /query or a fragment/],
  ])('refuses %s', (url, why) => {
    const verdict = checkBaseUrl(url);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(why);
    if (!verdict.ok) expect(verdict.message).not.toContain('QSECRET');
  });

  test.each([
    ['https://user:BASEPW2@webexapis.com:99999/v1', 'base URL "https://…@webexapis.com:99999/v1" is not a valid URL'],
    ['https://user:pa/BASEPW3@webexapis.com:99999/v1', 'base URL "https://…@webexapis.com:99999/v1" is not a valid URL'],
    ['https://webexapis.com:99999/v1?access_token=BASEPW5', 'base URL "https://webexapis.com:99999/v1…" is not a valid URL'],
  ])('an unparsable %s is echoed without its credentials or query', (url, message) => {
    expect(checkBaseUrl(url)).toEqual({ ok: false, message });
  });

  test('createWebexClient throws InvalidTokenError for a token no header can carry, without quoting it', () => {
    for (const token of ['tok-SECRET\n', 'tok SECRET', 'tök-SECRET', '']) {
      let thrown: unknown;
      try {
        createWebexClient({ baseUrl: 'https://webexapis.com/v1', token });
      } catch (err) {
        thrown = err;
      }
      if (token === '') expect(thrown).toBeUndefined();
      else {
        expect(thrown, JSON.stringify(token)).toBeInstanceOf(InvalidTokenError);
        expect(String((thrown as Error).message)).not.toContain('SECRET');
      }
    }
  });

  test('createWebexClient throws InsecureBaseUrlError for a refused URL, without the token in the message', () => {
    let thrown: unknown;
    try {
      createWebexClient({ baseUrl: 'http://example.com/v1', token: 'tok-never-shown' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InsecureBaseUrlError);
    expect(String((thrown as Error).message)).not.toContain('tok-never-shown');
  });
});

describe('the CLI refuses before connecting', () => {
  // A listener any connection attempt to 0.0.0.0 (which Linux routes to this machine) would reach.
  let server: Server;
  const connections: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    server = createServer((s) => {
      connections.push(s);
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test.each([
    ['plan', ['plan', '--dir', EXAMPLES]],
    ['apply', ['apply', '--dir', EXAMPLES, '--auto-approve']],
    ['drift', ['drift', '--dir', EXAMPLES]],
    ['import', ['import', '--all', '--out', 'OUT']],
  ])('%s with WEBEX_BASE_URL=http://example.com/v1 or http://0.0.0.0:PORT/v1: exit 1, no connection', async (_name, args) => {
    const out = tempDir();
    const argv = args.map((a) => (a === 'OUT' ? out : a));
    for (const url of ['http://example.com/v1', `http://0.0.0.0:${port}/v1`]) {
      const res = await runCli(argv, { WEBEX_BASE_URL: url, WEBEX_ACCESS_TOKEN: 'tok-never-sent', SALES_SYNC_PASSWORD: 'x' });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/refusing to send the access token over plain http/);
      expect(res.stdout + res.stderr).not.toContain('tok-never-sent');
    }
    // --base-url is checked the same way.
    const flag = await runCli([...argv, '--base-url', `http://0.0.0.0:${port}/v1`], { WEBEX_ACCESS_TOKEN: 'tok-never-sent', SALES_SYNC_PASSWORD: 'x' });
    expect(flag.code).toBe(1);
    expect(connections).toHaveLength(0);
  });

  test('the probe listener does receive a connection when one is made (so the test above can fail)', async () => {
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const s = connect(port, '0.0.0.0', () => resolve());
      s.on('error', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(connections.length).toBeGreaterThan(0);
  });
});
