/**
 * The drift report: a plan read as a report for a schedule. Every field where a live meeting
 * differs from its file is live vs desired (secrets masked); with --report-unmanaged, also the
 * series nobody declared. Exit 0 in sync, 2 drift, 1 error. Renderers: drift-text, drift-markdown, json.
 */
import type { Change, JsonValue, Plan } from '../plan.js';
import { compareStrings, fieldLines, SENSITIVE_TEXT } from './changes.js';
import { plural } from './sanitize.js';

export interface DriftField {
  field: string;
  /** The live value; `(sensitive)` for a secret, null when the meeting has none. */
  live: JsonValue;
  /** The value the file asks for; `(sensitive)` for a secret, null to clear. */
  desired: JsonValue;
}

export interface DriftedMeeting {
  id: string;
  kind: string;
  file: string;
  label?: string;
  fields: DriftField[];
  warnings: string[];
}

export interface NotUpdatableDrift extends DriftedMeeting {
  reason: string;
}

export interface UnmanagedSeries {
  id: string;
  title?: string;
  start?: string;
  hostEmail?: string;
}

export interface DriftError {
  id?: string;
  file?: string;
  message: string;
}

export interface DriftReport {
  inSync: boolean;
  checkedAt: string;
  baseUrl: string;
  summary: { managed: number; inSync: number; drifted: number; notUpdatable: number; unmanaged: number; errors: number };
  drifted: DriftedMeeting[];
  unmanaged: UnmanagedSeries[];
  notUpdatable: NotUpdatableDrift[];
  errors: DriftError[];
  /** Whether unmanaged series were looked for (--report-unmanaged). */
  checkedUnmanaged: boolean;
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

function drifted(change: Change): DriftedMeeting {
  const out: DriftedMeeting = { id: change.id, kind: change.kind, file: change.file, fields: driftFields(change), warnings: change.warnings };
  if (change.label !== undefined) out.label = change.label;
  return out;
}

const byFileThenId = (a: { file?: string; id?: string }, b: { file?: string; id?: string }) =>
  compareStrings(a.file ?? '', b.file ?? '') || compareStrings(a.id ?? '', b.id ?? '');

/** The report is a view of the plan (plus what listing found): it cannot disagree with `plan`. */
export function buildDriftReport(
  plan: Plan,
  extra: { unmanaged?: UnmanagedSeries[]; errors?: DriftError[]; checkedUnmanaged?: boolean } = {},
): DriftReport {
  const updates = plan.changes.filter((c) => c.action === 'update').map(drifted).sort(byFileThenId);
  // A meeting Webex will not let us update still differs from its file: that is drift too, with a reason.
  const notUpdatable = plan.changes
    .filter((c) => c.action === 'notUpdatable' && Object.keys(c.patch).length > 0)
    .map((c) => ({ ...drifted(c), reason: c.reason ?? 'not updatable' }))
    .sort(byFileThenId);
  const errors = [
    ...plan.changes.filter((c) => c.action === 'error').map((c) => ({ id: c.id, file: c.file, message: c.reason ?? 'could not be planned' })),
    ...(extra.errors ?? []),
  ].sort(byFileThenId);
  const unmanaged = [...(extra.unmanaged ?? [])].sort((a, b) => compareStrings(a.title ?? '', b.title ?? '') || compareStrings(a.id, b.id));
  const inSyncCount = plan.changes.filter((c) => c.action === 'noop' || (c.action === 'notUpdatable' && Object.keys(c.patch).length === 0)).length;
  return {
    inSync: updates.length === 0 && notUpdatable.length === 0 && unmanaged.length === 0 && errors.length === 0,
    checkedAt: plan.createdAt,
    baseUrl: plan.baseUrl,
    summary: {
      managed: plan.changes.length,
      inSync: inSyncCount,
      drifted: updates.length,
      notUpdatable: notUpdatable.length,
      unmanaged: unmanaged.length,
      errors: errors.length,
    },
    drifted: updates,
    unmanaged,
    notUpdatable,
    errors,
    checkedUnmanaged: extra.checkedUnmanaged === true,
  };
}

export function driftExitCode(report: DriftReport): number {
  if (report.errors.length > 0) return EXIT_ERROR;
  return report.inSync ? EXIT_IN_SYNC : EXIT_DRIFT;
}

/** The one-line status for stderr. */
export function driftStatusLine(report: DriftReport): string {
  const s = report.summary;
  if (s.errors > 0) return `meetctl drift: ${plural(s.errors, 'error')}; ${plural(s.drifted + s.notUpdatable, 'meeting')} drifted (exit 1)`;
  if (report.inSync) return `meetctl drift: in sync (${plural(s.managed, 'managed meeting')})`;
  const parts = [`${plural(s.drifted + s.notUpdatable, 'meeting')} drifted`];
  if (s.unmanaged > 0) parts.push(`${plural(s.unmanaged, 'unmanaged series', 'unmanaged series')}`);
  return `meetctl drift: ${parts.join(', ')} (exit 2)`;
}

export function driftHeadline(report: DriftReport): string {
  const s = report.summary;
  const unmanaged = report.checkedUnmanaged ? `, ${s.unmanaged} unmanaged` : '';
  return `${s.drifted} drifted, ${s.inSync} in sync, ${s.notUpdatable} not updatable${unmanaged}, ${plural(s.errors, 'error')}`;
}

export const IN_SYNC_TEXT = 'No drift: every managed meeting matches its file.';
export const DRIFT_ADVICE = 'Run `meetctl plan` to review and `meetctl apply` to restore the files, or edit the files to accept the live values.';
