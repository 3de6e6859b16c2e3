/**
 * The Webex retry policy over a `Transport`: transient failures (5xx, dropped or refused
 * connections, timeouts) are retried with backoff; a 429 pauses the WHOLE client for its
 * `Retry-After`, because it limits the caller ("Too many requests have been sent"), while a 423
 * delays only the request that got it ("The requested resource is temporarily unavailable",
 * paths./meetings/{meetingId}.patch.responses.429 and .423). Either, asking for longer than the
 * client waits (RETRY_AFTER_CAP_MS), fails its call at once. The timing itself (backoff,
 * `Retry-After` parsing, jitter) is the generic core/retry. POST is not idempotent and follows
 * stricter rules (sendWithRetries).
 */
import type { RateGate } from '../../core/gate.js';
import { backoffMs, parseRetryAfter, RETRY_AFTER_CAP_MS, sleep, withJitter } from '../../core/retry.js';
import { exhaustedError, fail, httpError, tooLongWaitError } from './errors.js';
import type { Transport } from './transport.js';
import { DEFAULTS, type Method, type RawResponse, type Result, type WebexClientOptions, type WebexError } from './types.js';

export interface RetryLimits {
  maxRetries: number;
  maxRateLimitRetries: number;
}

export function retryLimits(o: Pick<WebexClientOptions, 'maxRetries' | 'maxRateLimitRetries'>): RetryLimits {
  return {
    maxRetries: Math.max(0, o.maxRetries ?? DEFAULTS.maxRetries),
    maxRateLimitRetries: Math.max(0, o.maxRateLimitRetries ?? DEFAULTS.maxRateLimitRetries),
  };
}

/**
 * A refusal's `Retry-After` in ms, clamped to `capMs`. An HTTP date is read against the same
 * answer's `Date` (the server's clock, RFC 9110 §10.2.3), the local clock only without one: a
 * runner whose clock is off must neither hurry nor turn a short wait into a final refusal.
 */
function announcedWait(headers: Record<string, unknown>, capMs?: number): number | undefined {
  const raw = headers['retry-after'];
  const served = typeof headers.date === 'string' ? Date.parse(headers.date) : NaN;
  return parseRetryAfter(typeof raw === 'string' || Array.isArray(raw) ? (raw as string | string[]) : undefined, Number.isNaN(served) ? Date.now() : served, capMs);
}

/** POST (a create) is not idempotent: once it may have been carried out, it is never sent again. */
export function isRepeatable(method: string): boolean {
  return method !== 'POST';
}

/**
 * The wait (ms) a 429/423 asks for when it is longer than the client ever waits
 * (RETRY_AFTER_CAP_MS): that refusal is final, not a pause, whatever the method. Both answers name
 * the wait "before a successful request can be made" / "before attempting the request again"
 * (paths./meetings/{meetingId}.get.responses.429 and .423, the same on every operation), so an
 * attempt sent before it has passed could not succeed. The create quota answers so (hours), and
 * "failed requests are also counted" (paths./meetings.post.description).
 */
export function finalRefusalWait(headers: Record<string, unknown>): number | undefined {
  const announced = announcedWait(headers, Number.POSITIVE_INFINITY);
  return announced !== undefined && announced > RETRY_AFTER_CAP_MS ? announced : undefined;
}

/** A refusal's `Retry-After` as a wait: capped, plus jitter; 1 s when absent. */
function refusalWait(headers: Record<string, unknown>): number {
  return withJitter(announcedWait(headers) ?? DEFAULTS.retryAfterMissingMs);
}

/**
 * Pauses the whole client for a 429's `Retry-After` (refusalWait). A final refusal of a create
 * does not: the create quota limits creates, and must not hold back the reads and updates. Any
 * other 429 limits the caller, so the others wait as long as the client waits at all, even when
 * the refused request itself has given up.
 */
export function pauseForRetryAfter(gate: RateGate, headers: Record<string, unknown>, method: string): void {
  if (!isRepeatable(method) && finalRefusalWait(headers) !== undefined) return;
  gate.pause(refusalWait(headers));
}

function countRefusal(t: Transport, status: number): void {
  if (status === 429) t.counters.rateLimited += 1;
  else t.counters.locked += 1;
}

/** Bookkeeping of a 429 once read; the pause itself was set when its headers arrived. */
function notePaused(t: Transport, response: RawResponse, epoch: number): void {
  const pauseMs = Math.max(0, t.gate.pausedUntil - Date.now());
  countRefusal(t, response.status);
  t.limit.onRateLimited(epoch);
  t.logger?.debug({ status: response.status, pauseMs, limit: t.limit.current }, 'webex client paused');
}

/** Bookkeeping of a 423 once read: counted, and neither a pause of the client nor a cut of its concurrency. */
function noteLocked(t: Transport, request: CallRequest, waitMs: number): void {
  countRefusal(t, 423);
  t.logger?.debug({ status: 423, method: request.method, path: request.path, waitMs }, 'webex resource locked');
}

export interface CallRequest {
  method: Method;
  path: string;
  body: unknown;
  /** Cancels the call, the attempt on the wire included. */
  signal?: AbortSignal;
  /** Sends no further attempt, and waits for none, once aborted; the attempt on the wire finishes. */
  stop?: AbortSignal;
  meetingId?: string;
  /** Server errors the caller answers itself instead of retrying (a list page's 504: a smaller page is asked for). */
  unretried?: readonly number[];
  /** Never sent again once an attempt may have been carried out, as a POST: the caller reads back instead. */
  once?: boolean;
}

/**
 * Attempts of one call until success, a final error, or the retries run out. A call that is not
 * repeatable (POST) is sent again only when it surely was not carried out: a connection that failed
 * before the request was written, or a 429/423 it waits out (refused before being processed). No
 * call is sent again before its refusal's `Retry-After` has passed: a longer one is final.
 */
export async function sendWithRetries(t: Transport, limits: RetryLimits, request: CallRequest): Promise<Result<RawResponse>> {
  const { method, path, signal, stop, meetingId } = request;
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const repeatable = isRepeatable(method) && request.once !== true;
  // A read changes nothing, so only a write can leave the server in an unknown state.
  const writes = method !== 'GET';
  // An attempt of this call may have been carried out without the client seeing it succeed.
  let uncertain = false;
  const failed = (error: WebexError, attempts: number) => fail(uncertain ? { ...error, ambiguous: true } : error, attempts);
  const aborted = (attempts: number) => failed({ code: 'aborted', message: 'request was aborted', meetingId, retryable: false }, attempts);
  // What the last attempt got, for a call the interrupt stops before the next: said with it.
  let lastAnswer: { message: string; status?: number } | undefined;
  const stopped = (attempts: number) => {
    const why = attempts === 0 ? 'not sent: the run was interrupted' : `the run was interrupted: not sent again after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    const error: WebexError = { code: 'aborted', message: lastAnswer ? `${lastAnswer.message.replace(/\.$/, '')}; ${why}` : why, meetingId, retryable: false };
    if (lastAnswer?.status !== undefined) error.status = lastAnswer.status;
    return failed(error, attempts);
  };
  let attempt = 0;
  let transientRetries = 0;
  let rateLimitRetries = 0;
  for (;;) {
    if (stop?.aborted) return stopped(attempt);
    if (!(await t.gate.ready(signal, stop))) return stop?.aborted ? stopped(attempt) : aborted(attempt);
    attempt += 1;
    const outcome = await t.once(method, path, payload, signal, attempt);
    if (outcome.kind === 'deferred') {
      attempt -= 1;
      continue;
    }
    if (outcome.kind === 'aborted') {
      uncertain ||= writes && outcome.written;
      return aborted(attempt);
    }
    if (outcome.kind === 'response') {
      const { status, headers } = outcome.response;
      if (status >= 200 && status < 300) {
        t.limit.onSuccess();
        return { ok: true, value: outcome.response, serverDate: outcome.serverDate, attempts: attempt };
      }
      if (status === 429 || status === 423) {
        const finalWait = finalRefusalWait(headers);
        if (finalWait !== undefined) {
          countRefusal(t, status);
          return failed(tooLongWaitError(outcome.response, finalWait, RETRY_AFTER_CAP_MS, meetingId), attempt);
        }
        // A 423 locks one resource: this request waits on its own (below), the others go on.
        const lockedMs = status === 423 ? refusalWait(headers) : undefined;
        if (lockedMs === undefined) notePaused(t, outcome.response, outcome.epoch);
        else noteLocked(t, request, lockedMs);
        if (rateLimitRetries >= limits.maxRateLimitRetries) return failed(exhaustedError(outcome.response, attempt, meetingId), attempt);
        rateLimitRetries += 1;
        t.counters.retries += 1;
        lastAnswer = { message: httpError(outcome.response, meetingId).message, status };
        if (lockedMs !== undefined && !(await sleep(lockedMs, signal, stop))) return stop?.aborted ? stopped(attempt) : aborted(attempt);
        continue;
      }
      if (status < 500) return failed(httpError(outcome.response, meetingId), attempt);
      t.counters.serverErrors += 1;
      uncertain ||= writes;
      if (!repeatable || request.unretried?.includes(status)) return failed(httpError(outcome.response, meetingId), attempt);
      if (transientRetries >= limits.maxRetries) return failed(exhaustedError(outcome.response, attempt, meetingId), attempt);
      lastAnswer = { message: httpError(outcome.response, meetingId).message, status };
    } else {
      t.counters.networkErrors += 1;
      uncertain ||= writes && outcome.written;
      if (outcome.written && !repeatable) {
        const message = `${outcome.message} (after the request was sent: it may have been carried out, so it is not sent again)`;
        return failed({ code: outcome.kind, message, meetingId, retryable: true }, attempt);
      }
      if (transientRetries >= limits.maxRetries) {
        const message = `${outcome.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`;
        return failed({ code: outcome.kind, message, meetingId, retryable: true }, attempt);
      }
      lastAnswer = { message: outcome.message };
    }
    t.counters.retries += 1;
    const delay = backoffMs(transientRetries);
    transientRetries += 1;
    if (!(await sleep(delay, signal, stop))) return stop?.aborted ? stopped(attempt) : aborted(attempt);
  }
}
