/** The plan for a terminal, Terraform-like: identical changes once, then per file, meeting and field. */
import type { Change, Plan } from '../plan.js';
import { paint, type Paint } from './ansi.js';
import { dependencyNote, fieldLines, groupAction, groupByFile, noopsWithWarnings, planClosing, planSummaryLine, SENSITIVE_TEXT, type FieldLine } from './changes.js';
import { identicalGroups, type IdenticalGroup } from './identical.js';
import { formatLabel, formatText, formatValue, plural } from './sanitize.js';

export interface TextOptions {
  color: boolean;
}

export function renderPlanText(plan: Plan, options: TextOptions): string {
  const p = paint(options.color);
  const lines: string[] = [p.bold(p.cyan(`meetctl plan — ${planSummaryLine(plan.summary)}`)), ''];
  if (plan.notes.length > 0) lines.push(...plan.notes.map((n) => `${p.cyan('i')} ${formatText(n)}`), '');
  const identical = identicalGroups(plan);
  for (const group of identical.groups) lines.push(...identicalLines(group, plan, p));
  const groups = groupByFile(plan, identical.grouped);
  for (const group of groups) {
    lines.push(`${marker(groupAction(group), p)} ${p.cyan(formatText(group.file))}`);
    for (const change of group.changes) lines.push(...changeLines(change, plan, p));
  }
  if (groups.length + identical.groups.length > 0) lines.push('');
  // Unchanged meetings send nothing, but what they warn about (a rule Webex stores differently) still needs reading.
  const noops = noopsWithWarnings(plan);
  for (const c of noops) for (const w of c.warnings) lines.push(`${p.yellow('!')} ${p.cyan(formatText(c.file))}: ${formatText(w)}`);
  if (noops.length > 0) lines.push('');
  lines.push(planClosing(plan));
  return `${lines.join('\n')}\n`;
}

function marker(action: Change['action'], p: Paint): string {
  if (action === 'error') return p.red('✗');
  if (action === 'notUpdatable') return p.yellow('!');
  return p.yellow('~');
}

function heading(change: Change): string {
  const label = change.label === undefined ? '' : `  ${formatLabel(change.label)}`;
  return `${formatText(change.kind)} ${formatText(change.id)}${label}`;
}

function changeLines(change: Change, plan: Plan, p: Paint): string[] {
  const warnings = change.warnings.map((w) => `      ${p.yellow('!')} warning: ${formatText(w)}`);
  if (change.action === 'notUpdatable') {
    return [`  ${p.yellow('!')} not updatable ${heading(change)}: ${formatText(change.reason ?? 'no reason given')}`, ...warnings];
  }
  if (change.action === 'error') {
    return [`  ${p.red('✗')} error ${heading(change)}: ${formatText(change.reason ?? 'no reason given')}`, ...warnings];
  }
  const note = dependencyNote(change, plan);
  const head = `  ${p.yellow('~')} ${heading(change)}${note ? `  ${formatText(note)}` : ''}`;
  return [head, ...fieldLines(change).map((line) => `      ${fieldLine(line, p)}`), ...warnings];
}

/** The field changes once, then every meeting that makes them, each with its file. */
function identicalLines(group: IdenticalGroup, plan: Plan, p: Paint): string[] {
  const first = group.changes[0];
  return [
    `${p.yellow('~')} ${p.bold(plural(group.changes.length, 'meeting'))}, the same change:`,
    ...group.lines.map((line) => `      ${fieldLine(line, p)}`),
    ...first.warnings.map((w) => `      ${p.yellow('!')} warning: ${formatText(w)}`),
    ...group.changes.map((c) => {
      const note = dependencyNote(c, plan);
      return `  ${p.yellow('~')} ${heading(c)}  ${p.cyan(formatText(c.file))}${note ? `  ${formatText(note)}` : ''}`;
    }),
  ];
}

function fieldLine(line: FieldLine, p: Paint): string {
  const sign = line.sign === '+' ? p.green('+') : line.sign === '-' ? p.red('-') : p.yellow('~');
  const path = formatText(line.path);
  if (line.sensitive) return `${sign} ${path}: ${SENSITIVE_TEXT}`;
  if (line.sign === '+') return `${sign} ${path}: ${formatValue(line.after)}`;
  return `${sign} ${path}: ${formatValue(line.before)} → ${formatValue(line.after)}`;
}
