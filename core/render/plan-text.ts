/**
 * The plan for a terminal, Terraform-like: deletions first and plainly, then creates with the body
 * they send, then identical changes once, then updates per file, object and field; orphans last.
 */
import type { Change, Plan } from '../plan.js';
import { actionWord, CANNOT_RECOVER, type KindWords } from './actions.js';
import { countOf, type RenderWords } from './words.js';
import { paint, type Paint } from './ansi.js';
import {
  createGroups,
  deletes,
  dependencyNote,
  fieldLines,
  groupAction,
  groupByFile,
  NO_FILE,
  noopsWithWarnings,
  orphansHeading,
  planClosing,
  planSummaryLine,
  PRUNE_HINT,
  SENSITIVE_TEXT,
  type FieldLine,
} from './changes.js';
import { identicalGroups, type IdenticalGroup } from './identical.js';
import { formatLabel, formatPair, formatText, formatValue } from './sanitize.js';

export interface TextOptions {
  color: boolean;
  /** The provider's words (core/render/words). */
  words: RenderWords;
}

export function renderPlanText(plan: Plan, options: TextOptions): string {
  const p = paint(options.color);
  const lines: string[] = [p.bold(p.cyan(`meetctl plan — ${planSummaryLine(plan.summary)}`)), ''];
  if (plan.notes.length > 0) lines.push(...plan.notes.map((n) => `${p.cyan('i')} ${formatText(n)}`), '');
  const removed = deletes(plan);
  for (const change of removed) lines.push(...deleteLines(change, plan, p, options.words.kinds));
  const created = createGroups(plan);
  for (const group of created) {
    lines.push(`${p.green('+')} ${p.cyan(formatText(group.file))}`);
    for (const change of group.changes) lines.push(...createLines(change, plan, p, options.words.kinds));
  }
  const identical = identicalGroups(plan);
  for (const group of identical.groups) lines.push(...identicalLines(group, plan, p, options.words));
  const groups = groupByFile(plan, identical.grouped);
  for (const group of groups) {
    lines.push(`${marker(groupAction(group), p)} ${p.cyan(formatText(group.file))}`);
    for (const change of group.changes) lines.push(...changeLines(change, plan, p));
  }
  if (removed.length + created.length + groups.length + identical.groups.length > 0) lines.push('');
  if (plan.orphans.length > 0) {
    lines.push(p.bold(orphansHeading(plan.orphans.length)));
    for (const o of plan.orphans) lines.push(`  ${formatText(o.key)}  ${formatText(o.id)}${o.label === undefined ? '' : `  ${formatLabel(o.label)}`}`);
    lines.push(PRUNE_HINT, '');
  }
  // Unchanged objects send nothing, but what they warn about (a value the server stores differently) still needs reading.
  const noops = noopsWithWarnings(plan);
  for (const c of noops) for (const w of c.warnings) lines.push(`${p.yellow('!')} ${p.cyan(formatText(c.file))}: ${formatText(w)}`);
  if (noops.length > 0) lines.push('');
  lines.push(planClosing(plan, options.words));
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

function warningLines(change: Change, p: Paint): string[] {
  return change.warnings.map((w) => `      ${p.yellow('!')} warning: ${formatText(w)}`);
}

/** `- delete series ID  "label"  FILE — cannot be recovered`: one line that needs no field to be understood. */
function deleteLines(change: Change, plan: Plan, p: Paint, words: KindWords | undefined): string[] {
  const word = actionWord({ kind: change.kind, action: 'delete' }, words);
  const where = change.prune ? `  (${change.key === undefined ? '' : `key ${formatText(change.key)}: `}${NO_FILE})` : change.file === '' ? '' : `  ${p.cyan(formatText(change.file))}`;
  const note = dependencyNote(change, plan);
  return [`${p.red('-')} ${p.bold(p.red(word.verb))} ${heading(change)}${where}${note ? `  ${formatText(note)}` : ''} — ${CANNOT_RECOVER}`, ...warningLines(change, p)];
}

/** `+ create series KEY  "label"`, then every field of the body it sends, secrets masked. */
function createLines(change: Change, plan: Plan, p: Paint, words: KindWords | undefined): string[] {
  const word = actionWord({ kind: change.kind, action: 'create' }, words);
  const label = change.label === undefined ? '' : `  ${formatLabel(change.label)}`;
  const note = dependencyNote(change, plan);
  const head = `  ${p.green('+')} ${word.verb} ${formatText(change.kind)} ${formatText(change.key ?? change.id)}${label}${note ? `  ${formatText(note)}` : ''}`;
  return [head, ...fieldLines(change).map((line) => `      ${fieldLine(line, p)}`), ...warningLines(change, p)];
}

function changeLines(change: Change, plan: Plan, p: Paint): string[] {
  const warnings = warningLines(change, p);
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

/** The field changes once, then every object that makes them, each with its file. */
function identicalLines(group: IdenticalGroup, plan: Plan, p: Paint, words: RenderWords): string[] {
  const first = group.changes[0];
  return [
    `${p.yellow('~')} ${p.bold(countOf(group.changes.length, words))}, the same change:`,
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
  const shown = formatPair(line.before, line.after);
  return `${sign} ${path}: ${shown.before} → ${shown.after}`;
}
