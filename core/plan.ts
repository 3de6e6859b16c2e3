/**
 * The Plan model. A plan is plain data: it can be printed, saved as JSON, read back and
 * applied later. Printing and applying walk the same `changes` list, so the plan cannot
 * lie about what apply does. Nothing here knows about Webex: a provider fills in `kind`,
 * `patch` and the human sentences.
 */
import { compareStrings } from './order.js';

export const PLAN_FORMAT_VERSION = 1;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * - `update`: `patch` will be sent.
 * - `noop`: the live object already matches the file.
 * - `notUpdatable`: the provider refuses to touch the object (`reason` says why); nothing is sent.
 * - `error`: the object could not be planned (missing, invalid for its live state...); nothing is sent.
 */
export type ChangeAction = 'update' | 'noop' | 'notUpdatable' | 'error';

export interface Change {
  /** The id of the remote object the patch is sent to. */
  meetingId: string;
  /** Provider-defined kind, e.g. `series` or `scheduledMeeting`. */
  kind: string;
  action: ChangeAction;
  /** The desired-state file that declares this object. */
  file: string;
  /** A short human label for the reviewer, e.g. the meeting title. */
  label?: string;
  /** Exactly the body apply sends (an RFC 7396 merge patch). Secrets are references such as `${env:NAME}`. */
  patch: JsonObject;
  /** The live values of the patched fields, for the reviewer (secrets masked). */
  before: JsonObject;
  /** sha256 of the normalized live state the patch was computed from (secrets excluded). */
  fingerprint: string;
  warnings: string[];
  /** Changes run in ascending `order`; equal orders run in parallel. */
  order: number;
  /** meetingId of a change that must succeed before this one is sent (e.g. its series). */
  dependsOn?: string;
  /** Why the change is `notUpdatable` or `error`. */
  reason?: string;
  /** Top-level patch fields whose values must never be printed. */
  sensitive?: string[];
  /** Request controls sent with the patch but not part of the state (e.g. `hostEmail`). */
  controls?: JsonObject;
}

export interface PlanSummary {
  update: number;
  noop: number;
  notUpdatable: number;
  error: number;
  warnings: number;
}

export interface Plan {
  formatVersion: number;
  createdAt: string;
  /** The API base URL the plan was computed against; apply refuses a plan for another one. */
  baseUrl: string;
  /** Whether apply will ask the server to email invitees. */
  sendEmail: boolean;
  summary: PlanSummary;
  /** Plan-wide sentences from the provider, each printed once near the top (e.g. what it cannot check). */
  notes: string[];
  changes: Change[];
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const summary: PlanSummary = { update: 0, noop: 0, notUpdatable: 0, error: 0, warnings: 0 };
  for (const change of changes) {
    summary[change.action] += 1;
    summary.warnings += change.warnings.length;
  }
  return summary;
}

/** Stable order for output and execution: by `order`, then file, then id, in code-point order as the renderers use (not the machine's locale). */
export function sortChanges(changes: readonly Change[]): Change[] {
  return [...changes].sort(
    (a, b) => a.order - b.order || compareStrings(a.file, b.file) || compareStrings(a.meetingId, b.meetingId),
  );
}

export function makePlan(input: { baseUrl: string; sendEmail: boolean; changes: Change[]; notes?: readonly string[]; now?: Date }): Plan {
  const changes = sortChanges(input.changes);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: (input.now ?? new Date()).toISOString(),
    baseUrl: input.baseUrl,
    sendEmail: input.sendEmail,
    summary: summarize(changes),
    notes: [...(input.notes ?? [])],
    changes,
  };
}
