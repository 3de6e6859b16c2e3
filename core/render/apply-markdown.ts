/** What apply did, as a pull-request comment: interruption first, the counts, then what needs a human. */
import type { ApplyReport, ChangeOutcome } from '../report.js';
import { COMMENT_LIMIT, fitMarkdown, mdCode, mdTable, mdText, type MdGroup } from './markdown.js';
import type { MarkdownOptions } from './plan-markdown.js';
import { applyClosing, INTERRUPTED, notApplied, STATUS_WORD, withWarnings } from './outcomes.js';
import { elideMiddle, plural } from './sanitize.js';

export function renderApplyMarkdown(report: ApplyReport, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? COMMENT_LIMIT;
  const c = report.counts;
  let head = '### meetctl apply\n\n';
  if (report.interrupted) head += `> **${INTERRUPTED}**\n\n`;
  head += mdTable(
    ['Applied', 'Unchanged', 'Stale', 'Failed', 'Not updatable', 'Skipped'],
    [[c.applied, c.unchanged, c.stale, c.failed, c.notUpdatable, c.skipped].map(String)],
    ['---:', '---:', '---:', '---:', '---:', '---:'],
  );
  head += `\n${applyClosing(report)}\n\n`;

  const tableHeader = mdTable(['Status', 'Meeting', 'File', 'Message', 'HTTP', 'Tracking ID'], []);
  const groups: MdGroup[] = [
    { header: `#### Not applied\n\n${tableHeader}`, items: notApplied(report).map(outcomeRow), trailer: '\n', priority: 0 },
    { header: '#### Verification warnings\n\n', items: withWarnings(report).map(warningItem), trailer: '\n', priority: 1 },
  ];
  const footer = (dropped: number, over: number) =>
    `… ${dropped.toLocaleString('en-US')} more ${dropped === 1 ? 'meeting' : 'meetings'} not shown (${over.toLocaleString('en-US')} characters over the ` +
    `${maxChars.toLocaleString('en-US')} limit of a comment); run apply with \`--format json\` for the full report.\n`;
  return fitMarkdown({ head, groups }, maxChars, footer);
}

function meeting(o: ChangeOutcome, inTable: boolean): string {
  const label = o.label === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(o.label)), inTable)}`;
  return `${mdText(o.kind)} ${mdCode(o.meetingId, inTable)}${label}`;
}

function outcomeRow(o: ChangeOutcome): string {
  const attempts = o.attempts > 0 ? ` (${plural(o.attempts, 'attempt')})` : '';
  const message = mdText(o.message ?? (o.status === 'skipped' ? 'not sent' : 'no message')) + attempts;
  const cells = [
    STATUS_WORD[o.status],
    meeting(o, true),
    mdCode(o.file, true),
    message,
    o.httpStatus === undefined ? '' : String(o.httpStatus),
    o.trackingId ? mdCode(o.trackingId, true) : '',
  ];
  return `| ${cells.join(' | ')} |\n`;
}

function warningItem(o: ChangeOutcome): string {
  return `- ${meeting(o, false)} · ${mdCode(o.file)}\n` + o.warnings.map((w) => `  - ⚠️ ${mdText(w)}\n`).join('');
}

