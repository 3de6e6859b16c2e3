/** How a refusal or a failure becomes a `WebexError`: the Webex reasons, the tracking id, the cause. */
import type { RawResponse, WebexError } from './types.js';

export function fail(error: WebexError, attempts?: number): { ok: false; error: WebexError; attempts?: number } {
  return attempts === undefined ? { ok: false, error } : { ok: false, error, attempts };
}

/**
 * Webex's 400 `message` is generic; the reasons are in `errors[].description`. The message is
 * made of every description, with `message` added only when it says something they do not.
 */
const GENERIC_MESSAGES: ReadonlySet<string> = new Set(
  [
    // The 400 example of the official description, and its response descriptions of the meeting operations.
    'The input parameters contain invalid items.',
    'The request was invalid or cannot be otherwise served.',
    'Authentication credentials were missing or incorrect.',
    'The request is understood, but it has been refused or access is not allowed.',
    'The URI requested is invalid or the resource requested, such as a user, does not exist.',
    'The request was made to a resource using an HTTP request method that is not supported.',
    'The request could not be processed because it conflicts with some established rule of the system.',
    'The requested resource is no longer available.',
    'The request was made to a resource without specifying a media type or used a media type that is not supported.',
    'The requested resource is temporarily unavailable.',
    'Too many requests have been sent in a given amount of time and the request has been rate limited.',
    'Something went wrong on the server.',
    'The server received an invalid response from an upstream server while processing the request.',
    'Server is overloaded with requests. Try again later.',
    'An upstream server failed to respond on time.',
    'The request could not be processed.',
  ].map((m) => m.toLowerCase()),
);

function errorMessage(body: unknown, status: number): string {
  const b = (body ?? {}) as { message?: unknown; errors?: unknown };
  const descriptions = Array.isArray(b.errors)
    ? b.errors.map((e) => (e as { description?: unknown } | null)?.description).filter((d): d is string => typeof d === 'string' && d.trim() !== '')
    : [];
  const message = typeof b.message === 'string' ? b.message.trim() : '';
  const parts = [...new Set(descriptions.map((d) => d.trim()))];
  const addsSomething = message !== '' && !GENERIC_MESSAGES.has(message.toLowerCase()) && !parts.some((d) => d.includes(message));
  if (addsSomething) parts.unshift(message);
  if (parts.length === 0) return message !== '' ? message : `HTTP ${status}`;
  return parts.join('; ');
}

/** A final (non-retried) HTTP error: the Webex reasons and tracking id, from the body or the headers. */
export function httpError(response: RawResponse, meetingId?: string): WebexError {
  const body = (response.json ?? {}) as { trackingId?: unknown };
  const message = errorMessage(response.json, response.status);
  const trackingId =
    typeof body.trackingId === 'string' ? body.trackingId : headerValue(response.headers.trackingid ?? response.headers['tracking-id']);
  const error: WebexError = { code: 'http', status: response.status, message, retryable: response.status === 429 || response.status === 423 || response.status >= 500 };
  if (trackingId !== undefined) error.trackingId = trackingId;
  if (meetingId !== undefined) error.meetingId = meetingId;
  return error;
}

/** The last refusal of a call whose retries ran out: still retryable later, as a whole. */
export function exhaustedError(response: RawResponse, attempts: number, meetingId?: string): WebexError {
  const base = httpError(response, meetingId);
  return { ...base, code: 'retriesExhausted', message: `${base.message} (gave up after ${attempts} attempts)`, retryable: true };
}

/**
 * A 429/423 whose `Retry-After` (`waitMs`) is longer than the client waits (`capMs`): final, and
 * the message says how long Webex asked for, so the user knows when running again can succeed.
 */
export function tooLongWaitError(response: RawResponse, waitMs: number, capMs: number, meetingId?: string): WebexError {
  const base = httpError(response, meetingId);
  const message = `${base.message} (not sent again: Webex asks to wait ${describeWait(waitMs)} (Retry-After), longer than meetctl waits (${describeWait(capMs)}))`;
  return { ...base, message, retryable: false, retryAfterMs: waitMs };
}

/** A wait as a person reads it: seconds up to two minutes, then minutes up to two hours, then hours. */
function describeWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.ceil(s / 60)} min`;
  return `about ${Math.ceil(s / 3600)} h`;
}

/** An API error as one line: Webex's reason, the status and the trackingId to quote to Webex support. */
export function errorLine(e: { status?: number; message: string; trackingId?: string }): string {
  const status = e.status ? ` (${e.status})` : '';
  const tracking = e.trackingId ? ` [trackingId ${e.trackingId}]` : '';
  return `${e.message}${status}${tracking}`;
}

export function headerValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export function isTimeoutError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && TIMEOUT_CODES.has(code);
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const causeCode = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}

export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = errorCode(err);
  return code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}
