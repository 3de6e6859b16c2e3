/**
 * What every command does with `--format`: pick the writers from the registry, and write GitHub
 * annotations to stderr when the format asks for them or the command runs in GitHub Actions.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { diagnosticAnnotations, type AnnotationPaths } from '../core/render/annotations.js';
import { findFormat, formatList, type FormatWriters, type RenderContext } from '../core/render/formats.js';
import { UsageError, useColor, ValidationFailed } from './pipeline.js';

export interface Output {
  writers: FormatWriters;
  ctx: RenderContext;
  /** Whether annotations are written (to stderr). */
  annotate: boolean;
}

export function parseFormat(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Output {
  const name = value ?? 'text';
  const writers = findFormat(name);
  if (!writers) throw new UsageError(`--format must be ${formatList()}, not ${name}`);
  return { writers, ctx: { color: useColor() }, annotate: writers.annotate || env.GITHUB_ACTIONS === 'true' };
}

export function annotationPaths(env: NodeJS.ProcessEnv = process.env): AnnotationPaths {
  return env.GITHUB_WORKSPACE ? { cwd: process.cwd(), workspace: env.GITHUB_WORKSPACE } : { cwd: process.cwd() };
}

/** Annotations go to stderr: the runner reads them there too, and stdout may be a JSON or Markdown document posted as a comment. */
export function annotate(out: Output, render: (paths: AnnotationPaths) => string): void {
  if (!out.annotate) return;
  const text = render(annotationPaths());
  if (text !== '') process.stderr.write(text);
}

export function annotateDiagnostics(out: Output, diagnostics: readonly Diagnostic[], command: string): void {
  annotate(out, (paths) => diagnosticAnnotations(diagnostics, command, paths));
}

export function reportFailure(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`meetctl: ${message}\n`);
  if (!(err instanceof UsageError) && err instanceof Error && process.env.MEETCTL_DEBUG) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
}

/**
 * A failure of plan, apply or drift. When the files did not validate, the format says so on
 * stdout (Markdown: the problems as a table, for the PR comment) and each problem is annotated;
 * the diagnostics and "nothing was planned" are on stderr, exit 1, as for any failure.
 */
export function reportRunFailure(err: unknown, out: Output | undefined, command: string): void {
  if (err instanceof ValidationFailed && out) {
    process.stdout.write(out.writers.notPlanned({ command, diagnostics: err.diagnostics, fileCount: err.fileCount }, out.ctx));
    annotateDiagnostics(out, err.diagnostics, command);
  }
  reportFailure(err);
}
