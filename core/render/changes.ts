/**
 * The reviewer's view of a plan, shared by the text and Markdown renderers: changes grouped by
 * file, field differences with sensitive values masked, and the sentences both formats print.
 */
import { deepEqual, diffEntries } from '../diff.js';
import { sentCount, type Change, type JsonValue, type Plan, type PlanSummary } from '../plan.js';
import { plural } from './sanitize.js';
import type { RenderWords } from './words.js';
import { compareStrings } from '../order.js';

export type FieldSign = '+' | '~' | '-';

export interface FieldLine {
  sign: FieldSign;
  path: string;
  /** Absent when the field is sensitive: its values are never shown. */
  before?: JsonValue | undefined;
  after?: JsonValue;
  sensitive: boolean;
}

export interface FileGroup {
  file: string;
  changes: Change[];
}

export const SENSITIVE_TEXT = '(sensitive)';

export { compareStrings };

/** Shown in the file groups: updates and what could not be planned or updated. Creates and deletes have sections of their own. */
const IN_FILE_GROUPS: ReadonlySet<Change['action']> = new Set(['update', 'notUpdatable', 'error']);

/**
 * The changes worth showing one by one (noops are only counted, and their warnings listed apart;
 * `shownElsewhere` holds the identical updates shown once as a group), per file in a stable order.
 */
export function groupByFile(plan: Plan, shownElsewhere: ReadonlySet<Change> = new Set(), include: (c: Change) => boolean = (c) => IN_FILE_GROUPS.has(c.action)): FileGroup[] {
  const byFile = new Map<string, Change[]>();
  for (const change of plan.changes) {
    if (!include(change) || shownElsewhere.has(change)) continue;
    const list = byFile.get(change.file) ?? [];
    list.push(change);
    byFile.set(change.file, list);
  }
  return [...byFile.keys()].sort(compareStrings).map((file) => ({ file, changes: sortWithinFile(byFile.get(file) ?? []) }));
}

/** The creates, per file, as the updates are. */
export function createGroups(plan: Plan): FileGroup[] {
  return groupByFile(plan, new Set(), (c) => c.action === 'create');
}

/** The deletes, which every format shows first: pruned objects (no file) first, then by file, order and id. */
export function deletes(plan: Plan): Change[] {
  return plan.changes
    .filter((c) => c.action === 'delete')
    .sort((a, b) => Number(a.prune !== true) - Number(b.prune !== true) || compareStrings(a.file, b.file) || a.order - b.order || compareStrings(a.id, b.id));
}

/** Said of a pruned object in place of its file. */
export const NO_FILE = 'no file declares it';

/** The heading of the orphans section, in every format. */
export function orphansHeading(count: number): string {
  return `Orphaned (owned, no file declares them): ${count}`;
}

export const PRUNE_HINT = 'With --prune, plan and apply would delete them; without it they are left alone.';

/** The warnings of unchanged objects (e.g. a value the server stores differently from the file): by file, then order, then id. */
export function noopsWithWarnings(plan: Plan): Change[] {
  return plan.changes
    .filter((c) => c.action === 'noop' && c.warnings.length > 0)
    .sort((a, b) => compareStrings(a.file, b.file) || a.order - b.order || compareStrings(a.id, b.id));
}

function sortWithinFile(changes: Change[]): Change[] {
  return [...changes].sort((a, b) => a.order - b.order || compareStrings(a.id, b.id));
}

/** The worst action in a group decides its marker: an error, else an update, else not updatable. */
export function groupAction(group: FileGroup): Change['action'] {
  if (group.changes.some((c) => c.action === 'error')) return 'error';
  if (group.changes.some((c) => c.action === 'update')) return 'update';
  return 'notUpdatable';
}

/** One line per changed leaf of the patch; values of sensitive fields (top-level names or member paths) are dropped here, before any formatting. */
export function fieldLines(change: Change): FieldLine[] {
  const sensitive = new Set(change.sensitive ?? []);
  const lines: FieldLine[] = [];
  for (const [key, value] of Object.entries(change.patch)) {
    for (const entry of diffEntries(change.before, { [key]: value })) {
      // A member sent as it already is (an object sent whole) changes nothing: no line of its own.
      if (entry.before !== undefined && deepEqual(entry.before, entry.after)) continue;
      const sign: FieldSign = entry.after === null ? '-' : entry.before === undefined || entry.before === null ? '+' : '~';
      if (sensitive.has(key) || sensitive.has(entry.path)) lines.push({ sign, path: entry.path, sensitive: true });
      else lines.push({ sign, path: entry.path, before: entry.before, after: entry.after, sensitive: false });
    }
  }
  return lines;
}

/** `(after its series)` when the dependency is in the plan, else `(after <id>)`. */
export function dependencyNote(change: Change, plan: Plan): string | undefined {
  if (!change.dependsOn) return undefined;
  const parent = plan.changes.find((c) => c.id === change.dependsOn);
  return parent ? `(after its ${parent.kind})` : `(after ${change.dependsOn})`;
}

export function planSummaryLine(summary: PlanSummary): string {
  // Without creates and deletes the line reads as it always has: scripts and goldens match it.
  const sent = summary.create === 0 && summary.delete === 0 ? `${summary.update} to update` : `${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete`;
  return (
    `${sent}, ${summary.noop} unchanged, ${summary.notUpdatable} not updatable, ` +
    `${plural(summary.error, 'error')} · ${plural(summary.warnings, 'warning')}`
  );
}

export function noChanges(words: RenderWords): string {
  return `No changes. Your ${words.objects} match the configuration.`;
}

export const NOTHING_TO_APPLY = 'No changes to apply.';

/** What to say at the end of a plan: what the provider's controls mean for apply, or that there is nothing to do. */
export function planClosing(plan: Plan, words: RenderWords): string {
  const { notUpdatable, error } = plan.summary;
  // Orphans are not "matching the configuration": they are listed above for a decision.
  if (sentCount(plan.summary) === 0) return notUpdatable === 0 && error === 0 && plan.orphans.length === 0 ? noChanges(words) : NOTHING_TO_APPLY;
  return words.controlsSentence(plan.controls, 'plan');
}
