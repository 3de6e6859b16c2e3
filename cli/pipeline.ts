/**
 * Wiring shared by plan, apply and drift: options → desired state → client → plan.
 * No business rules here; each step lives in core/ or meetings/.
 */
import { formatDiagnostic, hasErrors, sortDiagnostics, warningNotes, type Diagnostic } from '../core/diagnostics.js';
import { noDocumentsDiagnostic } from '../core/load.js';
import { createLogger, type Logger } from '../core/log.js';
import type { Io } from './io.js';
import { makePlan, type Plan } from '../core/plan.js';
import { guardNotes } from '../core/policy.js';
import { createProgress, type Progress } from '../core/progress.js';
import { shardOf } from '../core/scope.js';
import { checkBaseUrl, createWebexClient, tokenProblem, type WebexClient } from '../meetings/client.js';
import { LOG_SENSITIVE_KEYS } from '../meetings/redact.js';
import type { FetchStrategy } from '../meetings/fetch.js';
import { webexProvider } from '../meetings/provider.js';
import { planControls } from '../meetings/controls.js';
import { guardClient, preflight, type GuardedClient, type PreflightResult } from '../meetings/preflight.js';
import { withSignal } from '../meetings/client/with-signal.js';
import type { DesiredMeeting } from '../meetings/desired.js';
import type { ProviderPlan } from '../core/provider.js';

export const DEFAULT_BASE_URL = 'https://webexapis.com/v1';

export interface ConnectionOptions {
  baseUrl?: string;
  concurrency?: string | number;
  logLevel?: string;
}

export interface PlanOptions extends ConnectionOptions {
  dir: string;
  target?: string[];
  sendEmail?: boolean;
  fetch?: FetchStrategy;
  shard?: string;
  /** Plan deletes of owned meetings no file declares (without it they are listed as orphans). */
  prune?: boolean;
  /** Look for owned meetings no file declares whatever the files (drift); a plan finds them when it lists the series anyway. */
  findOrphans?: boolean;
}

/** A failure the user must fix before anything runs; printed as one line, exit 1. */
export class UsageError extends Error {}

/** The files do not validate, so nothing was planned; the diagnostics (sorted) are for the formats that show them on stdout. */
export class ValidationFailed extends UsageError {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
    readonly fileCount: number,
  ) {
    super(message);
  }
}

export function parseConcurrency(value: string | number | undefined): number {
  const n = Number(value ?? 8);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--concurrency must be an integer from 1 to 256, not ${String(value)}`);
  return n;
}

export function resolveBaseUrl(opt: string | undefined, env: Io['env']): string {
  const url = (opt ?? env.WEBEX_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const check = checkBaseUrl(url);
  if (!check.ok) throw new UsageError(check.message);
  return url;
}

export function requireToken(env: Io['env']): string {
  // A secret stored with its line break (a CI secret, `$(cat token.txt)`) is the same token.
  const token = env.WEBEX_ACCESS_TOKEN?.trim();
  if (env.WEBEX_ACCESS_TOKEN === undefined || env.WEBEX_ACCESS_TOKEN === '') throw new UsageError('WEBEX_ACCESS_TOKEN is not set: export the access token (it is never printed)');
  if (!token) throw new UsageError('WEBEX_ACCESS_TOKEN holds only spaces or line breaks: export the access token (it is never printed)');
  const problem = tokenProblem(token);
  if (problem !== undefined) throw new UsageError(`WEBEX_ACCESS_TOKEN: ${problem}`);
  return token;
}

export function openClient(opts: ConnectionOptions, logger: Logger, env: Io['env']): { client: WebexClient; baseUrl: string } {
  const baseUrl = resolveBaseUrl(opts.baseUrl, env);
  const token = requireToken(env);
  const client = createWebexClient({ baseUrl, token, concurrency: parseConcurrency(opts.concurrency), logger });
  return { client, baseUrl };
}

export function loggerFor(opts: { logLevel?: string }, io: Io): Logger {
  return createLogger(opts.logLevel ?? 'warn', LOG_SENSITIVE_KEYS, io.stderr);
}

/** Test and CI knob: ms between progress lines when stderr is not a terminal (default 10 s). */
export const PROGRESS_INTERVAL_ENV = 'MEETCTL_PROGRESS_INTERVAL_MS';
const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;

export function progressIntervalMs(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[PROGRESS_INTERVAL_ENV];
  if (raw === undefined || raw === '') return DEFAULT_PROGRESS_INTERVAL_MS;
  const ms = Number(raw);
  // setInterval takes at most 2^31-1 ms; a larger value would fire at once.
  if (!Number.isInteger(ms) || ms < 1 || ms > 2 ** 31 - 1) throw new UsageError(`${PROGRESS_INTERVAL_ENV} must be a whole number of milliseconds from 1 to ${2 ** 31 - 1}, not ${raw}`);
  return ms;
}

/** Progress on stderr, with the 429 pauses of `client` counted from now (a plan before an apply has its own). */
export function startProgress(label: string, client: Pick<WebexClient, 'stats'>, io: Io): Progress {
  const intervalMs = progressIntervalMs(io.env);
  const before = client.stats().rateLimited;
  return createProgress({
    label,
    tty: io.stderr.isTTY === true,
    intervalMs,
    write: (text) => io.stderr.write(text),
    pauses: () => client.stats().rateLimited - before,
  });
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const d of sortDiagnostics([...diagnostics])) io.stderr.write(`${formatDiagnostic(d)}\n`);
}

// The partition lives with the plan scope, so plan --shard and apply PLANFILE --shard agree.
export { shardOf };

export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be K/N with 1 ≤ K ≤ N, not ${value}`);
  return { index: index - 1, count };
}

export interface PlanRun {
  plan: Plan;
  diagnostics: Diagnostic[];
  client: WebexClient;
  baseUrl: string;
  nowMs: number;
}

/** The documents `--target` and `--shard` leave in the plan. */
function inScope(documents: readonly DesiredMeeting[], opts: PlanOptions, shard: ReturnType<typeof parseShard>): DesiredMeeting[] {
  const keyOf = webexProvider.keyOf;
  let desired = [...documents];
  if (opts.target && opts.target.length > 0) {
    const targets = new Set(opts.target);
    const unknown = [...targets].filter((t) => !desired.some((d) => keyOf(d) === t));
    if (unknown.length > 0) throw new UsageError(`--target names meetings no file declares: ${unknown.join(', ')}`);
    desired = desired.filter((d) => targets.has(keyOf(d)));
  }
  if (shard) desired = desired.filter((d) => shardOf(keyOf(d), shard.count) === shard.index);
  return desired;
}

/**
 * Load and validate the files, read the live meetings, plan. The reads are free of side effects,
 * so they do not wait for validation: once every file is parsed (and the tree declares what
 * --target names), the preflight and then the plan's reads run while the files are validated.
 * Validation errors still stop here: the reads are then aborted and discarded, nothing is
 * planned and nothing is written. A tree that cannot even be parsed sends nothing.
 */
export async function runPlan(opts: PlanOptions, logger: Logger, io: Io): Promise<PlanRun> {
  const concurrency = parseConcurrency(opts.concurrency);
  const shard = parseShard(opts.shard);
  const fetch = opts.fetch ?? 'auto';
  if (!['auto', 'get', 'list'].includes(fetch)) throw new UsageError(`--fetch must be auto, get or list, not ${fetch}`);
  const baseUrl = resolveBaseUrl(opts.baseUrl, io.env);
  const token = requireToken(io.env);
  progressIntervalMs(io.env); // a wrong value stops the run here, before any request
  const raw = createWebexClient({ baseUrl, token, concurrency, logger });
  const ahead = new AbortController();
  // One small read first: a wrong token or base URL is one message, not one error per meeting.
  let checked: Promise<PreflightResult> | undefined;
  const check = () => (checked ??= preflight(withSignal(raw, ahead.signal), baseUrl));
  let guarded: GuardedClient | undefined;
  const guard = () => (guarded ??= guardClient(raw, baseUrl));
  // Progress lines start once the files are valid; until then the latest count is kept.
  let progress: Progress | undefined;
  let latest: { done: number; failed: number; remaining: number } | undefined;
  const onProgress = (p: { done: number; failed: number; remaining: number }) => {
    latest = p;
    progress?.update(p);
  };
  // Every file of the tree, not only the targeted ones: a file left out by --target or --shard still owns its meeting.
  const readOptions = (all: readonly DesiredMeeting[]) => ({ env: io.env, concurrency, strategy: fetch, prune: opts.prune === true, findOrphans: opts.findOrphans === true, allDesired: all, onProgress, signal: ahead.signal });
  let early: Promise<ProviderPlan | undefined> | undefined;
  const planEarly = (documents: readonly DesiredMeeting[]) => {
    let desired: DesiredMeeting[];
    try {
      desired = inScope(documents, opts, shard);
    } catch {
      return; // said again, and thrown, once the files are validated
    }
    if (documents.length === 0) return;
    early = check().then((c) => (c.ok ? webexProvider.plan(guard().client, desired, readOptions(documents)) : undefined));
    early.catch(() => undefined); // awaited below, or discarded
  };
  const discard = async () => {
    ahead.abort();
    await Promise.allSettled([checked, early]);
    await raw.close();
  };
  let loaded: Awaited<ReturnType<typeof webexProvider.load>>;
  try {
    loaded = await webexProvider.load(opts.dir, { parsed: planEarly });
  } catch (err) {
    await discard();
    throw err;
  }
  printDiagnostics(loaded.diagnostics, io);
  if (hasErrors(loaded.diagnostics)) {
    await discard();
    const count = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    const message = `${count} validation error${count === 1 ? '' : 's'} in ${opts.dir}: nothing was planned (run meetctl validate)`;
    throw new ValidationFailed(message, sortDiagnostics(loaded.diagnostics), loaded.fileCount);
  }
  const nothing = noDocumentsDiagnostic(opts.dir, loaded, webexProvider.words.object);
  if (nothing) {
    await discard();
    throw new ValidationFailed(`${nothing.message}; nothing was planned`, sortDiagnostics([...loaded.diagnostics, nothing]), loaded.fileCount);
  }
  let desired: DesiredMeeting[];
  try {
    desired = inScope(loaded.documents, opts, shard);
  } catch (err) {
    await discard();
    throw err;
  }
  const c = await check();
  if (!c.ok) {
    await discard();
    throw new UsageError(`${c.message}; nothing was planned`);
  }
  const { client, fatal } = guard();
  const started = Date.now();
  progress = startProgress('planning', raw, io);
  // The reads count the files that name their series (a keyed file's series is found in a list, not read).
  progress.update(latest ?? { done: 0, failed: 0, remaining: desired.filter((d) => d.id !== undefined).length });
  // Without errors the validated documents are the ones the early plan started from.
  const planNow = async () => (await early) ?? webexProvider.plan(client, desired, readOptions(loaded.documents));
  const planned = await planNow().finally(() => progress?.end());
  const { notes, nowMs } = planned;
  // An orphan has no file to target: --target leaves every orphan out; --shard keeps those whose key falls in it.
  const orphanInScope = (key: string | undefined) => !(opts.target && opts.target.length > 0) && (!shard || (key !== undefined && shardOf(key, shard.count) === shard.index));
  const changes = planned.changes.filter((c) => !c.prune || orphanInScope(c.key));
  const orphans = (planned.orphans ?? []).filter((o) => orphanInScope(o.key));
  // A shard deletes only the orphans whose key falls in it: its delete guard weighs them against the
  // owned series of that shard, or N shards would each pass 1/N of a share the whole plan is refused.
  const owned = shard && planned.ownedKeys ? planned.ownedKeys.filter((k) => shardOf(k, shard.count) === shard.index).length : planned.owned;
  const stopped = fatal();
  if (stopped) {
    await raw.close();
    throw new UsageError(`${stopped.message}; stopped at the first refusal, nothing was planned`);
  }
  logger.info({ meetings: desired.length, ms: Date.now() - started, ...client.stats() }, 'plan fetched live state');
  const made = makePlan({ baseUrl, controls: planControls(opts.sendEmail), changes, notes, orphans, owned, prune: opts.prune === true, unread: planned.unread, now: new Date(nowMs) });
  const guards = guardNotes(made, { noun: webexProvider.words.objects, massChangeWhy: webexProvider.words.massChangeWhy });
  const plan = { ...made, notes: [...made.notes, ...warningNotes(loaded.diagnostics, webexProvider.repeatedInPlan), ...guards] };
  return { plan, diagnostics: loaded.diagnostics, client, baseUrl, nowMs };
}

export function useColor(io: Io): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR;
}
