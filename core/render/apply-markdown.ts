/**
 * What apply did, as a pull-request comment: interruption first, the counts and the provider's
 * closing sentence, then what needs a human (not applied, verification warnings), then one collapsible
 * section per applied object with the fields that were sent, secrets masked as in the plan.
 */
import type { Change } from '../plan.js';
import type { ApplyReport, ChangeOutcome } from '../report.js';
import { actionWord, CANNOT_RECOVER, type KindWords } from './actions.js';
import { fieldLines, SENSITIVE_TEXT, type FieldLine } from './changes.js';
import { COMMENT_LIMIT, fitMarkdown, htmlText, mdCode, mdTable, mdText, overLimit, type MdGroup } from './markdown.js';
import type { MarkdownOptions } from './plan-markdown.js';
import { appliedOutcomes, applyClosing, INTERRUPTED, notApplied, STATUS_WORD, withWarnings } from './outcomes.js';
import { elideMiddle, formatValue, plural } from './sanitize.js';
import { capitalized } from './words.js';

export function renderApplyMarkdown(report: ApplyReport, options: MarkdownOptions): string {
  const maxChars = options.maxChars ?? COMMENT_LIMIT;
  const c = report.counts;
  let head = '### meetctl apply\n\n';
  if (report.stoppedBy !== undefined) head += `> **Stopped: ${mdText(report.stoppedBy)}; the changes not sent are listed as skipped.**\n\n`;
  else if (report.interrupted) head += `> **${INTERRUPTED}**\n\n`;
  head += mdTable(
    ['Applied', 'Unchanged', 'Stale', 'Failed', 'Not updatable', 'Skipped'],
    [[c.applied, c.unchanged, c.stale, c.failed, c.notUpdatable, c.skipped].map(String)],
    ['---:', '---:', '---:', '---:', '---:', '---:'],
  );
  const words = options.words;
  head += `\n${applyClosing(report, words)}\n\n`;

  const tableHeader = mdTable(['Status', capitalized(words.object), 'File', 'Message', 'HTTP', 'Tracking ID'], []);
  // Each item is a whole row, list entry or <details> section: a shortened comment ends between them.
  const groups: MdGroup[] = [
    { header: `#### Not applied\n\n${tableHeader}`, items: notApplied(report).map(outcomeRow), trailer: '\n', priority: 0 },
    { header: '#### Verification warnings\n\n', items: withWarnings(report).map(warningItem), trailer: '\n', priority: 1 },
    { header: '#### Applied\n\n', items: appliedOutcomes(report).map((o) => appliedSection(o, words.kinds)), trailer: '', priority: 2 },
  ];
  const footer = (dropped: number, over: number) =>
    `… ${dropped.toLocaleString('en-US')} more ${dropped === 1 ? words.object : words.objects} not shown (${overLimit(over, maxChars)}); run apply with \`--format json\` for the full report.\n`;
  return fitMarkdown({ head, groups }, maxChars, footer);
}

function heading(o: ChangeOutcome, inTable: boolean): string {
  const label = o.label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(o.label)), inTable)}`;
  return `${mdText(o.kind)} ${mdCode(o.id, inTable)}${label}`;
}

function outcomeRow(o: ChangeOutcome): string {
  const attempts = o.attempts > 0 ? ` (${plural(o.attempts, 'attempt')})` : '';
  const message = mdText(o.message ?? (o.status === 'skipped' ? 'not sent' : 'no message')) + attempts;
  const cells = [
    STATUS_WORD[o.status],
    heading(o, true),
    mdCode(o.file, true),
    message,
    o.httpStatus === undefined ? '' : String(o.httpStatus),
    o.trackingId ? mdCode(o.trackingId, true) : '',
  ];
  return `| ${cells.join(' | ')} |\n`;
}

function warningItem(o: ChangeOutcome): string {
  return `- ${heading(o, false)} · ${mdCode(o.file)}\n` + o.warnings.map((w) => `  - ⚠️ ${mdText(w)}\n`).join('');
}

/**
 * The summary of an applied section: `✓` for an update as before; a create names the id the
 * server gave and its key, a delete says it plainly.
 */
function appliedSummary(o: ChangeOutcome, words: KindWords | undefined): string {
  const title = o.label === undefined ? '' : ` “${htmlText(elideMiddle(o.label))}”`;
  const file = o.file === '' ? '' : ` · <code>${htmlText(o.file)}</code>`;
  if (o.action !== 'create' && o.action !== 'delete') return `✓ ${htmlText(o.kind)} <code>${htmlText(o.id)}</code>${title}${file}`;
  const word = actionWord({ kind: o.kind, action: o.action }, words);
  const id = o.action === 'create' ? `<code>${htmlText(o.createdId ?? o.id)}</code>${o.key === undefined ? '' : ` (<code>${htmlText(o.key)}</code>)`}` : `<code>${htmlText(o.sentTo ?? o.id)}</code>`;
  return `${word.mark} ${htmlText(word.done)} ${htmlText(o.kind)} ${id}${title}${file}`;
}

/** One applied object, folded: the plan's section header, then the fields sent, masked by the plan's own rules. */
function appliedSection(o: ChangeOutcome, words: KindWords | undefined): string {
  let body = `<details><summary>${appliedSummary(o, words)}</summary>\n\n`;
  const retried = o.attempts > 1 ? ` (accepted after ${plural(o.attempts, 'attempt')})` : '';
  if (o.action === 'delete') {
    const done = actionWord({ kind: o.kind, action: 'delete' }, words).done;
    body += `${mdText(capitalized(done))}${retried}; it ${CANNOT_RECOVER}.\n`;
  } else if (o.patch === undefined) {
    body += `Applied${retried}; this report does not record the fields that were sent.\n`;
  } else {
    const rows = fieldLines(asChange(o)).map(sentRow);
    body += rows.length === 0 ? `Applied${retried}; the patch was empty.\n` : `Fields sent${retried}:\n\n${mdTable(['Field', 'Sent'], rows)}`;
  }
  if (o.warnings.length > 0) body += `\n${plural(o.warnings.length, 'verification warning')}, listed above.\n`;
  return `${body}\n</details>\n\n`;
}

/** The outcome's patch as a change with nothing live before it, so that `fieldLines` splits and masks it exactly as the plan does. */
function asChange(o: ChangeOutcome): Change {
  const change: Change = { id: o.id, kind: o.kind, action: 'update', file: o.file, patch: o.patch ?? {}, before: {}, fingerprint: '', warnings: [], order: 0 };
  if (o.sensitive !== undefined) change.sensitive = o.sensitive;
  return change;
}

function sentRow(line: FieldLine): string[] {
  return [mdCode(line.path, true), line.sensitive ? SENSITIVE_TEXT : mdCode(formatValue(line.after), true)];
}
