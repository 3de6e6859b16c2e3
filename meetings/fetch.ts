/**
 * Reading the live state a plan needs, with as few requests as the API allows:
 * - series: one GET each, or — when many are declared — the List Meetings endpoint at
 *   max=100 per page, with a GET for any declared id the list did not return;
 * - scheduled meetings: only for series that declare overrides (one GET, or one windowed
 *   list of the series when it declares several), and the modified ones of a series whose
 *   change will cancel them.
 * Plan never writes.
 */
import pLimit from 'p-limit';
import type { Change } from '../core/plan.js';
import type { WebexClient, WebexError } from './client.js';
import type { DesiredMeeting } from './desired.js';
import {
  planOccurrences,
  planSeries,
  type Fetched,
  type LiveMeeting,
  type PlanContext,
  type SeriesPlan,
} from './planner.js';

export type FetchStrategy = 'auto' | 'get' | 'list';

export interface LivePlanOptions {
  client: WebexClient;
  desired: readonly DesiredMeeting[];
  env: Readonly<Record<string, string | undefined>>;
  concurrency: number;
  strategy?: FetchStrategy;
  /** Local clock, used only when no response carried a Date header. */
  fallbackNowMs?: number;
}

export interface LivePlanResult {
  changes: Change[];
  nowMs: number;
}

/** Above this many declared series, listing every series beats one GET each. */
export const LIST_THRESHOLD = 100;
const DAY = 24 * 3600 * 1000;
const YEAR = 365.25 * DAY;

function toFetched(result: { ok: true; value: LiveMeeting } | { ok: false; error: WebexError }): Fetched {
  if (result.ok) return { ok: true, meeting: result.value };
  return { ok: false, status: result.error.status, message: result.error.message, trackingId: result.error.trackingId };
}

function notListed(): Fetched {
  return { ok: false, status: 404, message: 'not found' };
}

async function fetchSeries(opts: LivePlanOptions, limit: <T>(fn: () => Promise<T>) => Promise<T>): Promise<Map<string, Fetched>> {
  const { client, desired } = opts;
  const strategy = opts.strategy ?? 'auto';
  const byId = new Map<string, Fetched>();
  const useList = strategy === 'list' || (strategy === 'auto' && desired.length > LIST_THRESHOLD);
  if (useList) {
    const wanted = new Set(desired.map((d) => d.id));
    const hosts = [...new Set(desired.map((d) => d.hostEmail ?? ''))];
    const now = opts.fallbackNowMs ?? Date.now();
    // Series overlapping [yesterday, +10 years]: everything that can still be updated.
    const window = { from: new Date(now - DAY).toISOString(), to: new Date(now + 10 * YEAR + DAY).toISOString() };
    await Promise.all(
      hosts.map((host) =>
        limit(async () => {
          const listed = await client.listMeetings({ meetingType: 'meetingSeries', max: 100, ...window, hostEmail: host || undefined });
          if (!listed.ok) return; // fall back to one GET per id below
          for (const m of listed.value as LiveMeeting[]) if (wanted.has(m.id)) byId.set(m.id, { ok: true, meeting: m });
        }),
      ),
    );
  }
  await Promise.all(
    desired
      .filter((d) => !byId.has(d.id))
      .map((d) => limit(async () => byId.set(d.id, toFetched(await client.getMeeting(d.id, { hostEmail: d.hostEmail }) as never)))),
  );
  return byId;
}

function occurrenceInstant(id: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/** The declared overrides of a series that does not reschedule: a GET for one, a windowed list for several. */
async function fetchDeclaredOccurrences(client: WebexClient, plan: SeriesPlan): Promise<Map<string, Fetched>> {
  const found = new Map<string, Fetched>();
  const ids = plan.desired.occurrences.map((o) => o.id);
  const hostEmail = plan.desired.hostEmail;
  if (ids.length > 1) {
    const instants = ids.map(occurrenceInstant).filter((x): x is number => x !== undefined);
    const from = new Date(Math.min(...instants) - DAY).toISOString();
    const to = new Date(Math.max(...instants) + DAY).toISOString();
    const listed = await client.listMeetings({ meetingSeriesId: plan.desired.id, meetingType: 'scheduledMeeting', from, to, max: 100, hostEmail });
    if (listed.ok) for (const m of listed.value as LiveMeeting[]) if (ids.includes(m.id)) found.set(m.id, { ok: true, meeting: m });
  }
  for (const id of ids) {
    if (!found.has(id)) found.set(id, toFetched((await client.getMeeting(id, { hostEmail })) as never));
  }
  return found;
}

/** The exceptional scheduled meetings that a rescheduling series change would cancel. */
async function fetchModified(client: WebexClient, plan: SeriesPlan, nowMs: number): Promise<LiveMeeting[] | WebexError> {
  const listed = await client.listMeetings({
    meetingSeriesId: plan.desired.id,
    meetingType: 'scheduledMeeting',
    isModified: true,
    from: new Date(nowMs - DAY).toISOString(),
    to: new Date(nowMs + 10 * YEAR).toISOString(),
    max: 100,
    hostEmail: plan.desired.hostEmail,
  });
  if (!listed.ok) return listed.error;
  return (listed.value as LiveMeeting[]).filter((m) => m.isModified === true && m.meetingType !== 'meeting');
}

export async function planAgainstLive(opts: LivePlanOptions): Promise<LivePlanResult> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const series = await fetchSeries(opts, limit);
  const nowMs = opts.client.serverNow() ?? opts.fallbackNowMs ?? Date.now();
  const ctx: PlanContext = { nowMs, env: opts.env };
  const seriesPlans = opts.desired.map((d) => planSeries(d, series.get(d.id), ctx));

  const changes: Change[] = [];
  await Promise.all(
    seriesPlans.map((plan) =>
      limit(async () => {
        let occurrences = new Map<string, Fetched>();
        let modified: LiveMeeting[] = [];
        if (plan.change.action === 'update' && plan.reschedules) {
          const result = await fetchModified(opts.client, plan, nowMs);
          if (Array.isArray(result)) modified = result;
          else plan.change.warnings.push(`could not list the modified scheduled meetings this change cancels: ${result.message}`);
        } else if (plan.desired.occurrences.length > 0 && plan.live) {
          occurrences = await fetchDeclaredOccurrences(opts.client, plan);
        } else {
          for (const o of plan.desired.occurrences) occurrences.set(o.id, notListed());
        }
        changes.push(plan.change, ...planOccurrences(plan, occurrences, modified, ctx));
      }),
    ),
  );
  return { changes, nowMs };
}
