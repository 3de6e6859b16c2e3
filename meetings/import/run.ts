/**
 * `meetctl import`: read the selected series, turn each into the content of one file, and write
 * the files. Never throws for API or file problems: they are in the report.
 */
import type { Diagnostic } from '../../core/diagnostics.js';
import { lstat, readFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import pLimit from 'p-limit';
import type { JsonObject } from '../../core/plan.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { MEETING_FIELDS } from '../catalogue.js';
import { sensitiveOf } from '../planner.js';
import type { Meeting, WebexClient } from '../client.js';
import type { FieldContext } from '../normalize.js';
import { siteTrackingCodes } from '../plan-live.js';
import { readSiteCodes } from '../read-live.js';
import { zoneProblem } from '../time.js';
import { hasEnded } from './ended.js';
import { defaultsAbove, defaultsTarget, readExisting, type ExistingTree } from './existing.js';
import { keepValid, type FileContent } from './guard.js';
import { fileBaseNames, idTag, withSuffix } from './names.js';
import { ownedView } from './owned.js';
import { importableFields, keepRoundTripping, occurrenceOverride, type Omission } from './project.js';
import { readModifiedOfAll, readSeries, type Found, type ImportProblem, type ImportSelection, type SkippedInvitations } from './read.js';
import { splitShared } from './shared.js';
import { packageSchemaPath, renderDefaultsYaml, renderMeetingYaml, schemaRefFrom } from './yaml.js';

export interface ImportOptions {
  client: WebexClient;
  outDir: string;
  selection: ImportSelection;
  force?: boolean;
  concurrency: number;
  /** Local clock, used only when no response carried a Date header. */
  fallbackNowMs?: number;
  /** The schema file to point editors at; default this package's. */
  schemaPath?: string;
  /** Write the values every imported series shares to the folder's defaults file, not into each file. */
  defaults?: boolean;
  /** Called as each listed series is read in full (failed: its modified occurrences could not be listed). */
  onProgress?(p: { done: number; failed: number; remaining: number }): void;
}

export interface ImportedFile {
  meetingId: string;
  /** The key the file declares: the series carries meetctl's ownership tag for it. */
  key?: string;
  /** Path relative to the output directory. */
  file: string;
  occurrences: number;
  omitted: Omission[];
}

export interface ImportReport {
  written: ImportedFile[];
  /** Files that already held exactly what import would write: left as they were (a re-run after a partial import). */
  unchanged?: string[];
  /** Files --force wrote over that held something else (a user's edits are gone: git diff shows them). */
  replaced?: string[];
  skipped: ImportProblem[];
  errors: ImportProblem[];
  warnings: string[];
  invitations: SkippedInvitations[];
  /** Ids of the series not written because every meeting of theirs has passed. */
  ended: string[];
  /** The defaults file `defaults` wrote (relative to the output directory), and how many top-level values it holds. */
  defaults?: { file: string; values: number };
}

/** One series ready to be written. */
interface Prepared {
  meetingId: string;
  file: string;
  base: string;
  content: FileContent;
  secrets: string[];
  omitted: Omission[];
  /** What validate will warn of in the file. */
  warnings: string[];
}

function streamKeyWarning(file: string, member: string): string {
  return `${file}: writes ${member} as Webex holds it; it carries the stream key, so whoever can read the repository can stream to it`;
}

/**
 * The concealed members the content states (`liveStream.rtmpUrl`: an RTMP URL carries the stream
 * key), as the plan names them: a file states them, so the repository holds them.
 */
function concealedIn(content: FileContent): string[] {
  const paths = [content.fields, ...content.occurrences.map((o) => o.fields)].flatMap((fields) => sensitiveOf(fields) ?? []);
  // A sensitive field is written as a reference; only a member path is written as Webex holds it.
  return [...new Set(paths.filter((path) => path.includes('.')))];
}

/**
 * A validate warning of an imported file, with what import can say of it: a start off its rule is
 * nearly always the rule read in the wrong zone (--timezone, UTC by default), not a wrong start.
 */
function importWarning(d: Diagnostic, zone: string): string {
  const field = d.field ? ` (${d.field})` : '';
  const hint = d.code === 'rule.startNotOccurrence' ? `; the rule is read in the file's zone, ${zone} here: import again with --timezone set to the zone the meeting is scheduled in, rather than moving the start` : '';
  return `${d.message}${field}${hint}`;
}

/** The file's content for one series: its fields and overrides, each value checked to round-trip and validate. */
function prepare(
  found: Found,
  occurrences: readonly Found['meeting'][],
  file: string,
  ctx: FieldContext,
): { content: FileContent; secrets: string[]; omitted: Omission[]; problems: string[]; warnings: string[] } {
  const { key, live } = ownedView(found.meeting);
  const imported = importableFields(live, MEETING_FIELDS, ctx.zone);
  const checked = keepRoundTripping(imported.fields, live, MEETING_FIELDS, ctx);
  const omitted = [...imported.omitted, ...checked.omitted];
  const overrides: { id: string; fields: JsonObject }[] = [];
  for (const occ of occurrences) {
    const override = occurrenceOverride(live, occ, ctx);
    omitted.push(...override.omitted.map((o) => ({ ...o, field: `occurrences[${occ.id}].${o.field}` })));
    if (Object.keys(override.fields).length > 0) overrides.push({ id: occ.id, fields: override.fields });
  }
  const valid = keepValid({ id: live.id, key, hostEmail: found.hostEmail, fields: checked.fields, occurrences: overrides }, file);
  omitted.push(...valid.omitted);
  return { content: valid.content, secrets: imported.secrets, omitted, problems: valid.problems, warnings: valid.warnings.map((d) => importWarning(d, ctx.zone ?? 'UTC')) };
}

/**
 * The files' names: the one that already declares the series (by id, or by the key it is owned
 * under), else its base name — after the key for an owned series, the title otherwise —
 * id-suffixed when taken.
 */
async function fileNames(series: readonly Found[], existing: ExistingTree, outDir: string): Promise<{ file: string; base: string }[]> {
  const keys = series.map((s) => ownedView(s.meeting).key);
  const bases = fileBaseNames(series.map((s, i) => ({ id: s.meeting.id, title: keys[i] ?? s.meeting.title })));
  const used = new Set<string>();
  const out: { file: string; base: string }[] = [];
  for (const [i, found] of series.entries()) {
    let base = bases[i];
    const key = keys[i];
    let file = existing.ids.get(found.meeting.id) ?? (key === undefined ? undefined : existing.keys.get(key));
    if (file === undefined) {
      file = `${base}.yaml`;
      // A file of another meeting holds the name: take the id-suffixed one rather than clobber it.
      if (used.has(file) || (await lstat(join(outDir, file)).then(() => true, () => false))) {
        base = withSuffix(base, idTag(found.meeting.id));
        file = `${base}.yaml`;
      }
    } else {
      base = posix.basename(file).replace(/\.ya?ml$/i, '');
    }
    used.add(file);
    out.push({ file, base });
  }
  return out;
}

type DefaultsPlan =
  | { kind: 'none'; warning: string }
  | { kind: 'refused'; message: string }
  | { kind: 'write'; file: string; text: string; values: number; contents: FileContent[]; replacesFiles: boolean; concealed: string[] };

/**
 * The defaults file `--defaults` writes and the files' contents without its values (in `prepared`
 * order); or why there is none. A file, or the defaults file, that already holds what this import
 * writes is its own (an import that stopped part-way): running it again finishes the job.
 */
async function planDefaults(prepared: readonly Prepared[], existing: ExistingTree, opts: ImportOptions): Promise<DefaultsPlan> {
  const split = splitShared(prepared.map((p) => p.content), 'defaults.yaml');
  const values = Object.keys(split.shared).length;
  if (values === 0) return { kind: 'none', warning: `--defaults: no value is shared by every imported series (${prepared.length} of them); no defaults file written` };
  const present = new Set(existing.documents);
  const rewritten = new Set<string>();
  let replacesFiles = false;
  for (const [i, p] of prepared.entries()) {
    if (!present.has(p.file)) rewritten.add(p.file);
    else if ((await currentText(join(opts.outDir, p.file))) === meetingText({ ...p, content: split.contents[i] }, opts)) rewritten.add(p.file);
    else if (opts.force === true) {
      rewritten.add(p.file);
      replacesFiles = true;
    }
  }
  const schema = opts.schemaPath === undefined ? packageSchemaPath('defaults.schema.json') : join(dirname(opts.schemaPath), 'defaults.schema.json');
  const text = renderDefaultsYaml(split.shared, schemaRefFrom(opts.outDir, schema));
  const own = existing.defaults.filter((f) => !f.includes('/'));
  const ownIsThis = own.length === 1 && (await currentText(join(opts.outDir, own[0]))) === text;
  const target = defaultsTarget(existing, opts.outDir, rewritten, opts.force === true || ownIsThis);
  if (!target.ok) return { kind: 'refused', message: `--defaults: ${target.message}; nothing was written` };
  return { kind: 'write', file: target.file, text, values, contents: split.contents, replacesFiles, concealed: concealedIn({ id: '', fields: split.shared, occurrences: [] }) };
}

/** Does the series, or one of its modified scheduled meetings, hold tracking codes a file would state? */
function carriesTrackingCodes(series: Meeting, occurrences: readonly Meeting[] | string): boolean {
  return Array.isArray(series.trackingCodes) || (Array.isArray(occurrences) && occurrences.some((o) => Array.isArray(o.trackingCodes)));
}

/** Read the selected series and write one file each (and with `defaults`, the folder's defaults file). */
export async function importMeetings(opts: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { written: [], skipped: [], errors: [], warnings: [], invitations: [], ended: [] };
  const zone = opts.selection.timezone ?? 'UTC';
  const badZone = zoneProblem(zone);
  if (badZone !== undefined) {
    report.errors.push({ message: `timezone: ${badZone}` });
    return report;
  }
  const listed = await readSeries(opts, report.errors, report.invitations);
  const nowMs = opts.client.serverNow() ?? opts.fallbackNowMs ?? Date.now();
  const ended = new Set(listed.filter((s) => hasEnded(s.meeting, nowMs, zone)).map((s) => s.meeting.id));
  report.ended = [...ended];
  const series = listed.filter((s) => !ended.has(s.meeting.id));
  const limit = pLimit(Math.max(1, opts.concurrency));
  let done = 0;
  let failed = 0;
  const modified = await readModifiedOfAll(opts.client, series, opts.selection, limit, (read) => {
    done += 1;
    if (typeof read === 'string') failed += 1;
    opts.onProgress?.({ done, failed, remaining: series.length - done });
  });

  // Plan completes a list with the site's defaults and holds select codes to the site's options, as
  // the host sees them: import checks what it writes the same way, or its files would not plan as no change.
  const codeHosts = [...new Set(series.filter((s, i) => carriesTrackingCodes(s.meeting, modified[i])).map((s) => s.hostEmail ?? ''))];
  const codeReads = await readSiteCodes(opts.client, codeHosts, limit);
  const siteCodes = siteTrackingCodes(codeReads);

  const existing = await readExisting(opts.outDir);
  for (const line of existing.unreadable) report.warnings.push(`could not read ${line}; a series that file declares is not recognised, and may be imported again`);
  const names = await fileNames(series, existing, opts.outDir);
  const prepared: Prepared[] = [];
  for (const [i, found] of series.entries()) {
    const live = found.meeting;
    const occurrences = modified[i];
    if (typeof occurrences === 'string') {
      report.errors.push({ meetingId: live.id, message: `could not list the modified scheduled meetings of ${live.id}: ${occurrences}` });
      continue;
    }
    const { file, base } = names[i];
    // Without the site's codes a list cannot be checked as plan will compare it: written anyway, the
    // file could change the meeting at the next apply. It is left out, and the run fails.
    const codes = codeReads.get(found.hostEmail ?? '');
    if (codes !== undefined && !codes.ok && carriesTrackingCodes(live, occurrences)) {
      report.errors.push({ meetingId: live.id, file, message: `${live.id} was not written: it has tracking codes, and the site's tracking codes could not be read to check them (${codes.message}); run import again` });
      continue;
    }
    const one = prepare(found, occurrences, file, { zone, nowMs, env: {}, trackingCodes: siteCodes.byHost.get(found.hostEmail ?? '') });
    if (one.problems.length > 0) {
      report.errors.push({ meetingId: live.id, file, message: `${live.id} cannot be written as a valid file: ${one.problems.join('; ')}` });
      continue;
    }
    prepared.push({ meetingId: live.id, file, base, content: one.content, secrets: one.secrets, omitted: one.omitted, warnings: one.warnings });
  }

  const defaults = opts.defaults === true ? await planDefaults(prepared, existing, opts) : undefined;
  if (defaults?.kind === 'refused') {
    report.errors.push({ message: defaults.message });
    return report;
  }
  if (defaults?.kind === 'none') report.warnings.push(defaults.warning);
  if (defaults?.kind === 'write') for (const [i, p] of prepared.entries()) p.content = defaults.contents[i];
  if (existing.defaults.some((f) => !f.includes('/')) && defaults?.kind !== 'write') {
    report.warnings.push(`${opts.outDir} has a defaults file: plan will apply it to the imported meetings, which may then show changes`);
  }
  for (const above of await defaultsAbove(opts.outDir)) {
    report.warnings.push(`${above} is a defaults file above ${opts.outDir}: a plan of its folder applies it to the imported meetings, which may then show changes`);
  }

  // The defaults file first, so that a run that stops part-way (a full disk, a kill) leaves files
  // that plan reads as imported: each written file lacks the shared values the defaults file gives.
  // Only when files of another content are replaced (--force) does it come last, once they all are.
  if (defaults?.kind === 'write' && !defaults.replacesFiles) {
    if (!(await writeDefaults(defaults, 0, report, opts))) return report;
    await writeMeetingFiles(prepared, report, opts);
    return report;
  }
  const failedWrites = await writeMeetingFiles(prepared, report, opts);
  if (defaults?.kind === 'write') await writeDefaults(defaults, failedWrites, report, opts);
  return report;
}

function meetingText(p: Prepared, opts: ImportOptions): string {
  return renderMeetingYaml({
    id: p.content.id,
    key: p.content.key,
    hostEmail: p.content.hostEmail,
    fields: p.content.fields,
    secrets: p.secrets,
    occurrences: p.content.occurrences,
    schemaRef: schemaRefFrom(dirname(join(opts.outDir, p.file)), opts.schemaPath),
    fileBase: p.base,
  });
}

/** The text of a regular file there (never through a link), or undefined. */
async function currentText(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Files written side by side: each write waits for its own fsyncs, and one at a time the import mostly waited on the disk. */
const WRITE_CONCURRENCY = 8;

type WriteOutcome = { kind: 'unchanged' } | { kind: 'written'; replaced: boolean } | { kind: 'failed'; code: string; message: string };

async function writeMeetingFile(p: Prepared, opts: ImportOptions): Promise<WriteOutcome> {
  const text = meetingText(p, opts);
  const before = await currentText(join(opts.outDir, p.file));
  if (before === text) return { kind: 'unchanged' };
  const written = await writeFileAtomic(opts.outDir, p.file, text, { mode: 0o644, overwrite: opts.force === true });
  return written.ok ? { kind: 'written', replaced: before !== undefined } : { kind: 'failed', code: written.error.code, message: written.error.message };
}

/**
 * Each meeting file, atomically, a few at a time; what could not be written is in the report, in
 * the order prepared whichever finished first. Returns how many failed.
 */
async function writeMeetingFiles(prepared: readonly Prepared[], report: ImportReport, opts: ImportOptions): Promise<number> {
  const limit = pLimit(WRITE_CONCURRENCY);
  const outcomes = await Promise.all(prepared.map((p) => limit(() => writeMeetingFile(p, opts))));
  let failedWrites = 0;
  prepared.forEach((p, i) => {
    const outcome = outcomes[i];
    if (outcome.kind === 'unchanged') {
      (report.unchanged ??= []).push(p.file);
      return;
    }
    if (outcome.kind === 'failed') {
      const target = { meetingId: p.meetingId, file: p.file };
      if (outcome.code === 'atomicWrite.exists') report.skipped.push({ ...target, message: `${p.file} already exists (use --force to overwrite it)` });
      else report.errors.push({ ...target, message: outcome.message });
      failedWrites++;
      return;
    }
    if (outcome.replaced) (report.replaced ??= []).push(p.file);
    report.written.push({ meetingId: p.meetingId, ...(p.content.key === undefined ? {} : { key: p.content.key }), file: p.file, occurrences: p.content.occurrences.length, omitted: p.omitted });
    for (const o of p.omitted) report.warnings.push(`${p.file}: left out ${o.field}: ${o.reason}`);
    for (const w of p.warnings) report.warnings.push(`${p.file}: validate will warn: ${w}`);
    for (const c of concealedIn(p.content)) report.warnings.push(streamKeyWarning(p.file, c));
  });
  return failedWrites;
}

/**
 * The defaults file; after files it replaces, only when every one of them was written (one left
 * as it was would take the shared values too). Whether it now holds this import's values.
 */
async function writeDefaults(defaults: { file: string; text: string; values: number; concealed: string[] }, failedWrites: number, report: ImportReport, opts: ImportOptions): Promise<boolean> {
  if (failedWrites > 0) {
    report.errors.push({ file: defaults.file, message: `${defaults.file} not written: a meeting file of this import could not be written; run the same import again (with --force) once the cause is fixed` });
    return false;
  }
  if ((await currentText(join(opts.outDir, defaults.file))) === defaults.text) {
    (report.unchanged ??= []).push(defaults.file);
    return true;
  }
  const written = await writeFileAtomic(opts.outDir, defaults.file, defaults.text, { mode: 0o644, overwrite: opts.force === true });
  if (written.ok) report.defaults = { file: defaults.file, values: defaults.values };
  if (written.ok) for (const c of defaults.concealed) report.warnings.push(streamKeyWarning(defaults.file, c));
  else report.errors.push({ file: defaults.file, message: written.error.code === 'atomicWrite.exists' ? `${defaults.file} already exists (use --force to overwrite it)` : `${written.error.message}; no meeting file was written` });
  return written.ok;
}
