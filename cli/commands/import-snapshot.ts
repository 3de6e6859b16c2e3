/**
 * `meetctl import --snapshot FILE [--dir DIR]`: the live state of the meetings DIR declares, as a
 * seed for `meetctl emulator --seed FILE` (a rehearsal). The files are validated first; the file
 * is written whole (atomically, mode 0600) or not at all.
 */
import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { hasErrors } from '../../core/diagnostics.js';
import { noDocumentsDiagnostic } from '../../core/load.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { checkSchema, type CompiledSchema } from '../../core/schema-check.js';
import { compileSchema } from '../../core/schema-compile.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { guardClient, preflight } from '../../meetings/preflight.js';
import { renderSnapshot, takeSnapshot, type SnapshotResult } from '../../meetings/snapshot.js';
import seedSchema from '../../schemas/seed.schema.json' with { type: 'json' };
import { loggerFor, openClient, parseConcurrency, printDiagnostics, UsageError, type ConnectionOptions } from '../pipeline.js';
import { reportFailure } from '../output.js';
import type { Io } from '../io.js';

export interface SnapshotFlags extends ConnectionOptions {
  snapshot?: string;
  dir?: string;
  force?: boolean;
}

/** Import's selection and writing flags (which meetings, how their files are written): a snapshot reads what the files declare and writes one seed. */
const NOT_WITH_SNAPSHOT = ['out', 'id', 'all', 'host', 'from', 'to', 'timezone', 'defaults'];

let seedValidator: CompiledSchema | undefined;

/** The last guard: what is written is a seed the emulator will load. */
function seedProblems(seed: unknown, file: string): string[] {
  seedValidator ??= compileSchema(seedSchema);
  const diagnostics = checkSchema(seedValidator, { file, data: seed, locate: () => ({ line: 1, col: 1 }) });
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.field ?? ''}: ${d.message}`);
}

function summary(result: SnapshotResult, file: string): string {
  const { series, occurrences, trackingCodes } = result.counts;
  const kept = result.secrets.filter((s) => s.kept).length;
  const replaced = result.secrets.length - kept;
  return (
    `meetctl import: snapshot of ${series} meeting series (${occurrences} scheduled meetings, ${trackingCodes} site tracking codes, clock ${String(result.seed.now)}) written to ${file}; ` +
    `secrets: ${kept} kept as \${env:} references (they match the live values), ${replaced} replaced by a placeholder`
  );
}

export async function runSnapshot(opts: SnapshotFlags, cmd: Command, io: Io): Promise<number> {
  const logger = loggerFor(opts, io);
  try {
    const file = opts.snapshot as string;
    const given = NOT_WITH_SNAPSHOT.filter((name) => cmd.getOptionValueSource(name) === 'cli');
    if (given.length > 0) throw new UsageError(`--snapshot reads the meetings the files under --dir declare; ${given.map((n) => `--${n}`).join(', ')} do${given.length === 1 ? 'es' : ''} not apply`);
    const dir = opts.dir ?? './meetings';
    const concurrency = parseConcurrency(opts.concurrency);
    const loaded = await loadDesiredState(dir);
    printDiagnostics(loaded.diagnostics, io);
    if (hasErrors(loaded.diagnostics)) {
      const count = loaded.diagnostics.filter((d) => d.severity === 'error').length;
      throw new UsageError(`${count} validation error${count === 1 ? '' : 's'} in ${dir}: no snapshot was written (run meetctl validate)`);
    }
    const nothing = noDocumentsDiagnostic(dir, { documents: loaded.meetings, diagnostics: loaded.diagnostics }, 'meeting');
    if (nothing) throw new UsageError(`${nothing.message}; no snapshot was written`);
    const { client: raw, baseUrl } = openClient(opts, logger, io.env);
    let result: SnapshotResult;
    try {
      const checked = await preflight(raw, baseUrl);
      if (!checked.ok) throw new UsageError(`${checked.message}; no snapshot was written`);
      const { client, fatal } = guardClient(raw, baseUrl);
      result = await takeSnapshot({ client, desired: loaded.meetings, env: io.env, concurrency });
      const stopped = fatal();
      if (stopped) throw new UsageError(`${stopped.message}; no snapshot was written`);
    } finally {
      await raw.close();
    }
    for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
    const problems = [...result.errors, ...seedProblems(result.seed, file).map((p) => `the snapshot would not be a valid seed: ${p}`)];
    if (problems.length > 0) {
      for (const e of problems) io.stderr.write(`error: ${e}\n`);
      throw new UsageError(`${problems.length} problem${problems.length === 1 ? '' : 's'}: no snapshot was written`);
    }
    const written = await writeFileAtomic(dirname(file), basename(file), renderSnapshot(result.seed), { mode: 0o600, overwrite: opts.force === true });
    if (!written.ok) {
      const hint = written.error.code === 'atomicWrite.exists' ? `${file} already exists (use --force to overwrite it)` : written.error.message;
      throw new UsageError(`${hint}; no snapshot was written`);
    }
    io.stdout.write(`${file}\n`);
    io.stderr.write(`${summary(result, file)}\n`);
    return 0;
  } catch (err) {
    return reportFailure(err, io);
  }
}
