/**
 * The Webex side of apply: how one planned change is sent (create, update, delete), checked for
 * staleness and verified. The generic executor in core/ decides when; this folder decides how.
 */
import type { FreshResult, SendContext, SendResult } from '../../core/executor.js';
import type { Change } from '../../core/plan.js';
import type { WebexApplierOptions } from './body.js';
import { sendCreate } from './create.js';
import { sendDelete } from './delete.js';
import { checkFresh } from './fresh.js';
import { sendUpdate } from './update.js';

export type { WebexApplierOptions } from './body.js';
export { requestBody } from './body.js';
export { isNotUpdatable } from './refusals.js';
export { verifyResponse } from './verify.js';

type Send = (change: Change, signal: AbortSignal, context: SendContext, opts: WebexApplierOptions) => Promise<SendResult>;

const SEND_BY_ACTION: Partial<Record<Change['action'], Send>> = { create: sendCreate, update: sendUpdate, delete: sendDelete };

export function createWebexApplier(opts: WebexApplierOptions) {
  return {
    send(change: Change, signal: AbortSignal, context: SendContext = {}): Promise<SendResult> {
      const send = SEND_BY_ACTION[change.action];
      if (send === undefined) return Promise.resolve({ ok: false, attempts: 0, message: `not sent: a ${change.action} change sends nothing` });
      return send(change, signal, context, opts);
    },
    checkFresh(change: Change, signal: AbortSignal, context: SendContext = {}): Promise<FreshResult> {
      return checkFresh(change, signal, context, opts);
    },
  };
}
