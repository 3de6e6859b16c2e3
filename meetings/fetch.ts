/**
 * Planning against the live API: read → plan the series → read what they need → plan the
 * occurrences. The reads are read-live.ts (plain data, as few requests as the API allows), the
 * planning is plan-live.ts (pure); this only runs them in turn. Plan never writes.
 */
import pLimit from 'p-limit';
import type { WebexClient } from './client.js';
import type { DesiredMeeting } from './desired.js';
import { planScheduledPhase, planSeriesPhase, type LivePlan } from './plan-live.js';
import { readScheduled, readSeriesState, type FetchStrategy } from './read-live.js';

export { LIST_THRESHOLD, OCCURRENCE_LIST_THRESHOLD, type FetchStrategy } from './read-live.js';
export { PAGES_PER_SLICE, roughSpan, sliceWindow, type Span } from './list-slices.js';

export interface LivePlanOptions {
  client: WebexClient;
  desired: readonly DesiredMeeting[];
  env: Readonly<Record<string, string | undefined>>;
  concurrency: number;
  strategy?: FetchStrategy;
  /** Local clock, used only when no response carried a Date header. */
  fallbackNowMs?: number;
  /** Called as each declared series is read (failed: it could not be read). */
  onProgress?(p: { done: number; failed: number; remaining: number }): void;
  /** Delete owned series no file declares (plan --prune). */
  prune?: boolean;
  /** Every file of the tree when `desired` is narrowed by --target or --shard. */
  allDesired?: readonly DesiredMeeting[];
}

export type LivePlanResult = LivePlan;

export async function planAgainstLive(opts: LivePlanOptions): Promise<LivePlanResult> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const { state, modified } = await readSeriesState(opts, limit);
  const series = planSeriesPhase(opts.desired, state, opts.env, { prune: opts.prune, allDesired: opts.allDesired });
  const scheduled = await readScheduled(opts.client, series.needs, modified, limit, state.nowMs);
  return planScheduledPhase(series, scheduled);
}
