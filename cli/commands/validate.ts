/** `meetctl validate` (its options: cli/definitions.ts). */
import { sortDiagnostics } from '../../core/diagnostics.js';
import { noDocumentsDiagnostic } from '../../core/load.js';
import { loggerFor } from '../pipeline.js';
import type { Io } from '../io.js';
import { summaryLine } from '../../core/render/validation.js';
import { webexProvider } from '../../meetings/provider.js';
import { annotateDiagnostics, parseFormat, reportFailure, type FormatOptions } from '../output.js';

export interface ValidateOptions extends FormatOptions {
  dir: string;
  format: string;
  logLevel: string;
}

export async function validateCommand(opts: ValidateOptions, io: Io): Promise<number> {
  const log = loggerFor(opts, io);
  try {
    const out = parseFormat(opts, io);
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
}
