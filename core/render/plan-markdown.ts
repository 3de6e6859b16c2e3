/**
 * The plan as a pull-request comment: summary table first, then the deletions, plainly and never
 * folded, then one collapsible section per created or changed object, or per group of identical
 * changes; a small plan's sections are open. Orphans are listed with what --prune would do.
 */
import type { Change, Orphan, Plan } from '../plan.js';
import { actionWord, CANNOT_RECOVER, type KindWords } from './actions.js';
import { countOf, type RenderWords } from './words.js';
import {
  createGroups,
  deletes,
  dependencyNote,
  fieldLines,
  groupByFile,
  NO_FILE,
  noopsWithWarnings,
  orphansHeading,
  planClosing,
  PRUNE_HINT,
  SENSITIVE_TEXT,
  type FieldLine,
} from './changes.js';
import { COMMENT_LIMIT, fitMarkdown, htmlText, mdCode, mdTable, mdText, overLimit, type MdGroup } from './markdown.js';
import { identicalGroups, isSmallPlan, type IdenticalGroup } from './identical.js';
import { elideMiddle, formatPair, formatValue, plural } from './sanitize.js';

export interface MarkdownOptions {
  /** The longest comment to produce (GitHub's limit by default). */
  maxChars?: number;
  /** The provider's words (core/render/words). */
  words: RenderWords;
}

/** The counts table; the create and delete columns appear only when the plan has some, so older comments read the same. */
function countsTable(plan: Plan): string {
  const s = plan.summary;
  const columns: [string, number][] = [
    ...(s.create === 0 && s.delete === 0 ? [] : ([['Create', s.create]] as [string, number][])),
    ['Update', s.update],
    ...(s.create === 0 && s.delete === 0 ? [] : ([['Delete', s.delete]] as [string, number][])),
    ['Unchanged', s.noop],
    ['Not updatable', s.notUpdatable],
    ['Errors', s.error],
    ['Warnings', s.warnings],
  ];
  return mdTable(columns.map(([name]) => name), [columns.map(([, n]) => String(n))], columns.map(() => '---:'));
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions): string {
  const maxChars = options.maxChars ?? COMMENT_LIMIT;
  const words = options.words;
  const kinds = words.kinds;
  const head =
    '### meetctl plan\n\n' +
    countsTable(plan) +
    '\n' +
    plan.notes.map((n) => `> ${mdText(n)}\n\n`).join('') +
    `${planClosing(plan, words)}\n\n`;

  const open = isSmallPlan(plan);
  const identical = identicalGroups(plan);
  const changes = groupByFile(plan, identical.grouped).flatMap((g) => g.changes);
  const singles = changes.filter((c) => c.action === 'update');
  const updates = [...identical.groups.map((g) => identicalSection(g, plan, open, words)), ...singles.map((c) => updateSection(c, plan, open))];
  const weights = [...identical.groups.map((g) => g.changes.length), ...singles.map(() => 1)];
  const created = createGroups(plan).flatMap((g) => g.changes);
  // Deletions are kept before anything else when the comment is too long: they cannot be undone.
  const groups: MdGroup[] = [
    { header: `#### To delete (${CANNOT_RECOVER})\n\n`, items: deletes(plan).map((c) => deleteItem(c, plan, kinds)), trailer: '\n', priority: -1 },
    { header: '', items: created.map((c) => createSection(c, plan, open, kinds)), trailer: '', priority: 2 },
    { header: '', items: updates, trailer: '', priority: 2, weights },
    { header: '#### Not updatable\n\n', items: changes.filter((c) => c.action === 'notUpdatable').map(listItem), trailer: '\n', priority: 1 },
    { header: '#### Errors\n\n', items: changes.filter((c) => c.action === 'error').map(listItem), trailer: '\n', priority: 0 },
    { header: `#### ${orphansHeading(plan.orphans.length)}\n\n`, items: plan.orphans.map(orphanItem), trailer: `\n${mdText(PRUNE_HINT)}\n\n`, priority: 1 },
    { header: `#### Warnings on unchanged ${words.objects}\n\n`, items: noopsWithWarnings(plan).map(noopWarningItem), trailer: '\n', priority: 3 },
  ];
  const footer = (dropped: number, over: number) =>
    `… ${dropped.toLocaleString('en-US')} more ${dropped === 1 ? words.object : words.objects} not shown (${overLimit(over, maxChars)}); run \`meetctl plan\` for the full plan.\n`;
  return fitMarkdown({ head, groups }, maxChars, footer);
}

function title(change: Change): string {
  return change.label === undefined ? '' : ` “${htmlText(elideMiddle(change.label))}”`;
}

/** A small plan's sections are open: there is little to read, and nothing should need a click. */
function detailsTag(open: boolean): string {
  return open ? '<details open>' : '<details>';
}

/** `- − delete series ID "label" · FILE`: plain, never folded, so that no reviewer misses one. */
function deleteItem(change: Change, plan: Plan, words: KindWords | undefined): string {
  const word = actionWord({ kind: change.kind, action: 'delete' }, words);
  const label = change.label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(change.label)))}`;
  const where = change.prune ? ` · ${change.key === undefined ? '' : `key ${mdCode(change.key)}: `}${NO_FILE}` : change.file === '' ? '' : ` · ${mdCode(change.file)}`;
  const note = dependencyNote(change, plan);
  const warnings = change.warnings.map((w) => `  - ⚠️ ${mdText(w)}\n`).join('');
  return `- \\- **${mdText(word.verb)}** ${mdText(change.kind)} ${mdCode(change.id)}${label}${where}${note ? ` ${mdText(note)}` : ''}\n${warnings}`;
}

/** A create: the body it sends, field by field, secrets masked. */
function createSection(change: Change, plan: Plan, open: boolean, words: KindWords | undefined): string {
  const word = actionWord({ kind: change.kind, action: 'create' }, words);
  const note = dependencyNote(change, plan);
  const summary =
    `+ ${htmlText(word.verb)} ${htmlText(change.kind)} <code>${htmlText(change.key ?? change.id)}</code>${title(change)}` +
    ` · <code>${htmlText(change.file)}</code>${note ? ` ${htmlText(note)}` : ''}`;
  const rows = fieldLines(change).map((line) => [mdCode(line.path, true), line.sensitive ? SENSITIVE_TEXT : mdCode(formatValue(line.after), true)]);
  let body = `${detailsTag(open)}<summary>${summary}</summary>\n\n`;
  body += mdTable(['Field', 'Value'], rows);
  if (change.warnings.length > 0) body += '\n' + change.warnings.map((w) => `- ⚠️ ${mdText(w)}\n`).join('');
  return `${body}\n</details>\n\n`;
}

function orphanItem(o: Orphan): string {
  return `- ${mdCode(o.key)} · ${mdCode(o.id)}${o.label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(o.label)))}`}\n`;
}

function updateSection(change: Change, plan: Plan, open: boolean): string {
  const note = dependencyNote(change, plan);
  const summary =
    `~ ${htmlText(change.kind)} <code>${htmlText(change.id)}</code>${title(change)}` +
    ` · <code>${htmlText(change.file)}</code>${note ? ` ${htmlText(note)}` : ''}`;
  const rows = fieldLines(change).map(fieldRow);
  let body = `${detailsTag(open)}<summary>${summary}</summary>\n\n`;
  body += mdTable(['Field', 'Before', 'After'], rows);
  if (change.warnings.length > 0) body += '\n' + change.warnings.map((w) => `- ⚠️ ${mdText(w)}\n`).join('');
  return `${body}\n</details>\n\n`;
}

/** Beyond this many, a group's list of objects ends with a count: one group must not fill the comment alone. */
const MAX_LISTED = 100;

/** Identical updates, once: the change in the summary, its table, then the objects that make it. */
function identicalSection(group: IdenticalGroup, plan: Plan, open: boolean, words: RenderWords): string {
  const shown = group.lines.slice(0, 2).map(lineSummary).join(', ');
  const more = group.lines.length > 2 ? ` and ${plural(group.lines.length - 2, 'more field')}` : '';
  const summary = `~ ${countOf(group.changes.length, words)}, the same change: ${shown}${more}`;
  let body = `${detailsTag(open)}<summary>${summary}</summary>\n\n`;
  body += mdTable(['Field', 'Before', 'After'], group.lines.map(fieldRow));
  const warnings = group.changes[0].warnings;
  if (warnings.length > 0) body += '\n' + warnings.map((w) => `- ⚠️ ${mdText(w)}\n`).join('');
  body += `\n${countOf(group.changes.length, words)}:\n\n`;
  body += group.changes.slice(0, MAX_LISTED).map((c) => memberItem(c, plan)).join('');
  const unlisted = group.changes.length - MAX_LISTED;
  if (unlisted > 0) body += `- … and ${countOf(unlisted, words, 'more')}: \`meetctl plan\` lists them all\n`;
  return `${body}\n</details>\n\n`;
}

function lineSummary(line: FieldLine): string {
  const field = `<code>${htmlText(line.path)}</code>`;
  if (line.sensitive) return `${field} ${SENSITIVE_TEXT}`;
  if (line.before === undefined || line.before === null) return `${field} → <code>${htmlText(formatValue(line.after))}</code>`;
  const shown = formatPair(line.before, line.after);
  return `${field} <code>${htmlText(shown.before)}</code> → <code>${htmlText(shown.after)}</code>`;
}

function memberItem(change: Change, plan: Plan): string {
  const label = change.label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(change.label)))}`;
  const note = dependencyNote(change, plan);
  return `- ${mdText(change.kind)} ${mdCode(change.id)}${label} · ${mdCode(change.file)}${note ? ` ${mdText(note)}` : ''}\n`;
}

function fieldRow(line: FieldLine): string[] {
  const field = mdCode(line.path, true);
  if (line.sensitive) return [field, SENSITIVE_TEXT, SENSITIVE_TEXT];
  if (line.before === undefined || line.before === null) return [field, '*(none)*', mdCode(formatValue(line.after), true)];
  const shown = formatPair(line.before, line.after);
  return [field, mdCode(shown.before, true), mdCode(shown.after, true)];
}

function listItem(change: Change): string {
  const label = change.label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(change.label)))}`;
  const warnings = change.warnings.map((w) => `  - ⚠️ ${mdText(w)}\n`).join('');
  return `- ${mdCode(change.file)} · ${mdText(change.kind)} ${mdCode(change.id)}${label}: ${mdText(change.reason ?? 'no reason given')}\n${warnings}`;
}

/** `- ⚠️ file: warning` per warning: an unchanged object sends nothing, so no table, just what the server does differently. */
function noopWarningItem(change: Change): string {
  return change.warnings.map((w) => `- ⚠️ ${mdCode(change.file)}: ${mdText(w)}\n`).join('');
}
