/** The reviewer's view of an ApplyReport, shared by the text and Markdown renderers. */
import type { ApplyReport, ChangeOutcome, OutcomeStatus } from '../report.js';
import { ACTION_RANK } from './actions.js';
import { compareStrings } from './changes.js';
import type { RenderWords } from './words.js';

export const INTERRUPTED = 'Interrupted: apply stopped before every change was sent; the changes not sent are listed as skipped.';

export const STATUS_WORD: Record<OutcomeStatus, string> = {
  applied: 'applied',
  unchanged: 'unchanged',
  stale: 'stale',
  failed: 'failed',
  notUpdatable: 'not updatable',
  skipped: 'skipped',
};

/** Worst first: what needs a human most comes first in every format. */
const ATTENTION: readonly OutcomeStatus[] = ['failed', 'stale', 'notUpdatable', 'skipped'];

export function applySummaryLine(counts: Record<OutcomeStatus, number>): string {
  return (['applied', 'unchanged', 'stale', 'failed', 'notUpdatable', 'skipped'] as const).map((s) => `${counts[s]} ${STATUS_WORD[s]}`).join(', ');
}

function byFileThenId(a: ChangeOutcome, b: ChangeOutcome): number {
  return compareStrings(a.file, b.file) || compareStrings(a.id, b.id);
}

/** Outcomes other than applied/unchanged, worst status first, then by file and id. */
export function notApplied(report: ApplyReport): ChangeOutcome[] {
  return report.outcomes
    .filter((o) => ATTENTION.includes(o.status))
    .sort((a, b) => ATTENTION.indexOf(a.status) - ATTENTION.indexOf(b.status) || byFileThenId(a, b));
}

/** Applied deletes, then applied creates, by file and id: what changed for good, and the ids the server gave. */
export function createdAndDeleted(report: ApplyReport): ChangeOutcome[] {
  return report.outcomes
    .filter((o) => o.status === 'applied' && (o.action === 'create' || o.action === 'delete'))
    .sort((a, b) => ACTION_RANK[a.action] - ACTION_RANK[b.action] || byFileThenId(a, b));
}

/** Applied outcomes, deletes first, then creates, then updates, each by file and id. */
export function appliedOutcomes(report: ApplyReport): ChangeOutcome[] {
  return report.outcomes.filter((o) => o.status === 'applied').sort((a, b) => ACTION_RANK[a.action] - ACTION_RANK[b.action] || byFileThenId(a, b));
}

/** Outcomes that carry post-apply verification warnings, by file and id. */
export function withWarnings(report: ApplyReport): ChangeOutcome[] {
  return report.outcomes.filter((o) => o.warnings.length > 0).sort(byFileThenId);
}

/** `message (HTTP 400, trackingId X, 3 attempts)`: everything a support ticket needs, on one line. */
export function outcomeDetails(o: ChangeOutcome): string {
  const facts: string[] = [];
  if (o.httpStatus !== undefined) facts.push(`HTTP ${o.httpStatus}`);
  if (o.trackingId) facts.push(`trackingId ${o.trackingId}`);
  if (o.attempts > 0) facts.push(`${o.attempts} ${o.attempts === 1 ? 'attempt' : 'attempts'}`);
  const message = o.message ?? (o.status === 'skipped' ? 'not sent' : 'no message');
  return facts.length > 0 ? `${message} (${facts.join(', ')})` : message;
}

export function applyClosing(report: ApplyReport, words: RenderWords): string {
  const { applied } = report.counts;
  const outcome =
    report.outcomes.every((o) => o.status === 'applied' || o.status === 'unchanged') && !report.interrupted
      ? 'Apply complete.'
      : 'Apply finished; some changes were not applied.';
  if (applied === 0) return outcome;
  return `${outcome} ${words.controlsSentence(report.controls, 'report')}`;
}
