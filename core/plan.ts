/**
 * The Plan model. A plan is plain data: it can be printed, saved as JSON, read back and
 * applied later. Printing and applying walk the same `changes` list, so the plan cannot
 * lie about what apply does. Nothing here knows a provider: the provider fills in `kind`,
 * `patch` and the human sentences.
 */
import { compareStrings } from './order.js';

/** 2: `meetingId` became `id`; the create and delete actions, `key`, `prune`, `orphans` and `owned` arrived. */
export const PLAN_FORMAT_VERSION = 2;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * - `create`: `patch` is the whole body of a new object (its `id` is a placeholder until the server gives one).
 * - `update`: `patch` will be sent.
 * - `delete`: the object will be deleted (`patch` is empty).
 * - `noop`: the live object already matches the file.
 * - `notUpdatable`: the provider refuses to touch the object (`reason` says why); nothing is sent.
 * - `error`: the object could not be planned (missing, invalid for its live state...); nothing is sent.
 */
export type ChangeAction = 'create' | 'update' | 'delete' | 'noop' | 'notUpdatable' | 'error';

/** The actions apply sends a request for. */
export const SENT_ACTIONS: readonly ChangeAction[] = ['create', 'update', 'delete'];

export function isSent(change: Pick<Change, 'action'>): boolean {
  return SENT_ACTIONS.includes(change.action);
}

export interface Change {
  /**
   * The id of the remote object the change is sent to. A create has none yet: its id is a
   * placeholder the provider chooses, unique in the plan, that changes after it may depend on.
   */
  id: string;
  /** The key of the document that declares the object (what `--target` names and `--shard` partitions); the provider sets it on every change of a document. */
  key?: string;
  /** A delete of an object the provider owns and no document declares any more (what the delete guard counts). */
  prune?: boolean;
  /** Provider-defined kind, e.g. `series` or `scheduledMeeting`. */
  kind: string;
  action: ChangeAction;
  /** The desired-state file that declares this object. */
  file: string;
  /** A short human label for the reviewer, e.g. the object's title. */
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
  /** id of a change that must succeed before this one is sent (e.g. its series, or the create of its series). */
  dependsOn?: string;
  /** Why the change is `notUpdatable` or `error`. */
  reason?: string;
  /** Patch fields whose values must never be printed: top-level names, or member paths such as `liveStream.rtmpUrl`. */
  sensitive?: string[];
  /** Request controls of this change, sent with the patch but not part of the state (e.g. who owns the object). */
  controls?: JsonObject;
  /**
   * Patched fields the server stores otherwise than sent, as the plan knew it would (defaults it
   * adds): what the response check and a re-run compare with, instead of inferring it.
   */
  expected?: JsonObject;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
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
  /** The provider's request controls for the whole apply (what it must do the way the reviewer saw), e.g. whether people are notified. */
  controls: JsonObject;
  summary: PlanSummary;
  /** Plan-wide sentences from the provider, each printed once near the top (e.g. what it cannot check). */
  notes: string[];
  changes: Change[];
  /** Objects the provider owns that no document declares: listed, and deleted only when the plan prunes. */
  orphans: Orphan[];
  /** How many owned objects the plan saw (the base of the delete guard's share), when the provider tracks ownership. */
  owned?: number;
  /** The plan was made to delete the owned objects no document declares (`plan --prune`). */
  prune?: true;
  /** What the provider could not read, so did not check (also among `notes`); drift reports each as an error. */
  unread?: string[];
}

export interface Orphan {
  id: string;
  key: string;
  label?: string;
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, noop: 0, notUpdatable: 0, error: 0, warnings: 0 };
  for (const change of changes) {
    summary[change.action] += 1;
    summary.warnings += change.warnings.length;
  }
  return summary;
}

/** Stable order for output and execution: by `order`, then file, then id, in code-point order as the renderers use (not the machine's locale). */
export function sortChanges(changes: readonly Change[]): Change[] {
  return [...changes].sort(
    (a, b) => a.order - b.order || compareStrings(a.file, b.file) || compareStrings(a.id, b.id),
  );
}

/** How many changes apply will send a request for. */
export function sentCount(summary: PlanSummary): number {
  return summary.create + summary.update + summary.delete;
}

export function makePlan(input: {
  baseUrl: string;
  controls: JsonObject;
  changes: Change[];
  notes?: readonly string[];
  orphans?: readonly Orphan[];
  owned?: number;
  prune?: boolean;
  unread?: readonly string[];
  now?: Date;
}): Plan {
  const changes = sortChanges(input.changes);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: (input.now ?? new Date()).toISOString(),
    baseUrl: input.baseUrl,
    controls: { ...input.controls },
    summary: summarize(changes),
    notes: [...(input.notes ?? [])],
    changes,
    orphans: [...(input.orphans ?? [])].sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.id, b.id)),
    ...(input.owned === undefined ? {} : { owned: input.owned }),
    ...(input.prune === true ? { prune: true as const } : {}),
    ...(input.unread !== undefined && input.unread.length > 0 ? { unread: [...input.unread] } : {}),
  };
}
