/**
 * The Webex Meetings REST client (undici 7): the public face of meetings/client/. Every call
 * returns a Result value: HTTP and network problems are never thrown. Transient failures are
 * retried with backoff; 429 and 423 pause the whole client for their `Retry-After`. The bearer
 * token only ever goes into the Authorization header: never into an error, a log line or a
 * thrown message.
 *
 * - client/transport.ts: one HTTP exchange (pool, headers, timeout, `Date`, counters)
 * - client/interceptor.ts: the pause enforced inside undici's dispatch
 * - client/retry.ts: the retry policy; client/errors.ts: failures as `WebexError` values
 * - client/api.ts: the endpoints, paging and the fuse; client/url.ts: base URL and links
 * - POST is not idempotent: after an attempt that may have been carried out it is never sent
 *   again; the error says `ambiguous` and the caller looks the meeting up first
 */
import { UndiciWebexClient } from './client/api.js';
import type { WebexClient, WebexClientOptions } from './client/types.js';
import { InvalidTokenError, tokenProblem } from './client/token.js';
import { checkBaseUrl, InsecureBaseUrlError } from './client/url.js';

export type { Deleted, ListQuery, Meeting, Result, WebexClient, WebexClientOptions, WebexError } from './client/types.js';
export { checkBaseUrl, InsecureBaseUrlError, nextLink, queryString } from './client/url.js';
export { InvalidTokenError, tokenProblem } from './client/token.js';

/**
 * Throws `InsecureBaseUrlError` for a URL `checkBaseUrl` refuses, `InvalidTokenError` for a token
 * no header can carry (configuration errors, not runtime ones).
 */
export function createWebexClient(o: WebexClientOptions): WebexClient {
  const verdict = checkBaseUrl(o.baseUrl);
  if (!verdict.ok) throw new InsecureBaseUrlError(verdict.message);
  const tokenWrong = tokenProblem(o.token);
  if (tokenWrong !== undefined) throw new InvalidTokenError(tokenWrong);
  return new UndiciWebexClient(o);
}
