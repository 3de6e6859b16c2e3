/**
 * Planning against live state already read, in two pure phases with the reads between them:
 * phase 1 plans every series and says which scheduled meetings planning their occurrences needs;
 * once those are read, phase 2 plans the occurrences and builds each file's changes. No clock,
 * no network: the server's "now" comes in the state, and no phase changes another's output.
 */
import type { Change, Orphan } from '../core/plan.js';
import { keyOfMeeting, type DesiredMeeting } from './desired.js';
import { createQuotaNotes, declared, ownershipTagProblem, planCreate, planOrphans, resolveFiles, withOwnershipTag } from './plan-lifecycle.js';
import type { HostCodes } from './normalize.js';
import { planNotes, planScheduled, planSeries, scheduledNeed, type PlanContext, type ScheduledNeed, type ScheduledRead, type SeriesPlan } from './planner.js';
import type { CodesRead, LiveState, SeriesState } from './read-live.js';
import type { EarlyPlans } from './plan-early.js';

/** Series planned, with what is still to read and the notes so far. */
export interface SeriesPhase {
  ctx: PlanContext;
  plans: SeriesPlan[];
  /** The scheduled meetings to read before phase 2, one need per series that has any. */
  needs: ScheduledNeed[];
  notes: string[];
  nowMs: number;
  /** The changes that need no scheduled read: creates (and what follows them), prune deletes, files that cannot be planned. */
  lifecycle: Change[];
  orphans: Orphan[];
  owned?: number;
  ownedKeys?: string[];
  /** The notes of series lists that failed: what was not looked at. */
  unread: string[];
  /** Series whose plan was made while the reads ran (plan-early.ts) and taken as it was. */
  plannedWhileReading: number;
}

export interface LivePlan {
  changes: Change[];
  /** Plan-wide notes (what the API does not let meetctl check), for `makePlan`. */
  notes: string[];
  nowMs: number;
  orphans: Orphan[];
  owned?: number;
  ownedKeys?: string[];
  /** The notes of series lists that failed (ProviderPlan.unread). */
  unread: string[];
  /** Series planned while the reads ran, of `changes`' series. */
  plannedWhileReading: number;
}

export interface LifecycleOptions {
  /** Delete owned series no file declares (plan --prune); without it they are listed. */
  prune?: boolean;
  /** Orphans are listed whatever the files (drift): its report says whose meetings were looked at too. */
  findOrphans?: boolean;
  /** Every file of the tree, when `desired` is only the targeted ones: their keys are not orphans. */
  allDesired?: readonly DesiredMeeting[];
  /** Series planned while the reads ran (plan-early.ts), taken where made from the same inputs. */
  early?: EarlyPlans;
}

const NO_READ: ScheduledRead = { declared: new Map(), modified: [] };

/** The site's tracking codes as each host's read gave them, per host whose read succeeded. */
export interface SiteCodes {
  byHost: Map<string, HostCodes>;
}

/**
 * The site's tracking codes per host whose codes were read. A failed read is said once, in a note,
 * and that host's lists are compared as written.
 */
export function siteTrackingCodes(reads: ReadonlyMap<string, CodesRead>): SiteCodes & { notes: string[] } {
  const byHost = new Map<string, HostCodes>();
  const failures: string[] = [];
  for (const [host, read] of reads) {
    if (!read.ok) {
      failures.push(`${host || 'the token\'s user'}: ${read.message}`);
      continue;
    }
    const defaults = read.codes.flatMap((code) => {
      const option = code.options.find((o) => o.defaultValue);
      return code.type === 'optional' && option !== undefined ? [{ name: code.name, value: option.value }] : [];
    });
    // PatchMeetingObject.trackingCodes: "If the inputMode of a tracking code is select, its value must be one of the site-level options or the user-level value".
    const selects = read.codes.filter((code) => code.inputMode === 'select');
    byHost.set(host, { defaults, choices: new Map(selects.map((code) => [code.name.toLowerCase(), code.options.map((o) => o.value)])) });
  }
  const notes = failures.length === 0 ? [] : [`trackingCodes: could not read the site's tracking codes (${failures.sort().join('; ')}), so lists are compared as written, without the defaults Webex adds`];
  return { byHost, notes };
}

/**
 * Phase 1: which series each file means (by id, or by its ownership tag), every existing series
 * against its read, the creates of keyed files whose meeting does not exist, the owned series no
 * file declares; and which scheduled meetings phase 2 needs.
 */
export function planSeriesPhase(desired: readonly DesiredMeeting[], state: SeriesState, env: PlanContext['env'], options: LifecycleOptions = {}): SeriesPhase {
  const codes = siteTrackingCodes(state.trackingCodes);
  const { early } = options;
  // The early plans were made in this context only if it is made of the same reads, clock and environment.
  const reusable = early !== undefined && early.codes === state.trackingCodes && early.ctx.nowMs === state.nowMs && early.ctx.env === env;
  const ctx: PlanContext = reusable ? early.ctx : seriesContext(codes, state.nowMs, env);
  const resolved = resolveFiles(desired, state.listed, declared(options.allDesired ?? desired));
  const fetchedFor = (id: string) => state.series.get(id) ?? resolved.found.get(id);
  let plannedWhileReading = 0;
  const tagProblems: Change[] = [];
  const plans: SeriesPlan[] = [];
  resolved.identified.forEach((d, i) => {
    const fetched = fetchedFor(d.id);
    const live = fetched?.ok ? fetched.meeting : undefined;
    const problem = ownershipTagProblem(d, live);
    if (problem) return void tagProblems.push(problem);
    const made = reusable ? early.plans.get(resolved.sources[i]) : undefined;
    if (made !== undefined && live !== undefined && live === made.meeting) {
      plannedWhileReading += 1;
      plans.push(made.plan);
    } else plans.push(planSeries(withOwnershipTag(d, live), fetched, ctx));
  });
  const needs = plans.map(scheduledNeed).filter((n): n is ScheduledNeed => n !== undefined);
  const orphans = planOrphans(resolved.orphans, options.prune === true);
  const creates = resolved.toCreate.flatMap((d) => planCreate(d, ctx));
  const lifecycle = [...resolved.errors, ...tagProblems, ...creates, ...orphans.changes];
  const scanned = state.listed !== undefined;
  const lookedForOrphans = options.prune === true || options.findOrphans === true;
  const pruneScope = lookedForOrphans && scanned ? [orphanScopeNote(options.allDesired ?? desired, options.prune === true)] : [];
  const unread = listNotes(state);
  const notes = [...planNotes(desired), ...codes.notes, ...unread, ...createQuotaNotes(creates), ...noOwnedNotes(creates, scanned ? resolved.owned : undefined), ...pruneScope];
  return { ctx, plans, needs, notes, nowMs: state.nowMs, lifecycle, orphans: orphans.listed, unread, plannedWhileReading, ...(scanned ? { owned: resolved.owned, ownedKeys: resolved.ownedKeys } : {}) };
}

/** What planning a series needs besides the file and the live meeting: the server's now, the environment, the site's tracking codes. */
export function seriesContext(codes: SiteCodes, nowMs: number, env: PlanContext['env']): PlanContext {
  return { nowMs, env, trackingCodes: codes.byHost };
}

/**
 * Creates while the lists hold no owned series at all: a first run, or a token of another
 * integration than the one that created them — "An integrationTag created by one client cannot be
 * accessed … by another client" (paths./meetings.get.parameters.integrationTag), so to that token
 * every meeting meetctl made looks unowned, and its creates would be duplicates.
 */
function noOwnedNotes(creates: readonly Change[], owned: number | undefined): string[] {
  const count = creates.filter((c) => c.action === 'create').length;
  if (owned !== 0 || count === 0) return [];
  return [
    `ownership: no listed series carries a meetctl ownership tag, so the ${count} keyed file${count === 1 ? '' : 's'} without a meeting ${count === 1 ? 'is' : 'are'} planned as creates. On a first run that is right; if meetctl created ${count === 1 ? 'it' : 'them'} before, this token belongs to another integration than the one that did (Webex shows integration tags only to their own client) and apply would make duplicates: use that integration's token`,
  ];
}

/**
 * What --prune and drift look at: the series lists of the hosts the files name (the token's own user
 * for a file that names none). An owned meeting of any other host is neither listed nor deleted,
 * and the plan cannot know it is there: said, so that a shrinking tree does not read as pruned nor
 * a report as free of orphans.
 */
function orphanScopeNote(tree: readonly DesiredMeeting[], prune: boolean): string {
  const hosts = new Set(tree.map((d) => d.hostEmail?.toLowerCase() ?? ''));
  const named = [...hosts].filter((h) => h !== '').length;
  const who = [named > 0 ? `${named} host${named === 1 ? '' : 's'} the files name` : '', hosts.has('') ? "the token's own user" : ''].filter(Boolean).join(' and ');
  return prune
    ? `prune: orphans are looked for among the meetings of ${who}; an owned meeting of a host no file names is neither listed nor deleted`
    : `orphans: owned meetings that no file declares are looked for among the meetings of ${who}; an owned meeting of a host no file names is not seen`;
}

/** A series list that failed hides that host's owned meetings: say so once. */
function listNotes(state: SeriesState): string[] {
  const failures = state.listed?.failures ?? [];
  if (failures.length === 0) return [];
  const hosts = failures.map((h) => h || "the token's user").join(', ');
  return [`could not list the meeting series of ${hosts}: their owned meetings that no file declares are not shown, and their keyed files are not planned`];
}

/** Phase 2: the occurrences of every planned series against what was read for it, in the order of the files. */
export function planScheduledPhase(phase: SeriesPhase, scheduled: ReadonlyMap<string, ScheduledRead>): LivePlan {
  const changes = phase.plans.flatMap((plan) => withKey(planScheduled(plan, scheduled.get(plan.desired.id) ?? NO_READ, phase.ctx), keyOfMeeting(plan.desired)));
  const out: LivePlan = { changes: [...changes, ...phase.lifecycle], notes: phase.notes, nowMs: phase.nowMs, orphans: phase.orphans, unread: phase.unread, plannedWhileReading: phase.plannedWhileReading };
  if (phase.owned !== undefined) out.owned = phase.owned;
  if (phase.ownedKeys !== undefined) out.ownedKeys = phase.ownedKeys;
  return out;
}

/** Every change of a file carries the file's key (its key:, else its id): --target and --shard name the file by it. */
function withKey(changes: Change[], key: string): Change[] {
  return changes.map((c) => ({ ...c, key }));
}

/** Both phases against a live state read in full (the scheduled meetings phase 1 asks for among them). */
export function planLive(desired: readonly DesiredMeeting[], state: LiveState, env: PlanContext['env'], options: LifecycleOptions = {}): LivePlan {
  return planScheduledPhase(planSeriesPhase(desired, state, env, options), state.scheduled);
}
