/**
 * The generic apply engine: walks a plan's changes, sends the updates through a provider's
 * `send`, and returns one outcome per change. It knows nothing of the remote API; retries of
 * transient failures belong to `send` (the client), so each change is sent here at most once.
 *
 * Ordering: a change with `dependsOn` starts as soon as that change has succeeded (and is skipped
 * if it did not); a change without one waits until every change of a lower `order` has finished.
 * Concurrency is bounded by the AdaptiveLimit shared with the client: a change holds one slot
 * from its staleness check to the end of its send.
 */
import type { Change, JsonObject } from './plan.js';
import { isSent, sortChanges } from './plan.js';
import { maskPaths } from './saved-plan.js';
import { countOutcomes, type ApplyReport, type ChangeOutcome, type OutcomeStatus } from './report.js';
import type { AdaptiveLimit } from './gate.js';

/**
 * `createdId`: the id the server gave a created object; `sentTo`: the id a change planned on a
 * placeholder was sent to; `message`: what the report should say besides "applied".
 */
export type SendResult =
  | { ok: true; attempts: number; warnings: string[]; createdId?: string; sentTo?: string; message?: string }
  | { ok: false; attempts: number; message: string; httpStatus?: number; trackingId?: string; notUpdatable?: boolean; outcomeUnknown?: boolean };

/** `alreadyApplied`: the live object moved, but to exactly what the change would set (a re-run after an interruption). */
export type FreshResult = { fresh: true } | { fresh: false; message: string } | { alreadyApplied: true } | { error: string };

export interface ExecuteProgress {
  done: number;
  failed: number;
  remaining: number;
  startedAt: number;
}

/** What a change's send may need from before it: the outcome of the change it depends on (a create gives its `createdId`). */
export interface SendContext {
  dependency?: ChangeOutcome;
}

export interface ExecuteOptions {
  /** Only create, update and delete changes are sent; noop → unchanged, notUpdatable → notUpdatable, error → failed. */
  changes: Change[];
  /** `stop` aborts on the interrupt: from then on the send makes no new request; the one on the wire finishes. */
  send(change: Change, stop: AbortSignal, context: SendContext): Promise<SendResult>;
  /** Staleness check made right before sending: a stale change is not sent. */
  checkFresh?(change: Change, stop: AbortSignal, context: SendContext): Promise<FreshResult>;
  limit: AdaptiveLimit;
  /** Aborting stops new changes from starting, and the ones sending from sending anything more; requests on the wire finish. */
  signal?: AbortSignal;
  onProgress?(p: ExecuteProgress): void;
  baseUrl: string;
  /** The plan's request controls, recorded in the report (the provider's sender applies them). */
  controls: JsonObject;
}

export const INTERRUPTED_MESSAGE = 'not sent: apply was interrupted';

const SUCCEEDED: ReadonlySet<OutcomeStatus> = new Set(['applied', 'unchanged']);

export async function executePlan(o: ExecuteOptions): Promise<ApplyReport> {
  const startedAtMs = Date.now();
  const stop = o.signal ?? new AbortController().signal;
  const changes = sortChanges(o.changes);
  const outcomes: ChangeOutcome[] = new Array(changes.length);
  let done = 0;
  let failed = 0;
  let interrupted = false;

  const settle = (index: number, outcome: ChangeOutcome): ChangeOutcome => {
    outcomes[index] = outcome;
    done += 1;
    if (outcome.status === 'failed') failed += 1;
    if (outcome.message === INTERRUPTED_MESSAGE && outcome.status === 'skipped') interrupted = true;
    // A change the interrupt cut short (no retry after it) fails: the run was interrupted all the same.
    // One that landed meanwhile was not: an interrupt during the last request leaves a whole run.
    if (outcome.status === 'failed' && o.signal?.aborted === true) interrupted = true;
    o.onProgress?.({ done, failed, remaining: changes.length - done, startedAt: startedAtMs });
    return outcome;
  };

  // A dependency is looked up among the changes sent first: those are the ones that can fail at run time.
  const indexById = new Map<string, number>();
  for (const pass of [true, false]) {
    changes.forEach((change, index) => {
      if (isSent(change) === pass && !indexById.has(change.id)) indexById.set(change.id, index);
    });
  }

  const tasks: Promise<ChangeOutcome>[] = new Array(changes.length);
  const barriers = new Map<number, Promise<unknown>>();
  // Called while `tasks` holds only the changes sorted before this one, i.e. those of lower or equal order.
  const ordersBelow = (order: number): Promise<unknown> => {
    let barrier = barriers.get(order);
    if (!barrier) {
      barrier = Promise.all(tasks.filter((_, i) => changes[i].order < order));
      barriers.set(order, barrier);
    }
    return barrier;
  };

  changes.forEach((change, index) => {
    if (!isSent(change)) {
      tasks[index] = Promise.resolve(settle(index, plannedOutcome(change)));
      return;
    }
    const depIndex = change.dependsOn === undefined ? undefined : indexById.get(change.dependsOn);
    if (depIndex !== undefined && depIndex >= index) {
      tasks[index] = Promise.resolve(
        settle(index, outcome(change, 'failed', { message: `not sent: it depends on ${change.dependsOn}, which the plan orders after it` })),
      );
      return;
    }
    const prerequisite: Promise<ChangeOutcome | undefined> =
      depIndex !== undefined ? tasks[depIndex] : ordersBelow(change.order).then(() => undefined);
    tasks[index] = prerequisite.then(async (dependency) => {
      if (o.signal?.aborted) return settle(index, outcome(change, 'skipped', { message: INTERRUPTED_MESSAGE }));
      if (dependency && !SUCCEEDED.has(dependency.status)) {
        const message =
          dependency.message === INTERRUPTED_MESSAGE
            ? INTERRUPTED_MESSAGE
            : `not sent: ${dependency.kind} change ${dependency.id} ${describeStatus(dependency.status)}`;
        return settle(index, outcome(change, 'skipped', { message }));
      }
      // The interrupt reaches the send as its stop: no new request, no wait for one; a request on
      // the wire is never cut, it finishes and is reported.
      return settle(index, await runChange(change, o, stop, dependency === undefined ? {} : { dependency }));
    });
  });

  await Promise.all(tasks);
  const finishedAtMs = Date.now();
  return {
    baseUrl: o.baseUrl,
    startedAt: new Date(startedAtMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    interrupted,
    controls: o.controls,
    outcomes,
    counts: countOutcomes(outcomes),
  };
}

/** One change that sends: wait for a slot, check freshness, send. Never throws. */
async function runChange(change: Change, o: ExecuteOptions, stop: AbortSignal, context: SendContext): Promise<ChangeOutcome> {
  const slot = await o.limit.run(async (): Promise<ChangeOutcome> => {
    if (o.signal?.aborted) return outcome(change, 'skipped', { message: INTERRUPTED_MESSAGE });
    if (o.checkFresh) {
      let fresh: FreshResult;
      try {
        fresh = await o.checkFresh(change, stop, context);
      } catch (err) {
        fresh = { error: errorMessage(err) };
      }
      // A check the interrupt stopped wrote nothing: the change was not sent.
      if ('error' in fresh) return o.signal?.aborted ? outcome(change, 'skipped', { message: INTERRUPTED_MESSAGE }) : outcome(change, 'failed', { message: `could not check the live state: ${fresh.error}` });
      if ('alreadyApplied' in fresh) return outcome(change, 'unchanged', { message: 'already carries the planned values; not sent again' });
      if (!fresh.fresh) return outcome(change, 'stale', { message: fresh.message });
      // The check took time: an interrupt that arrived meanwhile still stops the write.
      if (o.signal?.aborted) return outcome(change, 'skipped', { message: INTERRUPTED_MESSAGE });
    }
    let result: SendResult;
    try {
      result = await o.send(change, stop, context);
    } catch (err) {
      result = { ok: false, attempts: 0, message: errorMessage(err) };
    }
    if (result.ok) {
      const extra: Partial<ChangeOutcome> = { attempts: result.attempts, warnings: result.warnings, ...sentPatch(change) };
      if (result.createdId !== undefined) extra.createdId = result.createdId;
      if (result.sentTo !== undefined && result.sentTo !== change.id) extra.sentTo = result.sentTo;
      if (result.message !== undefined) extra.message = result.message;
      return outcome(change, 'applied', extra);
    }
    // Stopped by the interrupt before its first request: nothing of it was sent.
    if (result.attempts === 0 && o.signal?.aborted) return outcome(change, 'skipped', { message: INTERRUPTED_MESSAGE });
    const extra: Partial<ChangeOutcome> = { attempts: result.attempts, message: result.message };
    if (result.httpStatus !== undefined) extra.httpStatus = result.httpStatus;
    if (result.trackingId !== undefined) extra.trackingId = result.trackingId;
    if (result.outcomeUnknown === true) extra.outcomeUnknown = true;
    return outcome(change, result.notUpdatable ? 'notUpdatable' : 'failed', extra);
  }, o.signal);
  return slot.ok ? slot.value : outcome(change, 'skipped', { message: INTERRUPTED_MESSAGE });
}

function plannedOutcome(change: Change): ChangeOutcome {
  switch (change.action) {
    case 'noop':
      return outcome(change, 'unchanged');
    case 'notUpdatable':
      return outcome(change, 'notUpdatable', change.reason === undefined ? {} : { message: change.reason });
    default:
      return outcome(change, 'failed', { message: change.reason ?? 'the plan could not compute this change' });
  }
}

function outcome(change: Change, status: OutcomeStatus, extra: Partial<ChangeOutcome> = {}): ChangeOutcome {
  const result: ChangeOutcome = {
    id: change.id,
    kind: change.kind,
    action: change.action,
    file: change.file,
    status,
    attempts: 0,
    warnings: [],
    ...extra,
  };
  if (change.label !== undefined) result.label = change.label;
  if (change.key !== undefined) result.key = change.key;
  return result;
}

/** What an applied change sent, for the report: the patch with sensitive values masked (a cleared one stays null). */
function sentPatch(change: Change): Pick<ChangeOutcome, 'patch' | 'sensitive'> {
  if (change.action === 'delete') return {};
  if (!change.sensitive?.length) return { patch: change.patch };
  return { patch: maskPaths(change.patch, change.sensitive), sensitive: [...change.sensitive] };
}

function describeStatus(status: OutcomeStatus): string {
  switch (status) {
    case 'failed':
      return 'failed';
    case 'stale':
      return 'was stale';
    case 'notUpdatable':
      return 'is not updatable';
    case 'skipped':
      return 'was skipped';
    default:
      return status;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
