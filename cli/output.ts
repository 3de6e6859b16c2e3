/**
 * What every command does with `--format`: pick the writers from the registry, and write GitHub
 * annotations to stderr when the format asks for them or the command runs in GitHub Actions.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeNamedFileAtomic } from '../core/atomic-write.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { diagnosticAnnotations, type AnnotationPaths } from '../core/render/annotations.js';
import { formatList } from '../core/render/format-names.js';
import { findFormat, type FormatWriters, type RenderContext } from '../core/render/formats.js';
import type { Io } from './io.js';
import { UsageError, useColor, ValidationFailed } from './pipeline.js';
import { webexProvider } from '../meetings/provider.js';

export interface Output {
  writers: FormatWriters;
  ctx: RenderContext;
  /** Whether annotations are written (to stderr). */
  annotate: boolean;
}

/** The options of every command that prints a report. */
export interface FormatOptions {
  format?: string;
  maxChars?: string;
  /** Also write the whole report here (apply, drift): what --max-chars leaves out of a Markdown report is not lost. */
  fullReport?: string;
}

/** Below this even a report's counts may not fit: what is left would say nothing. */
const MIN_MAX_CHARS = 1_000;

export function parseFormat(opts: FormatOptions, io: Io): Output {
  const name = opts.format ?? 'text';
  const writers = findFormat(name);
  if (!writers) throw new UsageError(`--format must be ${formatList()}, not ${name}`);
  const ctx: RenderContext = { color: useColor(io), words: webexProvider.words };
  if (opts.maxChars !== undefined) ctx.maxChars = parseMaxChars(opts.maxChars, name);
  return { writers, ctx, annotate: writers.annotate || io.env.GITHUB_ACTIONS === 'true' };
}

function parseMaxChars(value: string, format: string): number {
  // Only Markdown is ever shortened: taking the option silently elsewhere would promise a size it does not keep.
  if (format !== 'markdown') throw new UsageError(`--max-chars is for --format markdown; ${format} output is never shortened`);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < MIN_MAX_CHARS) {
    throw new UsageError(`--max-chars must be a whole number of characters, at least ${MIN_MAX_CHARS.toLocaleString('en-US')}, not ${value}`);
  }
  return n;
}

/**
 * Whether --full-report can be written, checked before anything is sent: an apply should not find
 * out after its changes that the record it was asked to keep has no folder to go to.
 */
export async function checkFullReportTarget(path: string | undefined): Promise<void> {
  if (path === undefined) return;
  const folder = await stat(dirname(resolve(path))).catch(() => undefined);
  if (!folder?.isDirectory()) throw new UsageError(`--full-report ${path}: the folder ${dirname(path)} does not exist`);
}

/** How --full-report renders: the format's own writer, uncoloured (a file) and never shortened. */
export function wholeReport(out: Output): RenderContext {
  return { ...out.ctx, color: false, maxChars: Infinity };
}

/** The whole report, written whole or not at all; a message that says so when it cannot be. */
export async function writeFullReport(path: string, text: string, after = ''): Promise<void> {
  const written = await writeNamedFileAtomic(path, text, { overwrite: true, label: `the full report to ${path}` });
  if (!written.ok) throw new UsageError(`${written.error.message}${after}`);
}

export function annotationPaths(env: Io['env']): AnnotationPaths {
  return env.GITHUB_WORKSPACE ? { cwd: process.cwd(), workspace: env.GITHUB_WORKSPACE } : { cwd: process.cwd() };
}

/** Annotations go to stderr: the runner reads them there too, and stdout may be a JSON or Markdown document posted as a comment. */
export function annotate(io: Io, out: Output, render: (paths: AnnotationPaths) => string): void {
  if (!out.annotate) return;
  const text = render(annotationPaths(io.env));
  if (text !== '') io.stderr.write(text);
}

export function annotateDiagnostics(io: Io, out: Output, diagnostics: readonly Diagnostic[], command: string): void {
  annotate(io, out, (paths) => diagnosticAnnotations(diagnostics, command, paths));
}

/** Says what failed on stderr; returns the exit code, 1. */
export function reportFailure(err: unknown, io: Io): number {
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`meetctl: ${message}\n`);
  if (!(err instanceof UsageError) && err instanceof Error && io.env.MEETCTL_DEBUG) io.stderr.write(`${err.stack}\n`);
  return 1;
}

/**
 * A failure of plan, apply or drift. When the files did not validate, the format says so on
 * stdout (Markdown: the problems as a table, for the PR comment) and each problem is annotated;
 * the diagnostics and "nothing was planned" are on stderr, exit 1, as for any failure.
 */
export function reportRunFailure(err: unknown, out: Output | undefined, command: string, io: Io): number {
  if (err instanceof ValidationFailed && out) {
    io.stdout.write(out.writers.notPlanned({ command, diagnostics: err.diagnostics, fileCount: err.fileCount }, out.ctx));
    annotateDiagnostics(io, out, err.diagnostics, command);
  }
  return reportFailure(err, io);
}
