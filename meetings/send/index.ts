/**
 * The Webex side of apply: how one planned change is sent (create, update, delete), checked for
 * staleness and verified. The generic executor in core/ decides when; this folder decides how.
 */
import type { FreshResult, SendContext, SendResult } from '../../core/executor.js';
import type { Change } from '../../core/plan.js';
import { secretsOf, type WebexApplierOptions } from './body.js';
import { redactSecrets } from '../../core/secrets.js';
import { sendCreate } from './create.js';
import { sendDelete } from './delete.js';
import { checkFresh } from './fresh.js';
import { sendUpdate } from './update.js';

export type { WebexApplierOptions } from './body.js';
export { requestBody } from './body.js';
export { isNotUpdatable } from './refusals.js';
export { verifyResponse } from './verify.js';

type Send = (change: Change, stop: AbortSignal, context: SendContext, opts: WebexApplierOptions) => Promise<SendResult>;

const SEND_BY_ACTION: Partial<Record<Change['action'], Send>> = { create: sendCreate, update: sendUpdate, delete: sendDelete };

/**
 * A result with the change's secrets redacted: a server (or a proxy before it) may quote the
 * request in its error, and the result's words reach reports, annotations and PR comments.
 */
function redacted<R extends SendResult | FreshResult>(result: R, secrets: readonly string[]): R {
  if (secrets.length === 0) return result;
  const out: Record<string, unknown> = { ...result };
  for (const key of ['message', 'error'] as const) if (typeof out[key] === 'string') out[key] = redactSecrets(out[key] as string, secrets);
  if (Array.isArray(out.warnings)) out.warnings = (out.warnings as string[]).map((w) => redactSecrets(w, secrets));
  return out as R;
}

export function createWebexApplier(opts: WebexApplierOptions) {
  return {
    async send(change: Change, stop: AbortSignal, context: SendContext = {}): Promise<SendResult> {
      const send = SEND_BY_ACTION[change.action];
      if (send === undefined) return { ok: false, attempts: 0, message: `not sent: a ${change.action} change sends nothing` };
      return redacted(await send(change, stop, context, opts), secretsOf(change, opts.env));
    },
    async checkFresh(change: Change, stop: AbortSignal, context: SendContext = {}): Promise<FreshResult> {
      return redacted(await checkFresh(change, stop, context, opts), secretsOf(change, opts.env));
    },
  };
}
