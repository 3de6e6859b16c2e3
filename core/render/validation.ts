/**
 * What the desired-state files said when they were checked: the diagnostics, sorted, and the
 * count of files. `validate` prints it; plan, apply and drift print it when the files do not
 * validate, since then there is no plan to show.
 */
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { plural } from './sanitize.js';

export interface Validation {
  /** The command that checked the files: `validate`, or plan, apply or drift that stopped there. */
  command: string;
  /** Sorted as `sortDiagnostics` does. */
  diagnostics: Diagnostic[];
  fileCount: number;
}

/** "3 errors in 2 files" / "4 files valid" (with warnings counted when there are any). */
export function summaryLine(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.length - errors.length;
  const warned = warnings > 0 ? `, ${plural(warnings, 'warning')}` : '';
  if (errors.length === 0) return `${plural(fileCount, 'file')} valid${warned}`;
  const files = new Set(errors.map((d) => d.file ?? ''));
  return `${plural(errors.length, 'error')} in ${plural(files.size, 'file')}${warned}`;
}

/** `path:line:col: message (field)`, one a line: the form editors and CI annotators read. */
export function renderValidationText(v: Validation): string {
  return v.diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
}

export function renderValidationJson(v: Validation): string {
  return `${JSON.stringify(v.diagnostics, null, 2)}\n`;
}
