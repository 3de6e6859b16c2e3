/**
 * Planning against live state already read, in two pure phases with the reads between them:
 * phase 1 plans every series and says which scheduled meetings planning their occurrences needs;
 * once those are read, phase 2 plans the occurrences and builds each file's changes. No clock,
 * no network: the server's "now" comes in the state, and no phase changes another's output.
 */
import type { Change } from '../core/plan.js';
import type { IdentifiedMeeting } from './desired.js';
import type { TrackingCode } from './normalize.js';
import { planNotes, planScheduled, planSeries, scheduledNeed, type PlanContext, type ScheduledNeed, type ScheduledRead, type SeriesPlan } from './planner.js';
import type { CodesRead, LiveState, SeriesState } from './read-live.js';

/** Series planned, with what is still to read and the notes so far. */
export interface SeriesPhase {
  ctx: PlanContext;
  plans: SeriesPlan[];
  /** The scheduled meetings to read before phase 2, one need per series that has any. */
  needs: ScheduledNeed[];
  notes: string[];
  nowMs: number;
}

export interface LivePlan {
  changes: Change[];
  /** Plan-wide notes (what the API does not let meetctl check), for `makePlan`. */
  notes: string[];
  nowMs: number;
}

const NO_READ: ScheduledRead = { declared: new Map(), modified: [] };

/**
 * The default option of each optional site tracking code, per host whose codes were read. A failed
 * read is said once, in a note, and that host's lists are compared as written.
 */
export function trackingCodeDefaults(reads: ReadonlyMap<string, CodesRead>): { byHost: Map<string, TrackingCode[]>; notes: string[] } {
  const byHost = new Map<string, TrackingCode[]>();
  const failures: string[] = [];
  for (const [host, read] of reads) {
    if (!read.ok) {
      failures.push(`${host || 'the token\'s user'}: ${read.message}`);
      continue;
    }
    byHost.set(
      host,
      read.codes.flatMap((code) => {
        const option = code.options.find((o) => o.defaultValue);
        return code.type === 'optional' && option !== undefined ? [{ name: code.name, value: option.value }] : [];
      }),
    );
  }
  const notes = failures.length === 0 ? [] : [`trackingCodes: could not read the site's tracking codes (${failures.sort().join('; ')}), so lists are compared as written, without the defaults Webex adds`];
  return { byHost, notes };
}

/** Phase 1: every series against its read, and which scheduled meetings phase 2 needs. */
export function planSeriesPhase(desired: readonly IdentifiedMeeting[], state: SeriesState, env: PlanContext['env']): SeriesPhase {
  const codes = trackingCodeDefaults(state.trackingCodes);
  const ctx: PlanContext = { nowMs: state.nowMs, env, trackingCodeDefaults: codes.byHost };
  const plans = desired.map((d) => planSeries(d, state.series.get(d.id), ctx));
  const needs = plans.map(scheduledNeed).filter((n): n is ScheduledNeed => n !== undefined);
  return { ctx, plans, needs, notes: [...planNotes(desired), ...codes.notes], nowMs: state.nowMs };
}

/** Phase 2: the occurrences of every planned series against what was read for it, in the order of the files. */
export function planScheduledPhase(phase: SeriesPhase, scheduled: ReadonlyMap<string, ScheduledRead>): LivePlan {
  const changes = phase.plans.flatMap((plan) => planScheduled(plan, scheduled.get(plan.desired.id) ?? NO_READ, phase.ctx));
  return { changes, notes: phase.notes, nowMs: phase.nowMs };
}

/** Both phases against a live state read in full (the scheduled meetings phase 1 asks for among them). */
export function planLive(desired: readonly IdentifiedMeeting[], state: LiveState, env: PlanContext['env']): LivePlan {
  return planScheduledPhase(planSeriesPhase(desired, state, env), state.scheduled);
}
