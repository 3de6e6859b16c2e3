/**
 * A delete: a series no file declares any more (`--prune`) or one scheduled meeting a file
 * cancels. `sendEmail` is always sent (the server's default is true: every invitee is emailed).
 */
import type { SendContext, SendResult } from '../../core/executor.js';
import type { Change } from '../../core/plan.js';
import { hostOf, targetId, type WebexApplierOptions } from './body.js';
import { failure } from './refusals.js';

export async function sendDelete(change: Change, stop: AbortSignal, context: SendContext, opts: WebexApplierOptions): Promise<SendResult> {
  const target = targetId(change, context);
  if (!target.ok) return { ok: false, attempts: 0, message: target.message };
  const result = await opts.client.deleteMeeting(target.id, { hostEmail: hostOf(change), sendEmail: opts.sendEmail, stop });
  const attempts = result.attempts ?? 1;
  if (!result.ok) return failure(result.error, attempts);
  // A 404 after an attempt that may have deleted it: gone, which is what was asked.
  const done: SendResult = { ok: true, attempts, warnings: [], sentTo: target.id };
  return result.value.alreadyGone ? { ...done, message: 'already deleted' } : done;
}
