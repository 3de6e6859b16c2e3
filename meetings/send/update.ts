/** An update: PATCH the planned merge patch, then check what the server stored. */
import type { SendContext, SendResult } from '../../core/executor.js';
import type { Change } from '../../core/plan.js';
import { requestBody, targetId, type WebexApplierOptions } from './body.js';
import { failure } from './refusals.js';
import { verifyResponse } from './verify.js';

export async function sendUpdate(change: Change, signal: AbortSignal, context: SendContext, opts: WebexApplierOptions): Promise<SendResult> {
  const target = targetId(change, context);
  if (!target.ok) return { ok: false, attempts: 0, message: target.message };
  const body = requestBody(change, opts);
  if (!body.ok) return { ok: false, attempts: 0, message: body.message };
  const result = await opts.client.patchMeeting(target.id, body.body, { signal });
  const attempts = result.attempts ?? 1;
  if (!result.ok) return failure(result.error, attempts);
  return { ok: true, attempts, warnings: verifyResponse(change, result.value, opts.client.serverNow() ?? Date.now()), sentTo: target.id };
}
