/** How a Webex error becomes the result of a send: the server's words, and whether the meeting can be touched at all. */
import type { SendResult } from '../../core/executor.js';
import type { WebexError } from '../client.js';

/**
 * Webex refusals that mean "this meeting cannot be updated" rather than "your request was wrong",
 * by what the reason (`errors[].description`) says. Update a Meeting documents: ended or
 * in-progress meeting instances, ad-hoc meetings (`adhoc` with a `roomId`), personal room
 * meetings, meetings created by a calendar connector, and meetings starting 10 or more years ahead.
 * Delete a Meeting refuses ended and in-progress instances and ad-hoc meetings alike.
 */
const NOT_UPDATABLE_REFUSALS: readonly RegExp[] = [
  /\b(has ended|in[- ]progress)\b/i,
  /\bad[- ]?hoc\b/i,
  /\bpersonal room\b/i,
  /\bcalendar connector\b/i,
  /\b(10|ten) (or more )?years\b/i,
];

/** A final client error (not 401, 404 or 429, which say nothing about the meeting) whose reason is a documented refusal. */
export function isNotUpdatable(error: WebexError): boolean {
  const status = error.status;
  if (status === undefined || status < 400 || status >= 500 || status === 401 || status === 404 || status === 429) return false;
  return NOT_UPDATABLE_REFUSALS.some((pattern) => pattern.test(error.message));
}

/** A failed send: the server's message (or `message` in its place), its status and tracking id. */
/** The error of an attempt whose outcome a read settled (the meeting read back, the tag looked up): it is no longer unknown. */
export function settled(error: WebexError): WebexError {
  const { ambiguous: _unknown, ...known } = error;
  return known;
}

export function failure(error: WebexError, attempts: number, message: string = error.message): SendResult {
  const result: SendResult = { ok: false, attempts, message, notUpdatable: isNotUpdatable(error) };
  if (error.status !== undefined) result.httpStatus = error.status;
  if (error.trackingId !== undefined) result.trackingId = error.trackingId;
  if (error.ambiguous === true) result.outcomeUnknown = true;
  return result;
}
