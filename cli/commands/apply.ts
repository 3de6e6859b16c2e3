/** `meetctl apply` (its options: cli/definitions.ts). */
import { createInterface } from 'node:readline/promises';
import { executePlan } from '../../core/executor.js';
import { sentCount, type Plan } from '../../core/plan.js';
import { checkChangeCounts, checkDeletes, checkPlanAge, checkSavedPlanTarget } from '../../core/policy.js';
import { applySucceeded, type ApplyReport } from '../../core/report.js';
import { applyAnnotations } from '../../core/render/annotations.js';
import { FORMATS } from '../../core/render/formats.js';
import { readPlanFile } from '../../core/saved-plan.js';
import { scopePlan } from '../../core/scope.js';
import { describeMissingSecrets, missingPlanSecrets } from '../../core/secrets.js';
import { checkEmailChoice, type WebexControls } from '../../meetings/controls.js';
import { webexProvider } from '../../meetings/provider.js';
import { FIELD_BY_NAME } from '../../meetings/catalogue.js';
import { createWebexClient, type WebexClient } from '../../meetings/client.js';
import { guardClient, preflight, type FatalCode } from '../../meetings/preflight.js';
import {
  loggerFor,
  parseConcurrency,
  parseShard,
  progressIntervalMs,
  requireToken,
  resolveBaseUrl,
  runPlan,
  startProgress,
  UsageError,
  type PlanOptions,
} from '../pipeline.js';
import { annotate, annotateDiagnostics, checkFullReportTarget, parseFormat, reportRunFailure, wholeReport, writeFullReport, type FormatOptions, type Output } from '../output.js';
import type { Io } from '../io.js';

export interface ApplyCommandOptions extends PlanOptions, FormatOptions {
  autoApprove?: boolean;
  maxChanges?: string;
  maxDeletes?: string;
  maxPlanAge?: string;
  force?: boolean;
  /** Which of the options that only choose what to plan (`dir`, `fetch`) the command line gave. */
  given?: string[];
}

/** `24h`, `90m`, `3600s`, `2d` → ms. */
export function parseDuration(value: string): number {
  // A unit is required: `--max-plan-age 24` read as 24 seconds (not hours) refuses every plan a CI run applies.
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw new UsageError(`--max-plan-age must look like 24h, 90m or 3600s (a number and its unit), not ${value}`);
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** The provider's words for the change-count guard of core/policy. */
const MEETING_LIMITS = { noun: webexProvider.words.objects, massChangeWhy: webexProvider.words.massChangeWhy };

/** A whole number ≥ 0 from a `--max-…` option, or undefined when it was not given. */
function parseCount(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(value.trim() !== '' && Number.isInteger(n) && n >= 0)) throw new UsageError(`${option} must be a whole number`);
  return n;
}

/** The count guards of core/policy — everything sent, the share of updates, the deletes — as one refusal. */
function checkCounts(plan: Plan, opts: { maxChanges?: number; maxDeletes?: number; force?: boolean }): void {
  const refused =
    checkChangeCounts(plan, { maxChanges: opts.maxChanges, force: opts.force, ...MEETING_LIMITS }) ??
    checkDeletes(plan, { maxDeletes: opts.maxDeletes, force: opts.force, noun: MEETING_LIMITS.noun });
  if (refused) throw new UsageError(refused.message);
}

/**
 * A saved plan deletes what it was made to delete: `--prune` cannot add deletes to it, so asking for
 * --prune with a plan made without it is refused rather than ignored (it would read as "pruned").
 */
function checkPruneChoice(plan: Plan, prune: boolean | undefined): void {
  // A plan saved before it recorded the choice says it by its prune deletes.
  const pruned = plan.prune === true || plan.changes.some((c) => c.prune === true);
  if (!prune || pruned) return;
  const n = plan.orphans.length;
  const lists = n === 0 ? 'it deletes nothing' : `it lists ${n} orphaned ${n === 1 ? webexProvider.words.object : webexProvider.words.objects} and deletes none`;
  throw new UsageError(`the plan was made without --prune: ${lists}; run meetctl plan --prune again (nothing was applied)`);
}

/** The plan's controls as the provider's sender takes them; a saved plan's are checked here (core only knows they are an object). */
function controlsOf(plan: Plan, file: string): WebexControls {
  const read = webexProvider.readControls(plan.controls);
  if (!read.ok) throw new UsageError(`${file}: ${read.message}`);
  return read.controls;
}

/** The fields apply resolves as secrets: the plan's own list and the catalogue's, as requestBody does. */
function isSecretField(field: string, change: { sensitive?: string[] }): boolean {
  return FIELD_BY_NAME.get(field)?.sensitive === true || change.sensitive?.includes(field) === true;
}

/**
 * The server's time, read from the Date header of the preflight (one small request, which also
 * stops a wrong token or base URL before anything is sent); the local clock if none answers.
 */
async function preflightAndServerTime(client: WebexClient, baseUrl: string): Promise<{ nowMs: number; fromServer: boolean }> {
  const checked = await preflight(client, baseUrl);
  if (!checked.ok) throw new UsageError(`${checked.message}; nothing was applied`);
  const nowMs = client.serverNow();
  return nowMs === undefined ? { nowMs: Date.now(), fromServer: false } : { nowMs, fromServer: true };
}

async function confirm(plan: Plan, input: NodeJS.ReadableStream, io: Io): Promise<boolean> {
  // Asked only when stdin is a terminal, so stderr is the process's own stream, which readline needs.
  const rl = createInterface({ input, output: io.stderr as NodeJS.WritableStream });
  try {
    const count = sentCount(plan.summary);
    const deletes = plan.summary.delete;
    const warning = deletes === 0 ? '' : ` (${deletes} delete${deletes === 1 ? '' : 's'}: a deleted ${webexProvider.words.object} cannot be recovered)`;
    const answer = await rl.question(`\nApply ${count} change${count === 1 ? '' : 's'}${warning}? Only 'yes' is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** --full-report after the run: its folder was checked before the first request, and the report is on stdout whatever happens here. */
async function keepFullReport(path: string | undefined, text: string): Promise<void> {
  if (path !== undefined) await writeFullReport(path, text, ' (the apply ran: its report is on stdout)');
}

/** The report's problems as annotations, whether or not the format prints the report. */
function annotateReport(report: ApplyReport, out: Output, io: Io): void {
  annotate(io, out, (paths) => applyAnnotations(report, paths));
}

export interface ApplyRun {
  report: ApplyReport;
  /** Set when a 401 or an unreachable server stopped the run: no further change was started. */
  fatal?: { code: FatalCode; message: string };
}

/** Runs the plan; where the Io has signals, SIGINT and SIGTERM stop starting changes. */
export async function executeWithSignals(plan: Plan, raw: WebexClient, opts: { controls: WebexControls; checkStaleness: boolean }, io: Io): Promise<ApplyRun> {
  const controller = new AbortController();
  // One handler for every signal, installed for the whole run: between two handlers the signal's
  // default would end the process. The first stops starting changes; a second Ctrl-C does not
  // wait, as in Terraform: it says what that leaves unknown, then exits 130. A SIGTERM never hurries
  // (a CI runner's cancel sends SIGINT, then SIGTERM: the in-flight requests still finish and the
  // report is printed).
  let stopping = false;
  const onSigint = (signal: NodeJS.Signals) => {
    if (!stopping) {
      stopping = true;
      io.stderr.write('\nInterrupted: no new requests are sent; waiting for the ones in flight (interrupt again to exit at once)…\n');
      controller.abort();
      return;
    }
    if (signal === 'SIGTERM') return;
    io.stderr.write(
      '\nInterrupted again: exiting now, without waiting and without a report. The requests in flight may have been carried out: run meetctl plan to see where the meetings stand (apply again converges).\n',
    );
    process.exit(130);
  };
  // A token revoked mid-run (or a server gone) fails every later change the same way: stop
  // starting changes at the first such answer, as an interrupt does, and say it once.
  const { client, fatal } = guardClient(raw, plan.baseUrl, () => controller.abort());
  const progress = startProgress('applying', raw, io);
  io.signals?.on('SIGINT', onSigint);
  io.signals?.on('SIGTERM', onSigint);
  try {
    const applier = webexProvider.sender(client, opts.controls, io.env);
    const report = await executePlan({
      changes: plan.changes,
      send: applier.send,
      checkFresh: opts.checkStaleness ? applier.checkFresh : undefined,
      limit: client.limit,
      signal: controller.signal,
      onProgress: progress.update,
      baseUrl: plan.baseUrl,
      controls: plan.controls,
    });
    const stopped = fatal();
    return stopped ? { report, fatal: stopped } : { report };
  } finally {
    progress.end();
    io.signals?.off('SIGINT', onSigint);
    io.signals?.off('SIGTERM', onSigint);
  }
}

export async function applyCommand(planFile: string | undefined, opts: ApplyCommandOptions, io: Io): Promise<number> {
  const logger = loggerFor(opts, io);
  let client: WebexClient | undefined;
  let out: Output | undefined;
  try {
    out = parseFormat(opts, io);
    await checkFullReportTarget(opts.fullReport);
    progressIntervalMs(io.env); // a wrong value stops the run here, before any request
    const limits = { maxChanges: parseCount(opts.maxChanges, '--max-changes'), maxDeletes: parseCount(opts.maxDeletes, '--max-deletes'), force: opts.force };
    let plan: Plan;
    if (planFile) {
      const moot = (opts.given ?? []).map((name) => `--${name}`);
      if (moot.length > 0) {
        throw new UsageError(`${moot.join(' and ')} ${moot.length === 1 ? 'is' : 'are'} not used with a plan file: the plan decides what is applied; run meetctl apply ${planFile} without ${moot.length === 1 ? 'it' : 'them'}, or plan again from that directory (nothing was applied)`);
      }
      const read = await readPlanFile(planFile);
      if (!read.ok) throw new UsageError(read.message);
      const baseUrl = resolveBaseUrl(opts.baseUrl, io.env);
      const maxAgeMs = parseDuration(opts.maxPlanAge ?? '24h');
      const wrongTarget = checkSavedPlanTarget(read.plan, baseUrl);
      if (wrongTarget) throw new UsageError(wrongTarget.message);
      // Everything the plan file and the options decide is checked before the first request.
      const emailConflict = checkEmailChoice(controlsOf(read.plan, planFile), opts.sendEmail);
      if (emailConflict) throw new UsageError(emailConflict);
      checkPruneChoice(read.plan, opts.prune);
      // The guards judge the plan that was reviewed, whole: N shards of it would each pass 1/N of a
      // share (deletes, changes) that the whole plan is refused for.
      checkCounts(read.plan, limits);
      const scoped = scopePlan(read.plan, { targets: opts.target, shard: parseShard(opts.shard) });
      if (!scoped.ok) throw new UsageError(scoped.message);
      plan = scoped.plan;
      const missing = missingPlanSecrets(plan.changes, isSecretField, io.env);
      if (missing.length > 0) throw new UsageError(describeMissingSecrets(missing));
      client = createWebexClient({ baseUrl, token: requireToken(io.env), concurrency: parseConcurrency(opts.concurrency), logger });
      const now = await preflightAndServerTime(client, baseUrl);
      if (!now.fromServer) logger.warn('no Date header from the server: the plan age is measured by the local clock');
      const tooOld = checkPlanAge(plan, maxAgeMs, now.nowMs);
      if (tooOld) throw new UsageError(tooOld.message);
      if (scoped.leftOut > 0) {
        const scope = [opts.target?.length ? `--target ${opts.target.join(' ')}` : '', opts.shard ? `--shard ${opts.shard}` : ''].filter(Boolean).join(' ');
        io.stderr.write(
          `Scope ${scope}: ${plan.changes.length} of the plan's ${scoped.total} changes (${sentCount(plan.summary)} to send); ${scoped.leftOut} left out, not sent.\n`,
        );
      }
    } else {
      const run = await runPlan(opts, logger, io);
      plan = run.plan;
      client = run.client;
      annotateDiagnostics(io, out, run.diagnostics, 'apply');
      // With --format json stdout must stay one JSON document: the plan goes to stderr for the log.
      if (out.writers.oneDocument) io.stderr.write(FORMATS.text.plan(plan, out.ctx));
      else io.stdout.write(out.writers.plan(plan, out.ctx));
    }
    // The plan decides (a saved one was reviewed with it; checkEmailChoice refused a contradiction).
    const controls = controlsOf(plan, planFile ?? 'the plan');
    if (sentCount(plan.summary) === 0) {
      // Nothing is sent; meetings that differ but cannot be updated still fail the run, as they do
      // next to other changes: the calendar is not what the files say.
      const { report } = await executeWithSignals(plan, client, { controls, checkStaleness: false }, io);
      io.stderr.write('Nothing to apply.\n');
      if (out.writers.oneDocument || plan.summary.notUpdatable > 0) io.stdout.write(out.writers.applyReport(report, out.ctx));
      await keepFullReport(opts.fullReport, out.writers.applyReport(report, wholeReport(out)));
      annotateReport(report, out, io);
      return applySucceeded(report) && plan.summary.error === 0 ? 0 : 1;
    }
    // A saved plan was checked before its first request; one made here can only be checked now.
    if (!planFile) checkCounts(plan, limits);
    if (!planFile && !opts.autoApprove) {
      const { stdin } = io;
      if (!stdin?.isTTY) throw new UsageError('stdin is not a terminal: pass --auto-approve to apply without confirmation');
      if (!(await confirm(plan, stdin, io))) throw new UsageError('apply cancelled; nothing was changed');
    }
    const { report: run, fatal } = await executeWithSignals(plan, client, { controls, checkStaleness: planFile !== undefined }, io);
    if (fatal) {
      const report: ApplyReport = { ...run, stoppedBy: fatal.message };
      io.stdout.write(out.writers.applyStopped(report, out.ctx));
      await keepFullReport(opts.fullReport, out.writers.applyStopped(report, wholeReport(out)));
      // The changes left unsent are said once, on stderr, not annotated one by one.
      annotateReport({ ...report, outcomes: report.outcomes.filter((o) => o.status !== 'skipped') }, out, io);
      io.stderr.write(`meetctl: ${fatal.message}; apply stopped at the first refusal: ${report.counts.applied} applied, the other changes were not sent\n`);
      return 1;
    }
    io.stdout.write(out.writers.applyReport(run, out.ctx));
    await keepFullReport(opts.fullReport, out.writers.applyReport(run, wholeReport(out)));
    annotateReport(run, out, io);
    return applySucceeded(run) && plan.summary.error === 0 ? 0 : 1;
  } catch (err) {
    return reportRunFailure(err, out, 'apply', io);
  } finally {
    await client?.close();
  }
}
