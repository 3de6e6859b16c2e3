/**
 * Planning against the live API: read → plan the series → read what they need → plan the
 * occurrences. The reads are read-live.ts (plain data, as few requests as the API allows), the
 * planning is plan-live.ts (pure); this only runs them in turn. Plan never writes.
 */
import pLimit from 'p-limit';
import type { WebexClient } from './client.js';
import { identifiedAsWritten, type DesiredMeeting } from './desired.js';
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
}

export type LivePlanResult = LivePlan;

export async function planAgainstLive(opts: LivePlanOptions): Promise<LivePlanResult> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const identified = opts.desired.map(identifiedAsWritten).filter((d) => d !== undefined);
  const { state, modified } = await readSeriesState({ ...opts, desired: identified }, limit);
  const series = planSeriesPhase(identified, state, opts.env);
  const scheduled = await readScheduled(opts.client, series.needs, modified, limit, state.nowMs);
  return planScheduledPhase(series, scheduled);
}
