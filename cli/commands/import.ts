/** `meetctl import` (its options: cli/definitions.ts). */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultWindow, importMeetings, type ImportReport, type ImportSelection } from '../../meetings/import.js';
import { zoneProblem } from '../../meetings/time.js';
import { loggerFor, openClient, parseConcurrency, progressIntervalMs, startProgress, UsageError, type ConnectionOptions } from '../pipeline.js';
import { preflight } from '../../meetings/preflight.js';
import { reportFailure } from '../output.js';
import { plural } from '../../core/render/sanitize.js';
import { runSnapshot, type SnapshotFlags } from './import-snapshot.js';
import type { Io } from '../io.js';

export interface ImportCommandOptions extends ConnectionOptions, SnapshotFlags {
  out: string;
  id?: string[];
  all?: boolean;
  host?: string[];
  from?: string;
  to?: string;
  force?: boolean;
  timezone?: string;
  defaults?: boolean;
}

/** A date (midnight UTC) or a date-time with its offset: `Date.parse` alone takes `1` or `March 7` for dates. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseInstant(value: string, flag: string): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be an ISO 8601 date (2027-03-07) or a date-time with its offset (2027-03-07T09:00:00Z), not ${value}`);
  return ms;
}

/** What to read, from the flags; every mistake is a UsageError naming the flag. */
export function selectionFrom(opts: ImportCommandOptions, nowMs: number): ImportSelection {
  const ids = opts.id ?? [];
  const hosts = opts.host ?? [];
  if (ids.length === 0 && !opts.all && hosts.length === 0) {
    throw new UsageError('say what to import: --id ID…, --all, or --host EMAIL…');
  }
  const window = defaultWindow(nowMs);
  const from = opts.from === undefined ? Date.parse(window.from) : parseInstant(opts.from, '--from');
  const to = opts.to === undefined ? Date.parse(window.to) : parseInstant(opts.to, '--to');
  if (from >= to) throw new UsageError(`--from (${new Date(from).toISOString()}) must be before --to (${new Date(to).toISOString()})`);
  const timezone = opts.timezone ?? 'UTC';
  const badZone = zoneProblem(timezone);
  if (badZone !== undefined) throw new UsageError(`--timezone ${badZone}`);
  return { ids, all: opts.all === true, hosts, from: new Date(from).toISOString(), to: new Date(to).toISOString(), timezone };
}

/** Refuses an --out that is not a directory; whether it must be made (once the server has answered: a failed run leaves no empty one). */
async function checkDirectory(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`);
  return info === undefined;
}

/**
 * Said on every `--all`: Webex lists a caller's hosted and invited meetings only, an admin's
 * too, so other hosts' meetings are missing unless asked for by host.
 */
export const ALL_NOTICE =
  "meetctl import: --all lists the meetings this token's user hosts or is invited to, even with an admin token; import other hosts' meetings with --host EMAIL (repeatable)";

/** One line per host whose listing held meetings they are only invited to. */
export function invitationLines(report: ImportReport): string[] {
  return report.invitations.map(
    (i) =>
      `meetctl import: skipped ${i.count} meeting series ${i.host} is only invited to (not theirs to import; import them with --host of their host)`,
  );
}

export function importSummary(report: ImportReport, outDir: string): string {
  const overrides = report.written.filter((w) => w.occurrences > 0).length;
  const parts = [`imported ${report.written.length} meeting series into ${outDir}`];
  if (overrides > 0) parts.push(`${overrides} with occurrence overrides`);
  if (report.defaults) parts.push(`${report.defaults.values} shared value${report.defaults.values === 1 ? '' : 's'} in ${join(outDir, report.defaults.file)}`);
  if (report.unchanged?.length) parts.push(`${report.unchanged.length} already as imported (left as they were)`);
  if (report.replaced?.length) parts.push(`${plural(report.replaced.length, 'existing file')} replaced (--force)`);
  if (report.ended.length > 0) parts.push(`${report.ended.length} ended series skipped`);
  if (report.skipped.length > 0) parts.push(`${report.skipped.length} skipped (existing files; --force overwrites them)`);
  if (report.errors.length > 0) parts.push(`${report.errors.length} failed`);
  return `meetctl import: ${parts.join(', ')}`;
}

export async function importCommand(opts: ImportCommandOptions, cmd: Command, io: Io): Promise<number> {
  if (opts.snapshot !== undefined) return runSnapshot(opts, cmd, io);
  const logger = loggerFor(opts, io);
  try {
    // Checked now, so a wrong option costs no request; placed again by the server's clock below.
    let selection = selectionFrom(opts, Date.now());
    const concurrency = parseConcurrency(opts.concurrency);
    progressIntervalMs(io.env); // a wrong value stops the run here, before any request
    const makeDirectory = await checkDirectory(opts.out);
    const { client, baseUrl } = openClient(opts, logger, io.env);
    let report: ImportReport;
    try {
      // A wrong token or base URL is one message, not one error per series.
      const checked = await preflight(client, baseUrl);
      if (!checked.ok) throw new UsageError(`${checked.message}; nothing was imported`);
      // The default window is "from a day ago" by the server's clock, which its answer told: a
      // machine's clock can be off, and what falls outside the window is left out without a word.
      const nowMs = client.serverNow() ?? Date.now();
      selection = selectionFrom(opts, nowMs);
      if (makeDirectory) await mkdir(opts.out, { recursive: true });
      if (selection.all) io.stderr.write(`${ALL_NOTICE}\n`);
      const progress = startProgress('importing', client, io);
      report = await importMeetings({
        client,
        outDir: opts.out,
        selection,
        force: opts.force === true,
        concurrency,
        fallbackNowMs: nowMs,
        defaults: opts.defaults === true,
        onProgress: progress.update,
      }).finally(() => progress.end());
    } finally {
      await client.close();
    }
    for (const w of report.written) io.stdout.write(`${join(opts.out, w.file)}\n`);
    if (report.defaults) io.stdout.write(`${join(opts.out, report.defaults.file)}\n`);
    for (const w of report.warnings) io.stderr.write(`warning: ${w}\n`);
    for (const line of invitationLines(report)) io.stderr.write(`${line}\n`);
    for (const file of report.replaced ?? []) io.stderr.write(`replaced: ${join(opts.out, file)} held something else, which --force wrote over (git diff shows what it held)\n`);
    for (const s of report.skipped) io.stderr.write(`skipped: ${s.message}\n`);
    for (const e of report.errors) io.stderr.write(`error: ${e.message}\n`);
    io.stderr.write(`${importSummary(report, opts.out)}\n`);
    return report.skipped.length === 0 && report.errors.length === 0 ? 0 : 1;
  } catch (err) {
    return reportFailure(err, io);
  }
}
