/** The drift report for a terminal or a schedule's log. */
import type { JsonValue } from '../plan.js';
import { paint } from './ansi.js';
import { SENSITIVE_TEXT } from './changes.js';
import { DRIFT_ADVICE, driftHeadline, IN_SYNC_TEXT, type DriftedMeeting, type DriftField, type DriftReport, type UnmanagedSeries } from './drift-report.js';
import { formatLabel, formatText, formatValue } from './sanitize.js';

function fieldText(f: DriftField): string {
  const show = (v: JsonValue) => (v === SENSITIVE_TEXT ? SENSITIVE_TEXT : v === null ? '(none)' : formatValue(v));
  return `${formatText(f.field)}: live ${show(f.live)}, desired ${show(f.desired)}`;
}

function meetingHeading(m: DriftedMeeting): string {
  const label = m.label === undefined ? '' : `  ${formatLabel(m.label)}`;
  return `${formatText(m.kind)} ${formatText(m.id)}${label}  (${formatText(m.file)})`;
}

export function renderDriftText(report: DriftReport, options: { color: boolean }): string {
  const p = paint(options.color);
  const lines: string[] = [p.bold(p.cyan(`meetctl drift — ${driftHeadline(report)}`)), ''];
  for (const m of report.drifted) {
    lines.push(`${p.yellow('~')} ${meetingHeading(m)}`);
    for (const f of m.fields) lines.push(`    ${fieldText(f)}`);
    for (const w of m.warnings) lines.push(`    ${p.yellow('!')} warning: ${formatText(w)}`);
  }
  for (const m of report.notUpdatable) {
    lines.push(`${p.yellow('!')} ${meetingHeading(m)}: not updatable: ${formatText(m.reason)}`);
    for (const f of m.fields) lines.push(`    ${fieldText(f)}`);
  }
  if (report.unmanaged.length > 0) {
    lines.push(`${p.cyan('Unmanaged series')} (no file declares them):`);
    for (const u of report.unmanaged) lines.push(`  + ${unmanagedText(u)}`);
  }
  for (const e of report.errors) lines.push(`${p.red('✗')} ${e.file ? `${formatText(e.file)}: ` : ''}${formatText(e.message)}`);
  if (lines.length > 2) lines.push('');
  lines.push(report.inSync ? IN_SYNC_TEXT : report.errors.length > 0 && report.drifted.length === 0 ? 'Some meetings could not be checked.' : DRIFT_ADVICE);
  return `${lines.join('\n')}\n`;
}

function unmanagedText(u: UnmanagedSeries): string {
  const title = u.title === undefined ? '' : `  ${formatLabel(u.title)}`;
  const start = u.start === undefined ? '' : `  starts ${formatText(u.start)}`;
  const host = u.hostEmail === undefined ? '' : `  host ${formatText(u.hostEmail)}`;
  return `${formatText(u.id)}${title}${start}${host}`;
}

