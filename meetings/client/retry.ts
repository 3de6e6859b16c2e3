/**
 * The Webex retry policy over a `Transport`: transient failures (5xx, dropped or refused
 * connections, timeouts) are retried with backoff; 429 and 423 pause the WHOLE client for their
 * `Retry-After`, because Webex limits the caller, not the request. The timing itself (backoff,
 * `Retry-After` parsing, jitter) is the generic core/retry.
 */
import type { RateGate } from '../../core/gate.js';
import { backoffMs, parseRetryAfter, sleep, withJitter } from '../../core/retry.js';
import { exhaustedError, fail, httpError } from './errors.js';
import type { Transport } from './transport.js';
import { DEFAULTS, type Method, type RawResponse, type Result, type WebexClientOptions } from './types.js';

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

/** Pauses the whole client for a refusal's `Retry-After` (capped, plus jitter; 1 s when absent). */
export function pauseForRetryAfter(gate: RateGate, headers: Record<string, unknown>): void {
  const raw = headers['retry-after'];
  const announced = parseRetryAfter(typeof raw === 'string' || Array.isArray(raw) ? (raw as string | string[]) : undefined, Date.now());
  gate.pause(withJitter(announced ?? DEFAULTS.retryAfterMissingMs));
}

/** Bookkeeping of a 429/423 once read; the pause itself was set when its headers arrived. */
function notePaused(t: Transport, response: RawResponse, epoch: number): void {
  const pauseMs = Math.max(0, t.gate.pausedUntil - Date.now());
  if (response.status === 429) {
    t.counters.rateLimited += 1;
    t.limit.onRateLimited(epoch);
  } else {
    t.counters.locked += 1;
  }
  t.logger?.debug({ status: response.status, pauseMs, limit: t.limit.current }, 'webex client paused');
}

/** Attempts of one call until success, a final error, or the retries run out. */
export async function sendWithRetries(
  t: Transport,
  limits: RetryLimits,
  method: Method,
  path: string,
  body: unknown,
  signal: AbortSignal | undefined,
  meetingId?: string,
): Promise<Result<RawResponse>> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const aborted = (attempts: number) => fail({ code: 'aborted', message: 'request was aborted', meetingId, retryable: false }, attempts);
  let attempt = 0;
  let transientRetries = 0;
  let rateLimitRetries = 0;
  for (;;) {
    if (!(await t.gate.ready(signal))) return aborted(attempt);
    attempt += 1;
    const outcome = await t.once(method, path, payload, signal, attempt);
    if (outcome.kind === 'deferred') {
      attempt -= 1;
      continue;
    }
    if (outcome.kind === 'aborted') return aborted(attempt);
    if (outcome.kind === 'response') {
      const { status } = outcome.response;
      if (status >= 200 && status < 300) {
        t.limit.onSuccess();
        return { ok: true, value: outcome.response, serverDate: outcome.serverDate, attempts: attempt };
      }
      if (status === 429 || status === 423) {
        notePaused(t, outcome.response, outcome.epoch);
        if (rateLimitRetries >= limits.maxRateLimitRetries) return fail(exhaustedError(outcome.response, attempt, meetingId), attempt);
        rateLimitRetries += 1;
        t.counters.retries += 1;
        continue;
      }
      if (status < 500) return fail(httpError(outcome.response, meetingId), attempt);
      t.counters.serverErrors += 1;
      if (transientRetries >= limits.maxRetries) return fail(exhaustedError(outcome.response, attempt, meetingId), attempt);
    } else {
      t.counters.networkErrors += 1;
      if (transientRetries >= limits.maxRetries) {
        const message = `${outcome.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`;
        return fail({ code: outcome.kind, message, meetingId, retryable: true }, attempt);
      }
    }
    t.counters.retries += 1;
    const delay = backoffMs(transientRetries);
    transientRetries += 1;
    if (!(await sleep(delay, signal))) return aborted(attempt);
  }
}
