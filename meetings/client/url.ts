/** Where the client may send its token, and how its request URLs are written and followed. */
import type { ListQuery } from './types.js';

/** The token is sent in clear text, so plain http is only allowed to this machine. */
export function checkBaseUrl(url: string): { ok: true } | { ok: false; message: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Echoed without what may be credentials in it (up to the last @: a password may hold a /), nor
    // a query: the message goes to CI logs.
    return { ok: false, message: `base URL "${url.replace(/\/\/.*@/s, '//…@').replace(/[?#].*$/s, '…')}" is not a valid URL` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, message: 'base URL must not contain credentials' };
  }
  // The client sends only the origin and path; a query could hold a key (?access_token=) and would
  // be written into every plan, so it is refused rather than kept or dropped in silence.
  if (parsed.search !== '' || parsed.hash !== '' || /[?#]/.test(url)) {
    return { ok: false, message: 'base URL must not carry a query or a fragment (?… or #…): give its origin and path, such as https://webexapis.com/v1' };
  }
  if (parsed.protocol === 'https:') return { ok: true };
  if (parsed.protocol !== 'http:') {
    return { ok: false, message: `base URL must use https (got ${parsed.protocol.replace(/:$/, '')})` };
  }
  if (isLoopbackHost(parsed.hostname)) return { ok: true };
  return {
    ok: false,
    message: `refusing to send the access token over plain http to ${parsed.hostname}: use https (http is allowed only to localhost)`,
  };
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export class InsecureBaseUrlError extends Error {
  readonly code = 'insecureBaseUrl';
}

/** The token goes only to the origin it was configured for, so a `next` link elsewhere is refused. */
export function resolveNext(link: string, origin: string, basePath: string): { ok: true; path: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(link, `${origin}${basePath}/`);
  } catch {
    return { ok: false, message: 'pagination link is not a valid URL' };
  }
  if (url.origin !== origin) {
    return { ok: false, message: `refusing to follow a pagination link to another origin (${url.origin})` };
  }
  return { ok: true, path: url.pathname + url.search };
}

/** The query with every default it does not set (an `undefined` value does not unset a default). */
export function withDefaults(defaults: ListQuery, query: ListQuery): ListQuery {
  const merged: ListQuery = { ...defaults };
  for (const [key, value] of Object.entries(query)) if (value !== undefined) merged[key] = value;
  return merged;
}

/** `?a=1&b=x`, leaving out undefined values; '' when nothing is left. */
export function queryString(query: ListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The target of `rel="next"` in an RFC 8288 Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const value of values) {
    for (const match of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
      const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
      if (rel !== undefined && rel.toLowerCase().split(/\s+/).includes('next')) return match[1];
    }
  }
  return undefined;
}

/** The smallest page a 504 makes a list ask for: below it, the page is retried as any server error. */
export const SMALLEST_PAGE = 10;

/**
 * The same list request at half its `max` (a 504's advice is to reduce it), or undefined when it
 * has no `max` or is already at the smallest page.
 */
export function smallerPage(path: string): string | undefined {
  const at = path.indexOf('?');
  if (at < 0) return undefined;
  const params = new URLSearchParams(path.slice(at + 1));
  const max = Number(params.get('max'));
  if (!Number.isInteger(max) || max <= SMALLEST_PAGE) return undefined;
  params.set('max', String(Math.max(SMALLEST_PAGE, Math.floor(max / 2))));
  return `${path.slice(0, at)}?${params.toString()}`;
}
