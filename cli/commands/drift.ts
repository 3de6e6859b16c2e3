/**
 * `meetctl drift`: a plan read as a report for a schedule. Every field where a live meeting
 * differs from its file is shown as live vs desired (secrets masked); with --report-unmanaged,
 * also the series nobody declared. Exit 0 in sync, 2 drift, 1 error.
 */
import type { Command } from 'commander';
import type { Change, JsonValue, Plan } from '../../core/plan.js';
import { compareStrings, fieldLines, SENSITIVE_TEXT } from '../../core/render/changes.js';
import { paint } from '../../core/render/ansi.js';
import { COMMENT_LIMIT, fitMarkdown, htmlText, mdCode, mdTable, mdText, type MdGroup } from '../../core/render/markdown.js';
import { elideMiddle, formatLabel, formatText, formatValue, plural } from '../../core/render/sanitize.js';
import type { WebexClient } from '../../meetings/client.js';
import { defaultWindow, sameEmail, seriesListQuery } from '../../meetings/import.js';
import { addConnectionOptions, addDesiredOptions, loggerFor, runPlan, UsageError, useColor, type PlanOptions } from '../pipeline.js';
import { parseFormat, reportFailure, type OutputFormat } from './plan.js';

export interface DriftField {
  field: string;
  /** The live value; `(sensitive)` for a secret, null when the meeting has none. */
  live: JsonValue;
  /** The value the file asks for; `(sensitive)` for a secret, null to clear. */
  desired: JsonValue;
}

export interface DriftedMeeting {
  meetingId: string;
  kind: string;
  file: string;
  label?: string;
  fields: DriftField[];
  warnings: string[];
}

export interface NotUpdatableDrift extends DriftedMeeting {
  reason: string;
}

export interface UnmanagedSeries {
  meetingId: string;
  title?: string;
  start?: string;
  hostEmail?: string;
}

export interface DriftError {
  meetingId?: string;
  file?: string;
  message: string;
}

export interface DriftReport {
  inSync: boolean;
  checkedAt: string;
  baseUrl: string;
  summary: { managed: number; inSync: number; drifted: number; notUpdatable: number; unmanaged: number; errors: number };
  drifted: DriftedMeeting[];
  unmanaged: UnmanagedSeries[];
  notUpdatable: NotUpdatableDrift[];
  errors: DriftError[];
  /** Whether unmanaged series were looked for (--report-unmanaged). */
  checkedUnmanaged: boolean;
}

export const EXIT_IN_SYNC = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

function driftFields(change: Change): DriftField[] {
  return fieldLines(change).map((line) =>
    line.sensitive
      ? { field: line.path, live: SENSITIVE_TEXT, desired: SENSITIVE_TEXT }
      : { field: line.path, live: line.before ?? null, desired: line.after ?? null },
  );
}

function drifted(change: Change): DriftedMeeting {
  const out: DriftedMeeting = { meetingId: change.meetingId, kind: change.kind, file: change.file, fields: driftFields(change), warnings: change.warnings };
  if (change.label !== undefined) out.label = change.label;
  return out;
}

const byFileThenId = (a: { file?: string; meetingId?: string }, b: { file?: string; meetingId?: string }) =>
  compareStrings(a.file ?? '', b.file ?? '') || compareStrings(a.meetingId ?? '', b.meetingId ?? '');

/** The report is a view of the plan (plus what listing found): it cannot disagree with `plan`. */
export function buildDriftReport(
  plan: Plan,
  extra: { unmanaged?: UnmanagedSeries[]; errors?: DriftError[]; checkedUnmanaged?: boolean } = {},
): DriftReport {
  const updates = plan.changes.filter((c) => c.action === 'update').map(drifted).sort(byFileThenId);
  // A meeting Webex will not let us update still differs from its file: that is drift too, with a reason.
  const notUpdatable = plan.changes
    .filter((c) => c.action === 'notUpdatable' && Object.keys(c.patch).length > 0)
    .map((c) => ({ ...drifted(c), reason: c.reason ?? 'not updatable' }))
    .sort(byFileThenId);
  const errors = [
    ...plan.changes.filter((c) => c.action === 'error').map((c) => ({ meetingId: c.meetingId, file: c.file, message: c.reason ?? 'could not be planned' })),
    ...(extra.errors ?? []),
  ].sort(byFileThenId);
  const unmanaged = [...(extra.unmanaged ?? [])].sort((a, b) => compareStrings(a.title ?? '', b.title ?? '') || compareStrings(a.meetingId, b.meetingId));
  const inSyncCount = plan.changes.filter((c) => c.action === 'noop' || (c.action === 'notUpdatable' && Object.keys(c.patch).length === 0)).length;
  return {
    inSync: updates.length === 0 && notUpdatable.length === 0 && unmanaged.length === 0 && errors.length === 0,
    checkedAt: plan.createdAt,
    baseUrl: plan.baseUrl,
    summary: {
      managed: plan.changes.length,
      inSync: inSyncCount,
      drifted: updates.length,
      notUpdatable: notUpdatable.length,
      unmanaged: unmanaged.length,
      errors: errors.length,
    },
    drifted: updates,
    unmanaged,
    notUpdatable,
    errors,
    checkedUnmanaged: extra.checkedUnmanaged === true,
  };
}

export function driftExitCode(report: DriftReport): number {
  if (report.errors.length > 0) return EXIT_ERROR;
  return report.inSync ? EXIT_IN_SYNC : EXIT_DRIFT;
}

/** The one-line status for stderr. */
export function driftStatusLine(report: DriftReport): string {
  const s = report.summary;
  if (s.errors > 0) return `meetctl drift: ${plural(s.errors, 'error')}; ${plural(s.drifted + s.notUpdatable, 'meeting')} drifted (exit 1)`;
  if (report.inSync) return `meetctl drift: in sync (${plural(s.managed, 'managed meeting')})`;
  const parts = [`${plural(s.drifted + s.notUpdatable, 'meeting')} drifted`];
  if (s.unmanaged > 0) parts.push(`${plural(s.unmanaged, 'unmanaged series', 'unmanaged series')}`);
  return `meetctl drift: ${parts.join(', ')} (exit 2)`;
}

function headline(report: DriftReport): string {
  const s = report.summary;
  const unmanaged = report.checkedUnmanaged ? `, ${s.unmanaged} unmanaged` : '';
  return `${s.drifted} drifted, ${s.inSync} in sync, ${s.notUpdatable} not updatable${unmanaged}, ${plural(s.errors, 'error')}`;
}

const IN_SYNC_TEXT = 'No drift: every managed meeting matches its file.';
const DRIFT_ADVICE = 'Run `meetctl plan` to review and `meetctl apply` to restore the files, or edit the files to accept the live values.';

// ------------------------------------------------------------------------------------- text

function fieldText(f: DriftField): string {
  const show = (v: JsonValue) => (v === SENSITIVE_TEXT ? SENSITIVE_TEXT : v === null ? '(none)' : formatValue(v));
  return `${formatText(f.field)}: live ${show(f.live)}, desired ${show(f.desired)}`;
}

function meetingHeading(m: DriftedMeeting): string {
  const label = m.label === undefined ? '' : `  ${formatLabel(m.label)}`;
  return `${formatText(m.kind)} ${formatText(m.meetingId)}${label}  (${formatText(m.file)})`;
}

export function renderDriftText(report: DriftReport, options: { color: boolean }): string {
  const p = paint(options.color);
  const lines: string[] = [p.bold(p.cyan(`meetctl drift — ${headline(report)}`)), ''];
  for (const m of report.drifted) {
    lines.push(`${p.yellow('~')} ${meetingHeading(m)}`);
    for (const f of m.fields) lines.push(`    ${fieldText(f)}`);
    for (const w of m.warnings) lines.push(`    ${p.yellow('!')} warning: ${formatText(w)}`);
  }
  for (const m of report.notUpdatable) {
    lines.push(`${p.yellow('!')} ${meetingHeading(m)}: not updatable: ${formatText(m.reason)}`);
    for (const f of m.fields) lines.push(`    ${fieldText(f)}`);
  }
  if (report.unmanaged.length > 0) {
    lines.push(`${p.cyan('Unmanaged series')} (no file declares them):`);
    for (const u of report.unmanaged) lines.push(`  + ${unmanagedText(u)}`);
  }
  for (const e of report.errors) lines.push(`${p.red('✗')} ${e.file ? `${formatText(e.file)}: ` : ''}${formatText(e.message)}`);
  if (lines.length > 2) lines.push('');
  lines.push(report.inSync ? IN_SYNC_TEXT : report.errors.length > 0 && report.drifted.length === 0 ? 'Some meetings could not be checked.' : DRIFT_ADVICE);
  return `${lines.join('\n')}\n`;
}

function unmanagedText(u: UnmanagedSeries): string {
  const title = u.title === undefined ? '' : `  ${formatLabel(u.title)}`;
  const start = u.start === undefined ? '' : `  starts ${formatText(u.start)}`;
  const host = u.hostEmail === undefined ? '' : `  host ${formatText(u.hostEmail)}`;
  return `${formatText(u.meetingId)}${title}${start}${host}`;
}

// ------------------------------------------------------------------------------------- json

export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ------------------------------------------------------------------------------------- markdown

function mdValue(v: JsonValue): string {
  if (v === SENSITIVE_TEXT) return `*${SENSITIVE_TEXT}*`;
  if (v === null) return '*(none)*';
  return mdCode(formatValue(v), true);
}

function mdSection(m: DriftedMeeting, reason?: string): string {
  const title = m.label === undefined ? '' : ` “${htmlText(elideMiddle(m.label))}”`;
  const marker = reason === undefined ? '~' : '!';
  const summary = `${marker} ${htmlText(m.kind)} <code>${htmlText(m.meetingId)}</code>${title} · <code>${htmlText(m.file)}</code>`;
  let body = `<details><summary>${summary}</summary>\n\n`;
  if (reason !== undefined) body += `Not updatable: ${mdText(reason)}\n\n`;
  body += mdTable(['Field', 'Live', 'Desired'], m.fields.map((f) => [mdCode(f.field, true), mdValue(f.live), mdValue(f.desired)]));
  if (m.warnings.length > 0) body += '\n' + m.warnings.map((w) => `- ⚠️ ${mdText(w)}\n`).join('');
  return `${body}\n</details>\n\n`;
}

function mdUnmanaged(u: UnmanagedSeries): string {
  const title = u.title === undefined ? '' : ` ${mdCode(JSON.stringify(elideMiddle(u.title)))}`;
  const start = u.start === undefined ? '' : ` · starts ${mdCode(u.start)}`;
  const host = u.hostEmail === undefined ? '' : ` · host ${mdCode(u.hostEmail)}`;
  return `- ${mdCode(u.meetingId)}${title}${start}${host}\n`;
}

function mdError(e: DriftError): string {
  const where = [e.file ? mdCode(e.file) : '', e.meetingId ? mdCode(e.meetingId) : ''].filter(Boolean).join(' · ');
  return `- ${where ? `${where}: ` : ''}${mdText(e.message)}\n`;
}

/** A PR or issue body: the summary table first, details folded, never longer than `maxChars`. */
export function renderDriftMarkdown(report: DriftReport, options: { maxChars?: number } = {}): string {
  const maxChars = options.maxChars ?? COMMENT_LIMIT;
  const s = report.summary;
  const header = ['Drifted', 'In sync', 'Not updatable', ...(report.checkedUnmanaged ? ['Unmanaged'] : []), 'Errors'];
  const row = [s.drifted, s.inSync, s.notUpdatable, ...(report.checkedUnmanaged ? [s.unmanaged] : []), s.errors].map(String);
  const closing = report.inSync ? IN_SYNC_TEXT : DRIFT_ADVICE;
  const head =
    '### meetctl drift\n\n' +
    mdTable(header, [row], header.map(() => '---:')) +
    '\n' +
    `Checked ${mdCode(report.checkedAt)} against ${mdCode(report.baseUrl)}. ${closing}\n\n`;
  const groups: MdGroup[] = [
    { header: '#### Errors\n\n', items: report.errors.map(mdError), trailer: '\n', priority: 0 },
    { header: '#### Drifted\n\n', items: report.drifted.map((m) => mdSection(m)), trailer: '', priority: 1 },
    { header: '#### Not updatable\n\n', items: report.notUpdatable.map((m) => mdSection(m, m.reason)), trailer: '', priority: 2 },
    { header: '#### Unmanaged series\n\n', items: report.unmanaged.map(mdUnmanaged), trailer: '\n', priority: 3 },
  ];
  const footer = (dropped: number, over: number) =>
    `… ${dropped.toLocaleString('en-US')} more ${dropped === 1 ? 'entry' : 'entries'} not shown (${over.toLocaleString('en-US')} characters over the ` +
    `${maxChars.toLocaleString('en-US')} limit); run \`meetctl drift\` for the full report.\n`;
  return fitMarkdown({ head, groups }, maxChars, footer);
}

export function renderDrift(report: DriftReport, format: OutputFormat): string {
  if (format === 'json') return renderDriftJson(report);
  if (format === 'markdown') return renderDriftMarkdown(report);
  return renderDriftText(report, { color: useColor() });
}

// ------------------------------------------------------------------------------------- unmanaged

/**
 * Series the token (or the files' hosts) can see in the listing window that no file declares.
 * Each list states `current=false` (the default, true, would give a series its next
 * occurrence's start, not its own). A host's listing also holds their invitations, each item
 * naming its own host: those are not that host's meetings, so a series is reported once, under
 * the host the item names, and only from the caller's own listing or its host's.
 */
export async function findUnmanaged(
  client: WebexClient,
  declared: ReadonlySet<string>,
  hosts: readonly (string | undefined)[],
  window: { from: string; to: string },
): Promise<{ unmanaged: UnmanagedSeries[]; errors: DriftError[] }> {
  const found = new Map<string, UnmanagedSeries>();
  const errors: DriftError[] = [];
  const distinct = [...new Set(hosts.map((h) => h?.toLowerCase()))];
  for (const hostEmail of distinct) {
    const listed = await client.listMeetings(seriesListQuery(window, hostEmail));
    if (!listed.ok) {
      errors.push({ message: `could not list meeting series${hostEmail ? ` of ${hostEmail}` : ''}: ${listed.error.message}` });
      continue;
    }
    for (const m of listed.value) {
      if (declared.has(m.id) || found.has(m.id) || (m.meetingType !== undefined && m.meetingType !== 'meetingSeries')) continue;
      const ownHost = typeof m.hostEmail === 'string' && m.hostEmail !== '' ? m.hostEmail : undefined;
      if (hostEmail !== undefined && ownHost !== undefined && !sameEmail(ownHost, hostEmail)) continue; // an invitation of this host
      const entry: UnmanagedSeries = { meetingId: m.id };
      if (typeof m.title === 'string') entry.title = m.title;
      if (typeof m.start === 'string') entry.start = m.start;
      const host = ownHost ?? hostEmail;
      if (host !== undefined) entry.hostEmail = host;
      found.set(m.id, entry);
    }
  }
  return { unmanaged: [...found.values()], errors };
}

// ------------------------------------------------------------------------------------- command

interface DriftCommandOptions extends PlanOptions {
  format?: string;
  reportUnmanaged?: boolean;
}

export function registerDrift(program: Command): void {
  const cmd = program
    .command('drift')
    .description('report where live meetings differ from their files (for schedules): exit 0 in sync, 2 drift, 1 error')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--report-unmanaged', 'also list the meeting series the token can see that no file declares');
  addDesiredOptions(cmd);
  addConnectionOptions(cmd);
  cmd.action(async (opts: DriftCommandOptions) => {
    const logger = loggerFor(opts);
    try {
      const format = parseFormat(opts.format);
      if (opts.reportUnmanaged && ((opts.target?.length ?? 0) > 0 || opts.shard !== undefined)) {
        throw new UsageError('--report-unmanaged needs every file: it cannot be combined with --target or --shard');
      }
      const run = await runPlan(opts, logger);
      let extra: Parameters<typeof buildDriftReport>[1] = {};
      try {
        if (opts.reportUnmanaged) {
          const declared = new Set(run.plan.changes.filter((c) => c.kind === 'series').map((c) => c.meetingId));
          const hosts = [undefined, ...run.plan.changes.map((c) => c.controls?.hostEmail).filter((h): h is string => typeof h === 'string')];
          const listed = await findUnmanaged(run.client, declared, hosts, defaultWindow(run.nowMs));
          extra = { ...listed, checkedUnmanaged: true };
        }
      } finally {
        await run.client.close();
      }
      const report = buildDriftReport(run.plan, extra);
      process.stdout.write(renderDrift(report, format));
      process.stderr.write(`${driftStatusLine(report)}\n`);
      process.exitCode = driftExitCode(report);
    } catch (err) {
      reportFailure(err);
    }
  });
}
