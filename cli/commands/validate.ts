import type { Command } from 'commander';
import { sortDiagnostics } from '../../core/diagnostics.js';
import { noDocumentsDiagnostic } from '../../core/load.js';
import { loggerFor } from '../pipeline.js';
import { act, type Invocation } from '../io.js';
import { formatList } from '../../core/render/formats.js';
import { summaryLine } from '../../core/render/validation.js';
import { webexProvider } from '../../meetings/provider.js';
import { annotateDiagnostics, parseFormat, reportFailure } from '../output.js';

interface ValidateOptions {
  dir: string;
  format: string;
  logLevel: string;
}

export function registerValidate(program: Command, inv: Invocation): void {
  const { io } = inv;
  program
    .command('validate')
    .description('check the desired-state files offline: YAML, schema, time zones, recurrence and cross-field rules (no network)')
    .option('--dir <dir>', 'directory of desired-state files', './meetings')
    .option('--format <format>', formatList(), 'text')
    .option('--log-level <level>', 'log level (stderr)', 'warn')
    .action(
      act(inv, async (opts: ValidateOptions) => {
        const log = loggerFor(opts, io);
        try {
          const out = parseFormat(opts.format, io);
          log.debug({ dir: opts.dir }, 'validating');
          const loaded = await webexProvider.load(opts.dir);
          const { fileCount } = loaded;
          const nothing = noDocumentsDiagnostic(opts.dir, loaded, webexProvider.words.object);
          const diagnostics = sortDiagnostics(nothing ? [...loaded.diagnostics, nothing] : loaded.diagnostics);
          io.stdout.write(out.writers.validation({ command: 'validate', diagnostics, fileCount }, out.ctx));
          annotateDiagnostics(io, out, diagnostics, 'validate');
          io.stderr.write(`${summaryLine(diagnostics, fileCount)}\n`);
          return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
        } catch (err) {
          return reportFailure(err, io);
        }
      }),
    );
}
