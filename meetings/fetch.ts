/**
 * Planning against the live API: read (planning each page of series as it arrives, plan-early.ts)
 * → plan the series → read what they need → plan the occurrences. The reads are read-live.ts
 * (plain data, as few requests as the API allows), the planning is plan-live.ts (pure); this only
 * runs them in turn. Plan never writes.
 */
import pLimit from 'p-limit';
import { earlyPlanner } from './plan-early.js';
import { planScheduledPhase, planSeriesPhase, seriesContext, siteTrackingCodes, type LivePlan } from './plan-live.js';
import { readScheduled, readSeriesState, type ReadOptions } from './read-live.js';

export { LIST_THRESHOLD, OCCURRENCE_LIST_THRESHOLD, type FetchStrategy } from './read-live.js';
export { PAGES_PER_SLICE, roughSpan, sliceWindow, type Span } from './list-slices.js';

/** What planning against the live API takes: the reads' options (read-live.ts) and how many requests at once. */
export type LivePlanOptions = Omit<ReadOptions, 'nowMs' | 'onListedPage' | 'onTrackingCodes'> & {
  env: Readonly<Record<string, string | undefined>>;
  concurrency: number;
};

export type LivePlanResult = LivePlan;

export async function planAgainstLive(opts: LivePlanOptions): Promise<LivePlanResult> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  // The plan's "now" is the server's clock as the reads begin, when a response (the preflight's)
  // has told it: then the series can be planned page by page while the other pages are read.
  const nowMs = opts.client.serverNow();
  const early = nowMs === undefined ? undefined : earlyPlanner(opts.desired, (codes) => seriesContext(siteTrackingCodes(codes), nowMs, opts.env));
  const reads = { ...opts, nowMs, onListedPage: early?.offer, onTrackingCodes: early?.withCodes };
  const { state, modified } = await readSeriesState(reads, limit);
  const series = planSeriesPhase(opts.desired, state, opts.env, { prune: opts.prune, findOrphans: opts.findOrphans, allDesired: opts.allDesired, early: early?.finish() });
  const scheduled = await readScheduled(opts.client, series.needs, modified, limit, state.nowMs);
  return planScheduledPhase(series, scheduled);
}
