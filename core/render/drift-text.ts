/** The drift report for a terminal or a schedule's log. */
import type { JsonValue } from '../plan.js';
import { paint } from './ansi.js';
import { SENSITIVE_TEXT } from './changes.js';
import {
  driftClosing,
  driftHeadline,
  missingText,
  ORPHANS_ADVICE,
  type DriftedObject,
  type DriftField,
  type DriftReport,
  type MissingObject,
  type OrphanedObject,
  type UnmanagedObject,
} from './drift-report.js';
import { capitalized, type RenderWords, type UnmanagedWords } from './words.js';
import { formatLabel, formatPair, formatText } from './sanitize.js';

function fieldText(f: DriftField): string {
  const shown = formatPair(f.live, f.desired);
  const show = (v: JsonValue, text: string) => (v === SENSITIVE_TEXT ? SENSITIVE_TEXT : v === null ? '(none)' : text);
  return `${formatText(f.field)}: live ${show(f.live, shown.before)}, desired ${show(f.desired, shown.after)}`;
}

function objectHeading(m: DriftedObject): string {
  const label = m.label === undefined ? '' : `  ${formatLabel(m.label)}`;
  return `${formatText(m.kind)} ${formatText(m.id)}${label}  (${formatText(m.file)})`;
}

export function renderDriftText(report: DriftReport, options: { color: boolean; words: RenderWords }): string {
  const p = paint(options.color);
  const lines: string[] = [p.bold(p.cyan(`meetctl drift — ${driftHeadline(report)}`)), ''];
  if (report.notes.length > 0) lines.push(...report.notes.map((n) => `${p.cyan('i')} ${formatText(n)}`), '');
  const header = lines.length;
  for (const m of report.drifted) {
    lines.push(`${p.yellow('~')} ${objectHeading(m)}`);
    for (const f of m.fields) lines.push(`    ${fieldText(f)}`);
    for (const w of m.warnings) lines.push(`    ${p.yellow('!')} warning: ${formatText(w)}`);
  }
  for (const m of report.notUpdatable) {
    lines.push(`${p.yellow('!')} ${objectHeading(m)}: not updatable: ${formatText(m.reason)}`);
    for (const f of m.fields) lines.push(`    ${fieldText(f)}`);
  }
  for (const m of report.missing) lines.push(`${p.green('+')} ${missingLine(m)}`);
  if (report.orphans.length > 0) {
    lines.push(`${p.cyan('Orphaned')} (owned, but no file declares them; ${ORPHANS_ADVICE}):`);
    for (const o of report.orphans) lines.push(`  ${p.red('-')} ${orphanText(o)}`);
  }
  if (report.unmanaged.length > 0) {
    lines.push(`${p.cyan(capitalized(`unmanaged ${options.words.unmanaged.noun.many}`))} (no file declares them):`);
    for (const u of report.unmanaged) lines.push(`  + ${unmanagedText(u, options.words.unmanaged)}`);
  }
  for (const e of report.errors) lines.push(`${p.red('✗')} ${e.file ? `${formatText(e.file)}: ` : ''}${formatText(e.message)}`);
  if (lines.length > header) lines.push('');
  lines.push(driftClosing(report, options.words));
  return `${lines.join('\n')}\n`;
}

function missingLine(m: MissingObject): string {
  const label = m.label === undefined ? '' : ` ${formatLabel(m.label)}`;
  return `${formatText(m.kind)}${label}: ${formatText(missingText(m))}`;
}

function orphanText(o: OrphanedObject): string {
  const label = o.label === undefined ? '' : `  ${formatLabel(o.label)}`;
  return `key ${formatText(o.key)}  ${formatText(o.id)}${label}`;
}

function unmanagedText(u: UnmanagedObject, words: UnmanagedWords): string {
  const label = u[words.label];
  const facts = words.facts.map(({ field, word }) => (u[field] === undefined ? '' : `  ${word} ${formatText(u[field] as string)}`));
  return `${formatText(u.id)}${label === undefined ? '' : `  ${formatLabel(label)}`}${facts.join('')}`;
}

