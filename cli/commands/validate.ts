import type { Command } from 'commander';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../core/diagnostics.js';
import { noDocumentsDiagnostic } from '../../core/load.js';
import { createLogger } from '../../core/log.js';
import { plural } from '../../core/render/sanitize.js';
import { loadDesiredState } from '../../meetings/desired.js';

interface ValidateOptions {
  dir: string;
  format: string;
  logLevel: string;
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

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check the desired-state files offline: YAML, schema, time zones, recurrence and cross-field rules (no network)')
    .option('--dir <dir>', 'directory of desired-state files', './meetings')
    .option('--format <format>', 'text or json', 'text')
    .option('--log-level <level>', 'log level (stderr)', 'warn')
    .action(async (opts: ValidateOptions) => {
      const log = createLogger(opts.logLevel);
      if (opts.format !== 'text' && opts.format !== 'json') {
        process.stderr.write(`meetctl validate: --format must be text or json, not '${opts.format}'\n`);
        process.exitCode = 1;
        return;
      }
      log.debug({ dir: opts.dir }, 'validating');
      const loaded = await loadDesiredState(opts.dir);
      const { fileCount } = loaded;
      const nothing = noDocumentsDiagnostic(opts.dir, loaded);
      const diagnostics = nothing ? [...loaded.diagnostics, nothing] : loaded.diagnostics;
      const sorted = sortDiagnostics(diagnostics);
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(sorted, null, 2)}\n`);
      else for (const d of sorted) process.stdout.write(`${formatDiagnostic(d)}\n`);
      process.stderr.write(`${summaryLine(diagnostics, fileCount)}\n`);
      process.exitCode = sorted.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
