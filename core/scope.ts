/**
 * Which changes of a saved plan one apply run may send: `--target` ids and a `--shard K/N`.
 * A CI matrix applies one reviewed plan per shard, so a run must never send a change outside its
 * scope, and the scope must be the one `plan --shard` would have computed: every change of a
 * document goes with it (same shard, same target), by the document's key.
 */
import type { Change, Plan } from './plan.js';
import { isSent, summarize } from './plan.js';

/** FNV-1a of the id: a stable partition that needs no coordination between shards. */
export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

export interface PlanScope {
  /** Series ids (or ids of single changes) to keep; empty or undefined: every change. */
  targets?: readonly string[];
  /** 0-based shard index of `count`. */
  shard?: { index: number; count: number };
}

export type ScopedPlan =
  | { ok: true; plan: Plan; leftOut: number; total: number }
  | { ok: false; code: 'scope.unknownTarget' | 'scope.dependencyOutside'; message: string };

/**
 * The document a change belongs to, by its key (what --target names and --shard partitions): the
 * change's own `key`, which the provider sets on every change of a document; a change without one
 * (a plan file written by hand) stands for itself.
 */
export function documentOfChanges(changes: readonly Change[]): Map<Change, string> {
  return new Map(changes.map((c) => [c, c.key ?? c.id]));
}

/** The plan narrowed to the scope, or why the scope cannot be applied. Never widens the plan. */
export function scopePlan(plan: Plan, scope: PlanScope): ScopedPlan {
  const total = plan.changes.length;
  const targets = scope.targets ?? [];
  if (targets.length === 0 && !scope.shard) return { ok: true, plan, leftOut: 0, total };
  const documentOf = documentOfChanges(plan.changes);
  let kept = plan.changes;
  if (targets.length > 0) {
    const wanted = new Set(targets);
    const known = new Set<string>();
    for (const c of plan.changes) known.add(c.id).add(documentOf.get(c) as string);
    const unknown = [...wanted].filter((t) => !known.has(t));
    if (unknown.length > 0) {
      return {
        ok: false,
        code: 'scope.unknownTarget',
        message: `--target names no change of the plan: ${unknown.join(', ')} (nothing was applied; check the id or plan again)`,
      };
    }
    kept = kept.filter((c) => wanted.has(documentOf.get(c) as string) || wanted.has(c.id));
  }
  const shard = scope.shard;
  if (shard) kept = kept.filter((c) => shardOf(documentOf.get(c) as string, shard.count) === shard.index);
  // A change whose prerequisite is left out would be sent without it (its patch assumes the
  // prerequisite was applied): refuse rather than send it alone.
  const keptIds = new Set(kept.map((c) => c.id));
  const orphan = kept.find((c) => isSent(c) && c.dependsOn !== undefined && !keptIds.has(c.dependsOn));
  if (orphan) {
    return {
      ok: false,
      code: 'scope.dependencyOutside',
      message: `${orphan.kind} ${orphan.id} depends on the change of ${orphan.dependsOn}, which --target leaves out: target ${orphan.dependsOn} instead (nothing was applied)`,
    };
  }
  return { ok: true, plan: { ...plan, changes: kept, summary: summarize(kept) }, leftOut: total - kept.length, total };
}
