/**
 * What apply did, change by change. Renderers (text, json, markdown) are functions of this
 * value, as plan renderers are functions of the Plan.
 */
import type { ChangeAction, JsonObject } from './plan.js';

export type OutcomeStatus =
  | 'applied' // the create, patch or delete was accepted
  | 'unchanged' // nothing to send (noop in the plan)
  | 'stale' // the live object moved since the plan; not sent
  | 'failed' // the server refused or retries ran out
  | 'notUpdatable' // the plan or the server said this object cannot be updated
  | 'skipped'; // not sent: its dependency failed, or apply was interrupted

export const OUTCOME_STATUSES: readonly OutcomeStatus[] = [
  'applied',
  'unchanged',
  'stale',
  'failed',
  'notUpdatable',
  'skipped',
];

export interface ChangeOutcome {
  id: string;
  kind: string;
  /** The planned action (create, update, delete; noop, notUpdatable, error are not sent). */
  action: ChangeAction;
  /** The key of the document, as in the change. */
  key?: string;
  /** The id the server gave a created object. */
  createdId?: string;
  /** The real id a change planned on a placeholder (a cancel of a meeting this apply created) was sent to. */
  sentTo?: string;
  file: string;
  label?: string;
  status: OutcomeStatus;
  /** Human explanation: the server's message, why it was stale or skipped... never a secret. */
  message?: string;
  httpStatus?: number;
  trackingId?: string;
  /** A failed change that may have been carried out all the same (an answer lost after the request was sent). */
  outcomeUnknown?: true;
  /** Requests sent for this change, retries included. */
  attempts: number;
  /** Post-apply verification: fields the server adjusted that still differ from the file. */
  warnings: string[];
  /** For an applied change: the patch that was sent, values of `sensitive` fields masked (never a secret, nor a reference to one). */
  patch?: JsonObject;
  /** Top-level patch fields whose values must never be printed, as in the plan. */
  sensitive?: string[];
}

export interface ApplyReport {
  baseUrl: string;
  startedAt: string;
  finishedAt: string;
  /** True when SIGINT (or an abort) stopped apply before every change was sent. */
  interrupted: boolean;
  /**
   * Why apply stopped starting changes when no one interrupted it: the provider's message for an
   * answer that fails every later change alike (a refused token, a server gone).
   */
  stoppedBy?: string;
  /** The plan's request controls, as apply used them. */
  controls: JsonObject;
  outcomes: ChangeOutcome[];
  counts: Record<OutcomeStatus, number>;
}

export function countOutcomes(outcomes: readonly ChangeOutcome[]): Record<OutcomeStatus, number> {
  const counts = Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, 0])) as Record<OutcomeStatus, number>;
  for (const o of outcomes) counts[o.status] += 1;
  return counts;
}

/** Apply succeeded only when everything planned was applied (or needed nothing). */
export function applySucceeded(report: ApplyReport): boolean {
  return !report.interrupted && report.outcomes.every((o) => o.status === 'applied' || o.status === 'unchanged');
}
