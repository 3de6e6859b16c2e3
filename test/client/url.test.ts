import { describe, expect, it } from 'vitest';
import { checkBaseUrl, createWebexClient, InsecureBaseUrlError, nextLink, queryString } from '../../meetings/client.js';
import { smallerPage } from '../../meetings/client/url.js';

describe('checkBaseUrl', () => {
  it.each([
    'https://webexapis.com/v1',
    'https://example.com:8443/api/v1',
    'http://127.0.0.1:4010/v1',
    'http://127.8.9.10/v1',
    'http://localhost:3000/v1',
    'http://[::1]:3000/v1',
  ])('accepts %s', (url) => {
    expect(checkBaseUrl(url)).toEqual({ ok: true });
  });

  it.each([
    ['http://example.com/v1', /plain http/],
    ['http://localhost.example.com/v1', /plain http/],
    ['http://127.0.0.1.nip.io/v1', /plain http/],
    ['http://10.0.0.1/v1', /plain http/],
    ['ftp://127.0.0.1/v1', /must use https/],
    ['not a url', /not a valid URL/],
    ['https://user:pw@webexapis.com/v1', /credentials/],
  ])('refuses %s', (url, message) => {
    const verdict = checkBaseUrl(url);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(message);
  });

  it('createWebexClient refuses an insecure URL with a coded error, and never echoes the token', () => {
    const token = 'secret-token-value';
    let caught: unknown;
    try {
      createWebexClient({ baseUrl: 'http://example.com/v1', token });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InsecureBaseUrlError);
    expect((caught as InsecureBaseUrlError).code).toBe('insecureBaseUrl');
    expect(String((caught as Error).message)).not.toContain(token);
  });

  it('createWebexClient accepts https and loopback http', async () => {
    for (const baseUrl of ['https://webexapis.com/v1', 'http://127.0.0.1:9/v1']) {
      const client = createWebexClient({ baseUrl, token: 't' });
      await client.close();
    }
  });
});

describe('nextLink', () => {
  it('finds rel="next" among several links', () => {
    expect(nextLink('<https://x/v1/meetings?max=100&offset=100>; rel="next"')).toBe('https://x/v1/meetings?max=100&offset=100');
    expect(nextLink('<https://x/a>; rel="prev", <https://x/b>; rel="next"')).toBe('https://x/b');
    expect(nextLink('<https://x/b>; title="t"; rel=next')).toBe('https://x/b');
    expect(nextLink(['<https://x/a>; rel="first"', '<https://x/c>; rel="next"'])).toBe('https://x/c');
  });

  it('is undefined without a next link', () => {
    expect(nextLink(undefined)).toBeUndefined();
    expect(nextLink('<https://x/a>; rel="prev"')).toBeUndefined();
    expect(nextLink('')).toBeUndefined();
  });
});

describe('queryString', () => {
  it('encodes values and drops undefined', () => {
    expect(queryString({ max: 100, from: '2027-01-01T00:00:00+01:00', hostEmail: undefined, current: true })).toBe(
      '?max=100&from=2027-01-01T00%3A00%3A00%2B01%3A00&current=true',
    );
    expect(queryString({ a: undefined })).toBe('');
  });
});

describe('smallerPage (a 504: "If your query uses max parameter, please try to reduce it")', () => {
  it('halves max, keeping every other parameter, down to 10', () => {
    expect(smallerPage('/v1/meetings?meetingType=meetingSeries&max=100&from=2027-01-01T00%3A00%3A00.000Z')).toBe('/v1/meetings?meetingType=meetingSeries&max=50&from=2027-01-01T00%3A00%3A00.000Z');
    expect(smallerPage('/v1/meetings?max=15')).toBe('/v1/meetings?max=10');
    expect(smallerPage('/v1/meetings?max=10')).toBeUndefined();
  });

  it('has nothing to reduce without a max', () => {
    expect(smallerPage('/v1/meetings/abc?current=false')).toBeUndefined();
    expect(smallerPage('/v1/meetings')).toBeUndefined();
  });
});
