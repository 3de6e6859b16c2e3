/**
 * The diagnostics as a pull-request comment: one table row per problem, `file:line:col` and the
 * message, so that a tree that does not validate still gets a comment saying why.
 */
import type { Diagnostic } from '../diagnostics.js';
import { COMMENT_LIMIT, fitMarkdown, mdCode, mdTable, mdText, overLimit, type MdGroup } from './markdown.js';
import { plural } from './sanitize.js';
import { summaryLine, type Validation } from './validation.js';

export function renderValidationMarkdown(v: Validation, options: { maxChars?: number } = {}): string {
  const maxChars = options.maxChars ?? COMMENT_LIMIT;
  const errors = v.diagnostics.filter((d) => d.severity === 'error').length;
  const verdict =
    v.command === 'validate'
      ? `${summaryLine(v.diagnostics, v.fileCount)}.`
      : `**Nothing was planned:** the files do not validate (${plural(errors, 'error')}); \`meetctl validate\` lists the same problems.`;
  const head = `### meetctl ${v.command}\n\n${verdict}\n\n`;
  const header = mdTable(['Severity', 'Location', 'Message', 'Field'], []);
  const groups: MdGroup[] = [{ header, items: v.diagnostics.map(row), trailer: '\n', priority: 0 }];
  const footer = (dropped: number, over: number) =>
    `… ${dropped.toLocaleString('en-US')} more ${dropped === 1 ? 'problem' : 'problems'} not shown (${overLimit(over, maxChars)}); run \`meetctl validate\` for the full list.\n`;
  return fitMarkdown({ head, groups }, maxChars, footer);
}

function row(d: Diagnostic): string {
  const where = d.file === undefined ? '' : mdCode(`${d.file}:${d.line ?? 1}:${d.col ?? 1}`, true);
  const field = d.field === undefined ? '' : mdCode(d.field, true);
  return `| ${d.severity} | ${where} | ${mdText(d.message)} | ${field} |\n`;
}
