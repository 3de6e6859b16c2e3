/**
 * Identical changes, shown once: when a defaults file changes, hundreds of objects get the very
 * same field changes, and a reviewer should read that change once, with the count, not 399 times.
 */
import { sentCount, type Change, type Plan } from '../plan.js';
import { compareStrings, fieldLines, type FieldLine } from './changes.js';

/** Fewer objects than this are listed one by one: two identical changes read as easily apart as grouped. */
export const MIN_GROUP = 3;

/** At most this many changes sent make a "small plan", whose Markdown sections are open rather than folded. */
export const SMALL_PLAN = 10;

export interface IdenticalGroup {
  /** The field changes every member makes, exactly. */
  lines: FieldLine[];
  /** By file, then order, then id. */
  changes: Change[];
}

/**
 * Updates whose displayed diff and warnings are the same, and whose sensitive fields are set to
 * the same reference: nothing differs between them but the object. The key is never printed.
 */
function sameness(change: Change, lines: FieldLine[]): string {
  const secrets = (change.sensitive ?? []).filter((k) => k in change.patch).sort(compareStrings).map((k) => [k, change.patch[k]]);
  return JSON.stringify([lines, change.warnings, secrets]);
}

function byFileOrderId(a: Change, b: Change): number {
  return compareStrings(a.file, b.file) || a.order - b.order || compareStrings(a.id, b.id);
}

/** The groups of at least MIN_GROUP identical updates, largest first, and the set of changes they hold. */
export function identicalGroups(plan: Plan): { groups: IdenticalGroup[]; grouped: ReadonlySet<Change> } {
  const byKey = new Map<string, IdenticalGroup>();
  for (const change of plan.changes) {
    if (change.action !== 'update') continue;
    const lines = fieldLines(change);
    if (lines.length === 0) continue;
    const key = sameness(change, lines);
    const group = byKey.get(key) ?? { lines, changes: [] };
    group.changes.push(change);
    byKey.set(key, group);
  }
  const groups = [...byKey.values()]
    .filter((g) => g.changes.length >= MIN_GROUP)
    .map((g) => ({ lines: g.lines, changes: [...g.changes].sort(byFileOrderId) }))
    .sort((a, b) => b.changes.length - a.changes.length || byFileOrderId(a.changes[0], b.changes[0]));
  return { groups, grouped: new Set(groups.flatMap((g) => g.changes)) };
}

/** Whether the plan is small enough to show every section open: creates and deletes are read too. */
export function isSmallPlan(plan: Plan): boolean {
  return sentCount(plan.summary) <= SMALL_PLAN;
}
