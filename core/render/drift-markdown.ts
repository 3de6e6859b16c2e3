/** The drift report as a PR or issue body: the summary table first, details folded. */
import type { JsonValue } from '../plan.js';
import { SENSITIVE_TEXT } from './changes.js';
import {
  driftClosing,
  type DriftedObject,
  type DriftField,
  type DriftError,
  type DriftReport,
  type MissingObject,
  type OrphanedObject,
  type UnmanagedObject,
} from './drift-report.js';
import { capitalized, type RenderWords, type UnmanagedWords } from './words.js';
import { COMMENT_LIMIT, fitMarkdown, htmlText, mdCode, mdTable, mdText, overLimit, type MdGroup } from './markdown.js';
import { elideMiddle, formatPair } from './sanitize.js';

function mdValue(v: JsonValue, shown: string): string {
  if (v === SENSITIVE_TEXT) return `*${SENSITIVE_TEXT}*`;
  if (v === null) return '*(none)*';
  return mdCode(shown, true);
}

function fieldRow(f: DriftField): string[] {
  const shown = formatPair(f.live, f.desired);
  return [mdCode(f.field, true), mdValue(f.live, shown.before), mdValue(f.desired, shown.after)];
}

function mdSection(m: DriftedObject, reason?: string): string {
  const title = m.label === undefined ? '' : ` “${htmlText(elideMiddle(m.label))}”`;
  const marker = reason === undefined ? '~' : '!';
  const summary = `${marker} ${htmlText(m.kind)} <code>${htmlText(m.id)}</code>${title} · <code>${htmlText(m.file)}</code>`;
  let body = `<details><summary>${summary}</summary>\n\n`;
  if (reason !== undefined) body += `Not updatable: ${mdText(reason)}\n\n`;
  body += mdTable(['Field', 'Live', 'Desired'], m.fields.map(fieldRow));
  if (m.warnings.length > 0) body += '\n' + m.warnings.map((w) => `- ⚠️ ${mdText(w)}\n`).join('');
  return `${body}\n</details>\n\n`;
}

function mdUnmanaged(u: UnmanagedObject, words: UnmanagedWords): string {
  const label = u[words.label];
  const facts = words.facts.map(({ field, word }) => (u[field] === undefined ? '' : ` · ${word} ${mdCode(u[field] as string)}`));
  return `- ${mdCode(u.id)}${label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(label)))}`}${facts.join('')}\n`;
}

function mdLabel(label: string | undefined): string {
  return label === undefined ? '' : ` “${htmlText(elideMiddle(label))}”`;
}

function mdMissing(m: MissingObject): string {
  return `- ${htmlText(m.kind)}${mdLabel(m.label)}: declared by ${mdCode(m.file)} (key ${mdCode(m.key)}) but not found: it was deleted outside git, or never created — \`meetctl apply\` would create it\n`;
}

function mdOrphan(o: OrphanedObject): string {
  return `- key ${mdCode(o.key)} · ${mdCode(o.id)}${mdLabel(o.label)}\n`;
}

function mdError(e: DriftError): string {
  const where = [e.file ? mdCode(e.file) : '', e.id ? mdCode(e.id) : ''].filter(Boolean).join(' · ');
  return `- ${where ? `${where}: ` : ''}${mdText(e.message)}\n`;
}

/** A PR or issue body: the summary table first, details folded, never longer than `maxChars`. */
export function renderDriftMarkdown(report: DriftReport, options: { maxChars?: number; words: RenderWords }): string {
  const maxChars = options.maxChars ?? COMMENT_LIMIT;
  const s = report.summary;
  // Missing and orphaned have a column only when there are some: most reports have none.
  const columns: [string, number, boolean][] = [
    ['Drifted', s.drifted, true],
    ['In sync', s.inSync, true],
    ['Not updatable', s.notUpdatable, true],
    ['Missing', s.missing, s.missing > 0],
    ['Orphaned', s.orphaned, s.orphaned > 0],
    ['Unmanaged', s.unmanaged, report.checkedUnmanaged],
    ['Errors', s.errors, true],
  ];
  const shown = columns.filter(([, , show]) => show);
  const header = shown.map(([name]) => name);
  const row = shown.map(([, count]) => String(count));
  const closing = driftClosing(report, options.words);
  const head =
    '### meetctl drift\n\n' +
    mdTable(header, [row], header.map(() => '---:')) +
    '\n' +
    `Checked ${mdCode(report.checkedAt)} against ${mdCode(report.baseUrl)}. ${closing}\n\n` +
    report.notes.map((n) => `> ${mdText(n)}\n\n`).join('');
  const groups: MdGroup[] = [
    { header: '#### Errors\n\n', items: report.errors.map(mdError), trailer: '\n', priority: 0 },
    { header: '#### Missing\n\n', items: report.missing.map(mdMissing), trailer: '\n', priority: 0 },
    { header: '#### Orphaned\n\nOwned, but no file declares them: `meetctl plan --prune` would delete them.\n\n', items: report.orphans.map(mdOrphan), trailer: '\n', priority: 0 },
    { header: '#### Drifted\n\n', items: report.drifted.map((m) => mdSection(m)), trailer: '', priority: 1 },
    { header: '#### Not updatable\n\n', items: report.notUpdatable.map((m) => mdSection(m, m.reason)), trailer: '', priority: 2 },
    { header: `#### ${capitalized(`unmanaged ${options.words.unmanaged.noun.many}`)}\n\n`, items: report.unmanaged.map((u) => mdUnmanaged(u, options.words.unmanaged)), trailer: '\n', priority: 3 },
  ];
  const footer = (dropped: number, over: number) =>
    `… ${dropped.toLocaleString('en-US')} more ${dropped === 1 ? 'entry' : 'entries'} not shown (${overLimit(over, maxChars, 'limit')}); run \`meetctl drift\` for the full report.\n`;
  return fitMarkdown({ head, groups }, maxChars, footer);
}

