/**
 * Series planned while the reads still run. A plan of 10,000 series used to wait for the last list
 * page and then spend most of a second planning; planned page by page, in the time the event loop
 * would otherwise wait for the network, it is nearly done when the last page lands.
 *
 * Only a shortcut: phase 1 (plan-live.ts) takes an early plan when it was made from exactly what
 * phase 1 has — the same file, the same live meeting object, the same context — and plans anything
 * else itself. Pure planning on the same inputs gives the same plan, so the result cannot differ.
 */
import type { Meeting } from './client.js';
import type { DesiredMeeting } from './desired.js';
import { identify, withOwnershipTag } from './plan-lifecycle.js';
import { planSeries, type PlanContext, type SeriesPlan } from './planner.js';
import type { CodesRead } from './read-live.js';
import { SLICE_MS } from '../core/turns.js';

/** What phase 1 may reuse: the context and the plans made early, by the file they plan. */
export interface EarlyPlans {
  /** The tracking-code reads `ctx` was made from: the context is reusable only with these. */
  codes: ReadonlyMap<string, CodesRead>;
  ctx: PlanContext;
  plans: ReadonlyMap<DesiredMeeting, { meeting: Meeting; plan: SeriesPlan }>;
}

export interface EarlyPlanner {
  /** The site's tracking codes were read: planning can start. */
  withCodes(codes: ReadonlyMap<string, CodesRead>): void;
  /** A page of listed series arrived. */
  offer(meetings: readonly Meeting[]): void;
  /** The reads are over: every series offered, planned (nothing more is planned after this). */
  finish(): EarlyPlans | undefined;
}

/**
 * Plans the listed series of the files that name their id (a keyed file is matched by tag once every
 * page is in; an id declared twice is left to phase 1, which sees the whole tree).
 */
export function earlyPlanner(desired: readonly DesiredMeeting[], contextOf: (codes: ReadonlyMap<string, CodesRead>) => PlanContext): EarlyPlanner {
  const byId = new Map<string, DesiredMeeting | null>();
  for (const d of desired) if (d.id !== undefined) byId.set(d.id, byId.has(d.id) ? null : d);
  const queue: Meeting[] = [];
  let next = 0;
  const plans = new Map<DesiredMeeting, { meeting: Meeting; plan: SeriesPlan }>();
  let early: { codes: ReadonlyMap<string, CodesRead>; ctx: PlanContext } | undefined;
  let scheduled = false;
  let finished = false;

  const planOne = (meeting: Meeting, ctx: PlanContext) => {
    const source = byId.get(meeting.id);
    if (!source || plans.has(source)) return;
    try {
      const identified = withOwnershipTag(identify(source, meeting.id), meeting);
      plans.set(source, { meeting, plan: planSeries(identified, { ok: true, meeting }, ctx) });
    } catch {
      // The files are not validated yet, and a value of the wrong type can make planning throw.
      // Thrown here, in a timer, it would end the process; phase 1 plans this one again, where a
      // throw rejects the plan's promise as it always did (and an invalid tree discards it).
    }
  };
  const drain = () => {
    scheduled = false;
    if (finished || early === undefined) return;
    const until = performance.now() + SLICE_MS;
    while (next < queue.length && performance.now() < until) {
      for (const end = Math.min(next + 20, queue.length); next < end; next++) planOne(queue[next], early.ctx);
    }
    if (next < queue.length) schedule();
  };
  const schedule = () => {
    if (scheduled || finished) return;
    scheduled = true;
    // After the I/O callbacks: the next page is requested, and answers handled, before planning.
    setImmediate(drain);
  };
  return {
    withCodes(codes) {
      if (early !== undefined || finished) return;
      early = { codes, ctx: contextOf(codes) };
      schedule();
    },
    offer(meetings) {
      if (finished) return;
      for (const m of meetings) if (byId.get(m.id)) queue.push(m);
      if (early !== undefined) schedule();
    },
    finish() {
      // The pages that came in last are planned now: phase 1 would plan them anyway.
      if (early !== undefined) for (; next < queue.length; next++) planOne(queue[next], early.ctx);
      finished = true;
      return early && { ...early, plans };
    },
  };
}
