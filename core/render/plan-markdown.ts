/** The plan as a pull-request comment: summary table first, one collapsible section per changed meeting. */
import type { Change, Plan } from '../plan.js';
import { dependencyNote, fieldLines, groupByFile, noopsWithWarnings, planClosing, SENSITIVE_TEXT, type FieldLine } from './changes.js';
import { COMMENT_LIMIT, fitMarkdown, htmlText, mdCode, mdTable, mdText, type MdGroup } from './markdown.js';
import { elideMiddle, formatValue } from './sanitize.js';

export interface MarkdownOptions {
  /** The longest comment to produce (GitHub's limit by default). */
  maxChars?: number;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? COMMENT_LIMIT;
  const s = plan.summary;
  const head =
    '### meetctl plan\n\n' +
    mdTable(['Update', 'Unchanged', 'Not updatable', 'Errors', 'Warnings'], [[s.update, s.noop, s.notUpdatable, s.error, s.warnings].map(String)], [
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
    ]) +
    '\n' +
    plan.notes.map((n) => `> ${mdText(n)}\n\n`).join('') +
    `${planClosing(plan)}\n\n`;

  const changes = groupByFile(plan).flatMap((g) => g.changes);
  const groups: MdGroup[] = [
    { header: '', items: changes.filter((c) => c.action === 'update').map((c) => updateSection(c, plan)), trailer: '', priority: 2 },
    { header: '#### Not updatable\n\n', items: changes.filter((c) => c.action === 'notUpdatable').map(listItem), trailer: '\n', priority: 1 },
    { header: '#### Errors\n\n', items: changes.filter((c) => c.action === 'error').map(listItem), trailer: '\n', priority: 0 },
    { header: '#### Warnings on unchanged meetings\n\n', items: noopsWithWarnings(plan).map(noopWarningItem), trailer: '\n', priority: 3 },
  ];
  const footer = (dropped: number, over: number) =>
    `… ${dropped.toLocaleString('en-US')} more ${dropped === 1 ? 'meeting' : 'meetings'} not shown (${over.toLocaleString('en-US')} characters over the ` +
    `${maxChars.toLocaleString('en-US')} limit of a comment); run \`meetctl plan\` for the full plan.\n`;
  return fitMarkdown({ head, groups }, maxChars, footer);
}

function title(change: Change): string {
  return change.label === undefined ? '' : ` “${htmlText(elideMiddle(change.label))}”`;
}

function updateSection(change: Change, plan: Plan): string {
  const note = dependencyNote(change, plan);
  const summary =
    `~ ${htmlText(change.kind)} <code>${htmlText(change.meetingId)}</code>${title(change)}` +
    ` · <code>${htmlText(change.file)}</code>${note ? ` ${htmlText(note)}` : ''}`;
  const rows = fieldLines(change).map(fieldRow);
  let body = `<details><summary>${summary}</summary>\n\n`;
  body += mdTable(['Field', 'Before', 'After'], rows);
  if (change.warnings.length > 0) body += '\n' + change.warnings.map((w) => `- ⚠️ ${mdText(w)}\n`).join('');
  return `${body}\n</details>\n\n`;
}

function fieldRow(line: FieldLine): string[] {
  const field = mdCode(line.path, true);
  if (line.sensitive) return [field, SENSITIVE_TEXT, SENSITIVE_TEXT];
  const before = line.before === undefined || line.before === null ? '*(none)*' : mdCode(formatValue(line.before), true);
  return [field, before, mdCode(formatValue(line.after), true)];
}

function listItem(change: Change): string {
  const label = change.label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(change.label)))}`;
  const warnings = change.warnings.map((w) => `  - ⚠️ ${mdText(w)}\n`).join('');
  return `- ${mdCode(change.file)} · ${mdText(change.kind)} ${mdCode(change.meetingId)}${label}: ${mdText(change.reason ?? 'no reason given')}\n${warnings}`;
}

/** `- ⚠️ file: warning` per warning: an unchanged meeting sends nothing, so no table, just what Webex does differently. */
function noopWarningItem(change: Change): string {
  return change.warnings.map((w) => `- ⚠️ ${mdCode(change.file)}: ${mdText(w)}\n`).join('');
}
