/**
 * Errors and warnings are values, not exceptions: every command collects them,
 * keeps going, and prints them all at the end as `file:line:col: message (field)`.
 */
import { compareStrings } from './order.js';
import { escapeUnsafe, showUnseenSpaces } from './render/sanitize.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable machine-readable code, e.g. `schema.additionalProperty`, `rule.durationTooShort`. */
  code: string;
  severity: Severity;
  /** One sentence for a human; never contains a secret value. */
  message: string;
  /** Path of the file as the user passed it (relative to the working directory when possible). */
  file?: string;
  /** 1-based line and column of the offending key or value. */
  line?: number;
  col?: number;
  /** Dotted field path inside the document, e.g. `meetingOptions.noteType` or `occurrences[1].end`. */
  field?: string;
}

export function error(code: string, message: string, where: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: 'error', message, ...where };
}

export function warning(code: string, message: string, where: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: 'warning', message, ...where };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * `path:line:col: message (field)`, the format editors and CI annotators understand. File names,
 * keys and messages quoting them come from the files: control and bidi characters are escaped so
 * that a hostile name cannot forge a line, recolour the terminal or reorder the text.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.line ?? 1}:${d.col ?? 1}: ` : '';
  const level = d.severity === 'warning' ? 'warning: ' : '';
  const field = d.field ? ` (${d.field})` : '';
  return escapeUnsafe(`${where}${level}${d.message}${field}`);
}

/**
 * One diagnostic per cause. A value in a file that many documents share (a folder's defaults)
 * can break each of them in the same way: that is one finding at one place, said once, naming
 * the documents it breaks — "(in sales/weekly.yaml and 398 other files)". `in` is the document
 * each finding was made for; findings are the same cause when code, severity, place, field and
 * message (but for the document's own name) agree.
 */
export function oncePerCause(found: readonly { diagnostic: Diagnostic; in: string }[]): Diagnostic[] {
  const groups = new Map<string, { diagnostic: Diagnostic; files: string[] }>();
  for (const { diagnostic: d, in: file } of found) {
    // The message too, but for the document's own name in it: a finding built from each document's
    // values (its start, say) names a different fix for each, and merged it would tell all but the
    // first the wrong one; one that only points at the document's line is the same for all.
    const key = JSON.stringify([d.code, d.severity, d.file, d.line, d.col, d.field, d.message.split(file).join('\0')]);
    const group = groups.get(key);
    if (!group) groups.set(key, { diagnostic: d, files: [file] });
    else if (!group.files.includes(file)) group.files.push(file);
  }
  return [...groups.values()].map(({ diagnostic, files }) => {
    const others = files.length - 1;
    const more = others === 0 ? '' : ` and ${others} other file${others === 1 ? '' : 's'}`;
    return { ...diagnostic, message: `${diagnostic.message} (in ${files[0]}${more})` };
  });
}

/** The most load warnings a plan repeats as notes; the rest are counted. */
const MAX_WARNING_NOTES = 10;

/**
 * The load's warnings as plan notes: printed only on stderr, they never reached the PR comment or
 * the saved plan, and a reviewer saw "0 warnings". `repeated`: codes the plan already says on the
 * changes they concern.
 */
export function warningNotes(diagnostics: readonly Diagnostic[], repeated: ReadonlySet<string> = new Set()): string[] {
  const warnings = sortDiagnostics(diagnostics.filter((d) => d.severity === 'warning' && !repeated.has(d.code)));
  const notes = warnings.slice(0, MAX_WARNING_NOTES).map((d) => `validate: ${formatDiagnostic(d)}`);
  const more = warnings.length - MAX_WARNING_NOTES;
  if (more > 0) notes.push(`validate: ${more} more warning${more === 1 ? '' : 's'}: meetctl validate lists them all`);
  return notes;
}

/** Stable order: by file, then position, then code. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compareStrings(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      compareStrings(a.code, b.code),
  );
}

/** Field path as a dotted string: ['occurrences', 1, 'end'] -> `occurrences[1].end`. */
export function fieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? showUnseenSpaces(part) : `.${showUnseenSpaces(part)}`;
  }
  return out;
}
