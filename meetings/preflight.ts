/**
 * Fail fast on a run that cannot work: a refused token, a base URL that is not the API root, a
 * server that does not answer. Without this, every meeting fails on its own and a CI log holds one
 * line per file (a missing `/v1` even reads as "check the id"). Two parts:
 * - `preflight`: ONE small read before the bulk; its answer names the setting to fix.
 * - `guardClient`: the same verdict mid-run (a token revoked while a plan or apply runs): the first
 *   fatal answer trips it, later calls return at once without a request, and the caller reports
 *   it once.
 * Messages name settings, never the token.
 */
import type { ListQuery, WebexClient, WebexError } from './client.js';

export type FatalCode = 'unauthorized' | 'notFound' | 'unreachable' | 'unresponsive';

export type PreflightResult = { ok: true } | { ok: false; code: FatalCode; message: string };

const DAY = 24 * 3600 * 1000;

/** Causes of a network failure that retrying will not fix: nobody listens there, or the name does not resolve. */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/;

/**
 * Whether an error means the configuration is wrong for every request of the run. A 404 is fatal
 * only where it cannot mean "that meeting does not exist": on the list of the preflight.
 */
export function fatalError(error: WebexError, baseUrl: string, where: 'preflight' | 'run'): { code: FatalCode; message: string } | undefined {
  if (error.status === 401) {
    return {
      code: 'unauthorized',
      message:
        `the Webex API at ${baseUrl} refused the access token (401 Unauthorized): check WEBEX_ACCESS_TOKEN ` +
        '(expired, revoked, mistyped, or issued for another environment)',
    };
  }
  if (where === 'preflight' && error.status === 404) {
    return {
      code: 'notFound',
      message:
        `${baseUrl}/meetings does not exist (404): check WEBEX_BASE_URL or --base-url; it must be the API root, ` +
        'ending in /v1 (e.g. https://webexapis.com/v1)',
    };
  }
  // The preflight is the smallest read there is: one that never got an answer through every retry
  // says the server is not answering, and each of the run's reads would wait as long.
  if (where === 'preflight' && error.status === undefined && error.code === 'timeout') {
    return {
      code: 'unresponsive',
      message: `${baseUrl} accepted the connection but did not answer (${error.message}): check WEBEX_BASE_URL or --base-url, a proxy in between, and that the server is up`,
    };
  }
  if (error.status === undefined && (error.code === 'network' || error.code === 'retriesExhausted') && UNREACHABLE.test(error.message)) {
    return {
      code: 'unreachable',
      message: `cannot connect to ${baseUrl} (${error.message}): check WEBEX_BASE_URL or --base-url, and that the server is up and reachable`,
    };
  }
  return undefined;
}

/**
 * One list request of at most one series (the smallest read the API has). Other failures (a
 * transient error that outlived the retries, a timeout) are left to the bulk, which reports them
 * per meeting as before: they are not a wrong setting.
 */
export async function preflight(client: WebexClient, baseUrl: string, nowMs: number = Date.now()): Promise<PreflightResult> {
  const query: ListQuery = {
    meetingType: 'meetingSeries',
    current: false,
    max: 1,
    from: new Date(nowMs - DAY).toISOString(),
    to: new Date(nowMs + DAY).toISOString(),
  };
  for await (const page of client.listMeetingsPages(query)) {
    if (!page.ok) {
      const fatal = fatalError(page.error, baseUrl, 'preflight');
      if (fatal) return { ok: false, ...fatal };
    }
    break;
  }
  return { ok: true };
}

export interface GuardedClient {
  client: WebexClient;
  /** The first fatal answer of the run, if any. */
  fatal(): { code: FatalCode; message: string } | undefined;
}

/**
 * `client` with a fuse: after the first 401 or unreachable server, nothing more is sent. The fuse
 * sits in the client's one request path, so every call, present and future, honours it.
 */
export function guardClient(client: WebexClient, baseUrl: string, onFatal?: (f: { code: FatalCode; message: string }) => void): GuardedClient {
  let tripped: { code: FatalCode; message: string } | undefined;
  client.installFuse(
    (error) => fatalError(error, baseUrl, 'run'),
    (verdict) => {
      tripped = verdict as { code: FatalCode; message: string };
      onFatal?.(tripped);
    },
  );
  return { client, fatal: () => (tripped ? { code: tripped.code, message: tripped.message } : undefined) };
}
