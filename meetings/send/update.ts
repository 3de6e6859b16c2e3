/**
 * An update: PATCH the planned merge patch, then check what the server stored. When the answer is
 * lost (a cut after the request was written, a timeout, a 5xx), the meeting is read back: the
 * update may well have been carried out, and only the live meeting says whether it was.
 */
import type { SendContext, SendResult } from '../../core/executor.js';
import { backoffMs, sleep } from '../../core/retry.js';
import type { Change } from '../../core/plan.js';
import { DEFAULTS } from '../client/types.js';
import { errorLine } from '../client/errors.js';
import { hostOf, requestBody, targetId, type WebexApplierOptions } from './body.js';
import { failure, settled } from './refusals.js';
import { alreadyCarries, verifyResponse } from './verify.js';

/** Said in the report of an update whose answer was lost, and that the meeting, read back, carries. */
const CARRIED_AFTER_LOST_ANSWER = 'the answer was lost; read back, the meeting carries the planned values';

const UNREADABLE_SUCCESS = 'the server answered success with a body that is no meeting; read back, the change is applied';

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

async function unreadableSuccess(change: Change, id: string, attempts: number, stop: AbortSignal, opts: WebexApplierOptions, nowMs: () => number): Promise<SendResult> {
  const live = stop.aborted ? undefined : await opts.client.getMeeting(id, { hostEmail: hostOf(change), stop });
  if (live?.ok !== true) {
    const why = live === undefined ? 'the run was interrupted before reading it back' : `reading it back failed (${errorLine(live.error)})`;
    return { ok: true, attempts, warnings: [`the answer could not be read and ${why}: the next plan will show what the meeting holds`], sentTo: id, message: 'the server answered success with a body that is no meeting' };
  }
  return { ok: true, attempts, warnings: verifyResponse(change, live.value, nowMs()), sentTo: id, message: UNREADABLE_SUCCESS };
}

export async function sendUpdate(change: Change, stop: AbortSignal, context: SendContext, opts: WebexApplierOptions): Promise<SendResult> {
  const target = targetId(change, context);
  if (!target.ok) return { ok: false, attempts: 0, message: target.message };
  const body = requestBody(change, opts);
  if (!body.ok) return { ok: false, attempts: 0, message: body.message };
  const nowMs = () => opts.client.serverNow() ?? Date.now();
  // Each PATCH carried out with sendEmail emails every invitee: one whose outcome is unknown is read
  // back before it is sent again, never repeated blind. Without email the client's own retries are safe.
  const once = opts.sendEmail;
  const maxRetries = opts.maxRetries ?? DEFAULTS.maxRetries;
  let attempts = 0;
  for (let retries = 0; ; retries++) {
    const result = await opts.client.patchMeeting(target.id, body.body, { stop, once });
    attempts += result.attempts ?? 1;
    if (result.ok) return { ok: true, attempts, warnings: verifyResponse(change, result.value, nowMs()), sentTo: target.id };
    const lost = result.error;
    if (lost.ambiguous !== true) return failure(lost, attempts);
    // A success whose body could not be read: carried out for sure, so never sent again; what the
    // server stored is checked on the meeting read back, as on a readable answer.
    if (isSuccess(lost.status)) return unreadableSuccess(change, target.id, attempts, stop, opts, nowMs);
    if (stop.aborted) return failure(lost, attempts, `${lost.message}; it may have been applied, and the run was interrupted before reading the meeting back: run meetctl plan again to see`);
    const live = await opts.client.getMeeting(target.id, { hostEmail: hostOf(change), stop });
    if (!live.ok) return failure(lost, attempts, `${lost.message}; it may have been applied, and reading the meeting back failed (${errorLine(live.error)}): run meetctl plan again to see`);
    if (alreadyCarries(change, live.value, opts.env, nowMs())) {
      return { ok: true, attempts, warnings: verifyResponse(change, live.value, nowMs()), sentTo: target.id, message: CARRIED_AFTER_LOST_ANSWER };
    }
    const notCarried = `${lost.message}; read back, the meeting does not carry the planned values: not applied`;
    if (!once || retries >= maxRetries) return failure(settled(lost), attempts, notCarried);
    if (!(await sleep(backoffMs(retries), stop))) return failure(settled(lost), attempts, `${notCarried} (interrupted before it was sent again)`);
  }
}
