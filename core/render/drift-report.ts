/**
 * The drift report: a plan read as a report for a schedule. Every field where a live object
 * differs from its file is live vs desired (secrets masked); a keyed file whose object is gone
 * (the plan would create it) is missing; an owned object no file declares is orphaned; with
 * --report-unmanaged, also the series nobody declared. Exit 0 in sync, 2 drift, 1 error.
 * Renderers: drift-text, drift-markdown, json.
 */
import type { Change, JsonValue, Orphan, Plan } from '../plan.js';
import { compareStrings, fieldLines, SENSITIVE_TEXT } from './changes.js';
import { plural } from './sanitize.js';
import { countOf, type RenderWords } from './words.js';

export interface DriftField {
  field: string;
  /** The live value; `(sensitive)` for a secret, null when the object has none. */
  live: JsonValue;
  /** The value the file asks for; `(sensitive)` for a secret, null to clear. */
  desired: JsonValue;
}

export interface DriftedObject {
  id: string;
  kind: string;
  file: string;
  label?: string;
  fields: DriftField[];
  warnings: string[];
}

export interface NotUpdatableDrift extends DriftedObject {
  reason: string;
}

/** A keyed file whose object does not exist: the plan creates it. `id` is the plan's placeholder. */
export interface MissingObject {
  id: string;
  key: string;
  kind: string;
  file: string;
  label?: string;
}

export type OrphanedObject = Orphan;

/** An object the provider sees that no document declares: its id and the provider's own fields (their words are `RenderWords.unmanaged`). */
export type UnmanagedObject = { id: string } & { [field: string]: string | undefined };

export interface DriftError {
  id?: string;
  file?: string;
  message: string;
}

export interface DriftReport {
  inSync: boolean;
  checkedAt: string;
  baseUrl: string;
  summary: { managed: number; inSync: number; drifted: number; notUpdatable: number; missing: number; orphaned: number; unmanaged: number; errors: number };
  drifted: DriftedObject[];
  unmanaged: UnmanagedObject[];
  notUpdatable: NotUpdatableDrift[];
  missing: MissingObject[];
  /** Owned objects no file declares (the plan's orphans): `plan --prune` would delete them. */
  orphans: OrphanedObject[];
  errors: DriftError[];
  /** Whether unmanaged series were looked for (--report-unmanaged). */
  checkedUnmanaged: boolean;
  /** The plan's notes: what the provider could not check, and where it did not look. */
  notes: string[];
}

export const EXIT_IN_SYNC = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

function driftFields(change: Change): DriftField[] {
  return fieldLines(change).map((line) =>
    line.sensitive
      ? { field: line.path, live: SENSITIVE_TEXT, desired: SENSITIVE_TEXT }
      : { field: line.path, live: line.before ?? null, desired: line.after ?? null },
  );
}

/** A delete a file asks for (e.g. one occurrence removed from its series): the object exists, the file says it should not. */
const STILL_EXISTS = { field: '(exists)', live: true, desired: false };

function drifted(change: Change): DriftedObject {
  const fields = change.action === 'delete' ? [STILL_EXISTS] : driftFields(change);
  const out: DriftedObject = { id: change.id, kind: change.kind, file: change.file, fields, warnings: change.warnings };
  if (change.label !== undefined) out.label = change.label;
  return out;
}

function missing(change: Change): MissingObject {
  const out: MissingObject = { id: change.id, key: change.key ?? change.id, kind: change.kind, file: change.file };
  if (change.label !== undefined) out.label = change.label;
  return out;
}

/**
 * The ids of the creates and of the changes that wait on one (an override of a series not yet
 * created, and so on down): those are part of the missing object, not drift of their own.
 */
function partOfCreates(changes: readonly Change[]): Set<string> {
  const waiting = new Set(changes.filter((c) => c.action === 'create').map((c) => c.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of changes) {
      if (c.dependsOn !== undefined && waiting.has(c.dependsOn) && !waiting.has(c.id)) {
        waiting.add(c.id);
        grew = true;
      }
    }
  }
  return waiting;
}

/** The plan's orphans, and any it already prunes (a delete is one too), each once. */
function orphansOf(plan: Plan): OrphanedObject[] {
  const out = new Map<string, OrphanedObject>(plan.orphans.map((o) => [o.id, o]));
  for (const c of plan.changes) {
    if (c.action !== 'delete' || c.prune !== true || out.has(c.id)) continue;
    out.set(c.id, { id: c.id, key: c.key ?? c.id, ...(c.label === undefined ? {} : { label: c.label }) });
  }
  return [...out.values()].sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.id, b.id));
}

const byFileThenId = (a: { file?: string; id?: string }, b: { file?: string; id?: string }) =>
  compareStrings(a.file ?? '', b.file ?? '') || compareStrings(a.id ?? '', b.id ?? '');

/** The report is a view of the plan (plus what listing found): it cannot disagree with `plan`. */
export function buildDriftReport(
  plan: Plan,
  extra: { unmanaged?: UnmanagedObject[]; errors?: DriftError[]; checkedUnmanaged?: boolean } = {},
): DriftReport {
  const created = partOfCreates(plan.changes);
  // An error is never folded away: it is reported whatever it waits on.
  const changes = plan.changes.filter((c) => c.action === 'create' || c.action === 'error' || !created.has(c.id));
  const missingObjects = changes.filter((c) => c.action === 'create').map(missing).sort(byFileThenId);
  const orphans = orphansOf(plan);
  // A delete the file declares (not a prune: those are orphans) is drift of that file.
  const updates = changes.filter((c) => c.action === 'update' || (c.action === 'delete' && c.prune !== true)).map(drifted).sort(byFileThenId);
  // An object the provider will not update still differs from its file: that is drift too, with a reason.
  const notUpdatable = changes
    .filter((c) => c.action === 'notUpdatable' && Object.keys(c.patch).length > 0)
    .map((c) => ({ ...drifted(c), reason: c.reason ?? 'not updatable' }))
    .sort(byFileThenId);
  const errors = [
    ...changes.filter((c) => c.action === 'error').map((c) => ({ id: c.id, file: c.file, message: c.reason ?? 'could not be planned' })),
    // A listing that failed hid what it would have shown (orphans, say): not in sync, and not drift.
    ...(plan.unread ?? []).map((message): DriftError => ({ message })),
    ...(extra.errors ?? []),
  ].sort(byFileThenId);
  // An orphan is also a series no file declares: it is reported once, as the orphan it is.
  const orphanIds = new Set(orphans.map((o) => o.id));
  // In the provider's order (by its label): only the provider knows which field that is.
  const unmanaged = (extra.unmanaged ?? []).filter((u) => !orphanIds.has(u.id));
  const inSyncCount = changes.filter((c) => c.action === 'noop' || (c.action === 'notUpdatable' && Object.keys(c.patch).length === 0)).length;
  return {
    inSync: [updates, notUpdatable, missingObjects, orphans, unmanaged, errors].every((list) => list.length === 0),
    checkedAt: plan.createdAt,
    baseUrl: plan.baseUrl,
    summary: {
      managed: plan.changes.length,
      inSync: inSyncCount,
      drifted: updates.length,
      notUpdatable: notUpdatable.length,
      missing: missingObjects.length,
      orphaned: orphans.length,
      unmanaged: unmanaged.length,
      errors: errors.length,
    },
    drifted: updates,
    unmanaged,
    notUpdatable,
    missing: missingObjects,
    orphans,
    errors,
    checkedUnmanaged: extra.checkedUnmanaged === true,
    notes: plan.notes.filter((n) => !(plan.unread ?? []).includes(n)),
  };
}

export function driftExitCode(report: DriftReport): number {
  if (report.errors.length > 0) return EXIT_ERROR;
  return report.inSync ? EXIT_IN_SYNC : EXIT_DRIFT;
}

/** The one-line status for stderr. */
export function driftStatusLine(report: DriftReport, words: RenderWords): string {
  const s = report.summary;
  // The headline's counts, in its words: a meeting that differs but cannot be updated is "not updatable", not "drifted".
  const differ = [`${countOf(s.drifted, words)} drifted`, ...(s.notUpdatable > 0 ? [`${s.notUpdatable} not updatable`] : [])].join(', ');
  if (s.errors > 0) return `meetctl drift: ${plural(s.errors, 'error')}; ${differ} (exit 1)`;
  if (report.inSync) return `meetctl drift: in sync (${countOf(s.managed, words, 'managed')})`;
  const parts = [differ];
  if (s.missing > 0) parts.push(`${s.missing} missing`);
  if (s.orphaned > 0) parts.push(`${s.orphaned} orphaned`);
  if (s.unmanaged > 0) parts.push(`${plural(s.unmanaged, `unmanaged ${words.unmanaged.noun.one}`, `unmanaged ${words.unmanaged.noun.many}`)}`);
  return `meetctl drift: ${parts.join(', ')} (exit 2)`;
}

export function driftHeadline(report: DriftReport): string {
  const s = report.summary;
  const unmanaged = report.checkedUnmanaged ? `, ${s.unmanaged} unmanaged` : '';
  // Said only when there are some, as the markdown table's columns: most reports have none.
  const lifecycle = `${s.missing > 0 ? `, ${s.missing} missing` : ''}${s.orphaned > 0 ? `, ${s.orphaned} orphaned` : ''}`;
  return `${s.drifted} drifted, ${s.inSync} in sync, ${s.notUpdatable} not updatable${lifecycle}${unmanaged}, ${plural(s.errors, 'error')}`;
}

/** Why a missing object is reported, and what apply would do about it. */
export function missingText(m: MissingObject): string {
  return `declared by ${m.file} (key ${m.key}) but not found: it was deleted outside git, or never created — meetctl apply would create it`;
}

export const ORPHANS_ADVICE = 'meetctl plan --prune would delete them';

function inSyncText(words: RenderWords): string {
  return `No drift: every managed ${words.object} matches its file.`;
}

/** Closes a report where nothing drifted but something could not be checked. */
function uncheckedText(words: RenderWords): string {
  return `Some ${words.objects} could not be checked.`;
}
const DRIFT_ADVICE = 'Run `meetctl plan` to review and `meetctl apply` to restore the files, or edit the files to accept the live values.';

/**
 * The report's last sentence: what to do about what it found. Apply restores only drift, missing
 * objects and (with --prune) orphans; what it cannot touch gets its own advice, not "apply".
 */
export function driftClosing(report: DriftReport, words: RenderWords): string {
  if (report.inSync) return inSyncText(words);
  if (report.drifted.length + report.missing.length + report.orphans.length > 0) return DRIFT_ADVICE;
  const said: string[] = [];
  if (report.notUpdatable.length > 0) said.push(`\`meetctl apply\` cannot restore the ${words.objects} that are not updatable: edit their files to accept the live values.`);
  if (report.unmanaged.length > 0) said.push(`No file declares the unmanaged ${words.unmanaged.noun.many}: \`meetctl import --id ID\` writes one, or leave them unmanaged.`);
  if (report.errors.length > 0) said.push(uncheckedText(words));
  return said.join(' ');
}
