/**
 * What apply did, for a terminal: interruption first, counts, then every change that was not
 * applied, then what was deleted and created (with the ids the server gave) — and, when
 * interrupted, updated.
 */
import type { ApplyReport, ChangeOutcome, OutcomeStatus } from '../report.js';
import { actionWord, type KindWords } from './actions.js';
import { paint, type Paint } from './ansi.js';
import { applyClosing, applySummaryLine, appliedOutcomes, createdAndDeleted, INTERRUPTED, notApplied, outcomeDetails, STATUS_WORD, withWarnings } from './outcomes.js';
import { formatLabel, formatText } from './sanitize.js';
import type { TextOptions } from './plan-text.js';

export function renderApplyText(report: ApplyReport, options: TextOptions): string {
  const p = paint(options.color);
  const lines: string[] = [];
  if (report.interrupted) lines.push(p.bold(p.red(INTERRUPTED)));
  lines.push(p.bold(p.cyan(`meetctl apply — ${applySummaryLine(report.counts)}`)), '');

  const failures = notApplied(report);
  for (const o of failures) {
    lines.push(`${mark(o.status, p)} ${STATUS_WORD[o.status]} ${heading(o)}  ${p.cyan(formatText(o.file))}`);
    lines.push(`    ${formatText(outcomeDetails(o))}`);
  }
  if (failures.length > 0) lines.push('');

  // An interrupted run names every change it sent, updates too: which ones landed is the question then.
  const made = report.interrupted ? appliedOutcomes(report) : createdAndDeleted(report);
  for (const o of made) lines.push(madeLine(o, p, options.words.kinds));
  if (made.length > 0) lines.push('');

  const warned = withWarnings(report);
  if (warned.length > 0) {
    lines.push('Verification warnings:');
    for (const o of warned) {
      lines.push(`  ${heading(o)}  ${p.cyan(formatText(o.file))}`);
      for (const w of o.warnings) lines.push(`      ${p.yellow('!')} ${formatText(w)}`);
    }
    lines.push('');
  }
  lines.push(applyClosing(report, options.words));
  return `${lines.join('\n')}\n`;
}

/**
 * An apply a fatal answer stopped (the server gone, the token revoked): stderr says why, once; this
 * is the count, what was created and deleted (the ids the server gave), and each create or delete
 * that was sent and failed: it may have been carried out. Not a line per change the stop failed.
 */
export function renderApplyStoppedText(report: ApplyReport, options: TextOptions): string {
  const p = paint(options.color);
  const lines = [p.bold(p.cyan(`meetctl apply — ${applySummaryLine(report.counts)}`))];
  const made = createdAndDeleted(report);
  const unknown = report.outcomes.filter((o) => o.status === 'failed' && (o.action === 'create' || o.action === 'delete') && o.outcomeUnknown === true);
  if (made.length + unknown.length > 0) lines.push('');
  for (const o of made) lines.push(madeLine(o, p, options.words.kinds));
  for (const o of unknown) lines.push(`${p.yellow('?')} ${formatText(o.action)} of ${heading(o)}${o.key === undefined ? '' : ` (${formatText(o.key)})`}  ${p.cyan(formatText(o.file))}: sent, its outcome unknown: run meetctl plan to see`);
  return `${lines.join('\n')}\n`;
}

function heading(o: ChangeOutcome): string {
  return `${formatText(o.kind)} ${formatText(o.id)}${o.label === undefined ? '' : `  ${formatLabel(o.label)}`}`;
}

/** `+ created series ID (key)  "label"  FILE`, `~ updated series ID  "label"  FILE` or `- deleted series ID  "label"  FILE`. */
function madeLine(o: ChangeOutcome, p: Paint, words: KindWords | undefined): string {
  const word = actionWord({ kind: o.kind, action: o.action === 'create' || o.action === 'update' ? o.action : 'delete' }, words);
  const sign = word.mark === '+' ? p.green('+') : word.mark === '~' ? p.yellow('~') : p.red('-');
  const id = o.action === 'create' ? `${formatText(o.createdId ?? o.id)}${o.key === undefined ? '' : ` (${formatText(o.key)})`}` : formatText(o.sentTo ?? o.id);
  const label = o.label === undefined ? '' : `  ${formatLabel(o.label)}`;
  const file = o.file === '' ? '' : `  ${p.cyan(formatText(o.file))}`;
  return `${sign} ${word.done} ${formatText(o.kind)} ${id}${label}${file}`;
}

function mark(status: OutcomeStatus, p: Paint): string {
  if (status === 'failed') return p.red('✗');
  if (status === 'skipped') return p.dim('-');
  return p.yellow('!');
}
