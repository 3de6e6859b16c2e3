/**
 * A create: POST the whole planned body. POST is not idempotent, so a create whose answer was lost
 * (cut, timeout, 5xx: the client marks it `ambiguous`) is looked up by its ownership tag, after a
 * short wait, before it is ever sent again, and one the server refused is never sent again: Webex
 * counts failed creates toward its create quota.
 */
import { errorLine } from '../client/errors.js';
import type { SendContext, SendResult } from '../../core/executor.js';
import type { Change } from '../../core/plan.js';
import { updatableUntil } from '../catalogue.js';
import type { Meeting, Result, WebexError } from '../client.js';
import { DEFAULTS } from '../client/types.js';
import { backoffMs, sleep } from '../../core/retry.js';
import { DAY } from '../list-slices.js';
import { otherHost } from '../live-rules.js';
import { liveInstant } from '../normalize.js';
import { NEW_ID_PREFIX, ownershipTag } from '../ownership.js';
import { hostOf, requestBody, type WebexApplierOptions } from './body.js';
import { failure, settled } from './refusals.js';
import { verifyResponse } from './verify.js';

const FOUND_AFTER_LOST_ANSWER = 'created; the answer was lost, found by its ownership tag';

/**
 * The wait between a create whose answer was lost and its lookup by tag. A 5xx, a timeout or a cut
 * says nothing about whether the create happened: a 504 is "An upstream server failed to respond on
 * time" (paths./meetings.post.responses.504), and that upstream may store the meeting a moment
 * after the gateway gave up. Looked up at once (a few ms later), it is not found yet and the create
 * is sent again: a duplicate. 2 s, not a backoff step (a draw from 0-250 ms): long enough for an
 * upstream that is a moment late, short enough for an apply, as it holds only this change, and
 * at most once for each POST sent (maxRetries + 1 times).
 */
export const LOST_ANSWER_LOOKUP_DELAY_MS = 2000;

/** The key a create is for: the change's, or its placeholder's. */
export function keyOfCreate(change: Change): string {
  return change.key ?? change.id.slice(NEW_ID_PREFIX.length);
}

/** The series carrying the key's ownership tag, in the window a created series can start in. */
export function findOwned(change: Change, opts: WebexApplierOptions, stop: AbortSignal): Promise<Result<Meeting[]>> {
  const nowMs = opts.client.serverNow() ?? Date.now();
  return opts.client.findByIntegrationTag(ownershipTag(keyOfCreate(change)), { hostEmail: hostOf(change), fromMs: nowMs - DAY, toMs: updatableUntil(nowMs), stop });
}

export async function sendCreate(change: Change, stop: AbortSignal, _context: SendContext, opts: WebexApplierOptions): Promise<SendResult> {
  const tag = ownershipTag(keyOfCreate(change));
  const tags = change.patch.integrationTags;
  // Without its tag a create whose answer is lost could never be found again: a duplicate waiting to happen.
  if (!Array.isArray(tags) || !tags.includes(tag)) return { ok: false, attempts: 0, message: `not sent: the body carries no ownership tag ${tag}` };
  const body = requestBody(change, opts);
  if (!body.ok) return { ok: false, attempts: 0, message: body.message };
  // CreateMeetingObject.scheduledType: "If not specified, it's a regular meeting by default" — said, not left to the default.
  body.body.scheduledType = 'meeting';
  const nowMs = () => opts.client.serverNow() ?? Date.now();
  const passed = startPassed(change, nowMs());
  if (passed) return { ok: false, attempts: 0, message: passed };
  const maxRetries = opts.maxRetries ?? DEFAULTS.maxRetries;
  let posts = 0;
  for (let retries = 0; ; retries++) {
    const result = await opts.client.createMeeting(body.body, { stop });
    posts += result.attempts ?? 0;
    if (result.ok) {
      const otherHost = hostMismatch(change, result.value);
      if (otherHost) return { ok: false, attempts: posts, message: otherHost };
      return { ok: true, attempts: posts, warnings: verifyResponse(change, result.value, nowMs()), createdId: result.value.id };
    }
    const lost = result.error;
    if (lost.ambiguous !== true) return failure(lost, posts, refusedMessage(lost));
    if (!(await sleep(opts.lookupDelayMs ?? LOST_ANSWER_LOOKUP_DELAY_MS, stop))) {
      return failure(lost, posts, `${lost.message}; it may have been created, and the run was interrupted before looking it up by its tag ${tag}: run meetctl plan again, it finds the meeting by its tag`);
    }
    const found = await findOwned(change, opts, stop);
    if (!found.ok) {
      return failure(lost, posts, `${lost.message}; it may have been created, and looking it up by its tag ${tag} failed (${errorLine(found.error)}): run meetctl plan again, it finds the meeting by its tag`);
    }
    if (found.value.length === 1) {
      const [meeting] = found.value;
      const otherHost = hostMismatch(change, meeting);
      if (otherHost) return { ok: false, attempts: posts, message: otherHost };
      return { ok: true, attempts: posts, warnings: verifyResponse(change, meeting, nowMs()), createdId: meeting.id, message: FOUND_AFTER_LOST_ANSWER };
    }
    if (found.value.length > 1) {
      const ids = found.value.map((m) => m.id).join(', ');
      return failure(lost, posts, `${lost.message}; ${found.value.length} meetings carry the tag ${tag} (${ids}): delete all but one in Webex, then run meetctl plan again`);
    }
    if (retries >= maxRetries) return failure(settled(lost), posts, `${lost.message} (sent ${posts} times; each time the answer was lost and no meeting with the tag ${tag} was found)`);
    // Not found: sent again, after the backoff a transient failure gets anywhere else.
    if (!(await sleep(backoffMs(retries), stop))) return failure(settled(lost), posts, `${lost.message} (interrupted before it was sent again)`);
  }
}

/**
 * A saved plan's create whose start has passed by the server's clock: CreateMeetingObject.start
 * "cannot be before current date and time", and a refused create still counts toward the quota.
 */
function startPassed(change: Change, nowMs: number): string | undefined {
  const start = liveInstant(change.patch.start);
  if (start === undefined || start > nowMs) return undefined;
  return `not sent: its start ${String(change.patch.start)} has passed since the plan was made (server time ${new Date(nowMs).toISOString()}); move the start in the file and plan again`;
}

/**
 * The series was created under another host than the file names: CreateMeetingObject.hostEmail
 * "should only be set if the user or application calling the API has the admin-level scopes", and a
 * caller without them gets the meeting as its own.
 */
function hostMismatch(change: Change, created: Meeting): string | undefined {
  const wanted = hostOf(change);
  const got = otherHost(wanted, created);
  if (got === undefined) return undefined;
  return `created as ${created.id}, but its host is ${got}, not ${wanted} as the file says: hostEmail takes a token with admin-level scopes; delete that meeting in Webex (or set hostEmail: ${got}) and run meetctl with an admin token`;
}

/** A refused create's message; a 429 says why it is not sent again. */
function refusedMessage(error: WebexError): string {
  if (error.status !== 429) return error.message;
  // A wait longer than the client waits is final there, and its message already says how long and "not sent again".
  if (error.retryAfterMs !== undefined) return `${error.message}; failed creates count toward Webex's create quota too`;
  return `${error.message} (not sent again: failed creates count toward Webex's create quota too)`;
}
