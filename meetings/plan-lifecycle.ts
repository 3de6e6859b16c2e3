/**
 * The lifecycle part of planning, pure like the rest: which meeting a file means (its id, or the
 * series that carries its ownership tag), what to create when a keyed file's meeting does not
 * exist, and which owned meetings no file declares any more (orphans, deleted only with --prune).
 */
import type { Change, JsonObject, Orphan } from '../core/plan.js';
import { LIMITS, MEETING_FIELDS, updatableUntil } from './catalogue.js';
import type { Meeting } from './client.js';
import type { DesiredMeeting, IdentifiedMeeting, IdentifiedOccurrence } from './desired.js';
import { diffFields, fullOverride, meetingFingerprint, withSeriesUnrevealed } from './field-diff.js';
import { originalStartNamed, scheduledIdFor } from './ids.js';
import { CREATED_MEETING, liveStateProblems, newMeetingState, type Problem } from './live-rules.js';
import { desiredInstant, liveInstant } from './normalize.js';
import { isOwnershipTag, MAX_OWN_TAGS, newSeriesId, ownedKeysOf, ownershipTag } from './ownership.js';
import type { Fetched, PlanContext } from './planner.js';
import { controlsOf, expectedOf, locatorFor, problemsToChange, sensitiveOf, seriesChangeBase, zoneOf } from './planner.js';
import type { ListedSeries } from './read-live.js';

/** How each file was matched to a live series. */
export interface Resolution {
  /** Files whose series exists, with every id known, and — for keyed ones found by tag — what was read. */
  identified: IdentifiedMeeting[];
  /** The file each of `identified` was made from, in the same order. */
  sources: DesiredMeeting[];
  /** Series found by their ownership tag, by id, for the planner to plan against. */
  found: Map<string, Fetched>;
  /** Keyed files whose meeting does not exist: to create. */
  toCreate: DesiredMeeting[];
  /** Files that cannot be planned (a key on two meetings, a look-alike meeting nobody owns, a list that failed...). */
  errors: Change[];
  /** Owned series no file declares. */
  orphans: { meeting: Meeting; key: string }[];
  /** How many owned series were seen. */
  owned: number;
  /** The key of each owned series seen, for a shard's share of them. */
  ownedKeys: string[];
}

function baseChange(desired: DesiredMeeting, id: string): Omit<Change, 'action'> {
  const change = seriesChangeBase(desired, id);
  if (desired.key !== undefined) change.key = desired.key;
  const controls = controlsOf(desired);
  if (controls) change.controls = controls;
  return change;
}

/** The file with each `at:` turned into the id it names on `seriesId`. */
export function identify(desired: DesiredMeeting, seriesId: string): IdentifiedMeeting {
  // Nearly every file names its series and its overrides by id: nothing to fill in, nothing to copy.
  if (desired.id === seriesId && desired.occurrences.every((o) => o.id !== undefined)) return desired as IdentifiedMeeting;
  const occurrences = desired.occurrences.map((o): IdentifiedOccurrence => {
    if (o.id !== undefined) return o as IdentifiedOccurrence;
    const at = originalStartNamed(o);
    // validate refused an unreadable `at:`; the id stays unmatchable rather than guessed.
    return { ...o, id: at === undefined ? `${seriesId}_invalid` : scheduledIdFor(seriesId, at) };
  });
  return { ...desired, id: seriesId, occurrences };
}

/**
 * The series nobody owns, by title, and by host (lower-cased) and title, in the order listed: each
 * keyed file to create looks its look-alike up here. Walking the whole list for each file made a
 * plan of 500 creates beside 10,000 series spend about 3 s on that alone.
 */
interface LookAlikes {
  byTitle: Map<unknown, Meeting[]>;
  byHost: Map<string, Map<unknown, Meeting[]>>;
}

function lookAlikeIndex(unowned: readonly Meeting[]): LookAlikes {
  const byTitle = new Map<unknown, Meeting[]>();
  const byHost = new Map<string, Map<unknown, Meeting[]>>();
  const add = (index: Map<unknown, Meeting[]>, m: Meeting) => {
    const same = index.get(m.title);
    if (same) same.push(m);
    else index.set(m.title, [m]);
  };
  for (const m of unowned) {
    add(byTitle, m);
    const host = String(m.hostEmail ?? '').toLowerCase();
    let titles = byHost.get(host);
    if (!titles) byHost.set(host, (titles = new Map()));
    add(titles, m);
  }
  return { byTitle, byHost };
}

/**
 * The first series listed with the same title and start as the file, that no one owns: creating
 * would duplicate it. Only the file's host's count; any host's when the file names none.
 */
function lookAlike(desired: DesiredMeeting, unowned: LookAlikes): Meeting | undefined {
  const start = desiredInstant(desired.fields.start, zoneOf(desired.fields));
  if (!start.ok) return undefined;
  const host = (desired.hostEmail ?? '').toLowerCase();
  const sameTitle = host === '' ? unowned.byTitle.get(desired.fields.title) : unowned.byHost.get(host)?.get(desired.fields.title);
  return sameTitle?.find((m) => liveInstant(m.start) === start.ms);
}

/**
 * Match every file to its series: a file with `id:` names it; a keyed file finds it by its ownership
 * tag in the series list. Owned series that no file's key names are orphans.
 */
export function resolveFiles(desired: readonly DesiredMeeting[], listed: ListedSeries | undefined, all: Declared): Resolution {
  const result: Resolution = { identified: [], sources: [], found: new Map(), toCreate: [], errors: [], orphans: [], owned: 0, ownedKeys: [] };
  const byKey = new Map<string, Meeting[]>();
  const unowned: Meeting[] = [];
  const owned: { meeting: Meeting; keys: string[] }[] = [];
  for (const m of listed?.series ?? []) {
    const keys = ownedKeysOf(m.integrationTags);
    if (keys.length === 0) {
      unowned.push(m);
      continue;
    }
    result.owned += 1;
    result.ownedKeys.push(keys[0]);
    owned.push({ meeting: m, keys });
    for (const key of keys) byKey.set(key, [...(byKey.get(key) ?? []), m]);
  }
  const failed = new Set(listed?.failures ?? []);
  let lookAlikes: LookAlikes | undefined;
  for (const d of desired) {
    if (d.id !== undefined) {
      result.identified.push(identify(d, d.id));
      result.sources.push(d);
      continue;
    }
    const key = d.key as string;
    const host = d.hostEmail ?? '';
    const owners = byKey.get(key) ?? [];
    if (owners.length > 1) {
      const ids = owners.map((m) => m.id).sort();
      result.errors.push({ ...baseChange(d, newSeriesId(key)), action: 'error', reason: `${owners.length} meetings carry the ownership tag ${ownershipTag(key)} (${ids.join(', ')}): keep one, or adopt one with id: beside key:` });
    } else if (owners.length === 1) {
      result.found.set(owners[0].id, { ok: true, meeting: owners[0] });
      result.identified.push(identify(d, owners[0].id));
      result.sources.push(d);
    } else if (listed === undefined || failed.has(host)) {
      result.errors.push({ ...baseChange(d, newSeriesId(key)), action: 'error', reason: `could not list the meeting series of ${host || "the token's user"} to find key ${key}: nothing is created without knowing it does not exist` });
    } else {
      const twin = lookAlike(d, (lookAlikes ??= lookAlikeIndex(unowned)));
      if (twin) {
        result.errors.push({
          ...baseChange(d, newSeriesId(key)),
          action: 'error',
          reason: `refusing to create a duplicate: series ${twin.id} has the same title and start and no ownership tag; to manage it, adopt it by adding id: ${twin.id} beside key: ${key}`,
        });
      } else {
        result.toCreate.push(d);
      }
    }
  }
  // An orphan is owned, and no file names it: not by one of its keys, and not by its id (a file
  // that dropped its key: line manages the meeting by id, which is never deleted).
  for (const { meeting, keys } of owned) {
    if (all.ids.has(meeting.id) || keys.some((k) => all.keys.has(k))) continue;
    result.orphans.push({ meeting, key: keys[0] });
  }
  return result;
}

/**
 * Why a keyed file cannot put its ownership tag on its live series, if it cannot: adopting a meeting
 * that already holds the 3 integration tags Webex keeps (PatchMeetingObject.integrationTags: "The
 * maximum size of integrationTags is 3") would plan an update the server refuses.
 */
export function ownershipTagProblem(desired: IdentifiedMeeting, live: Meeting | undefined): Change | undefined {
  const tags = withOwnershipTag(desired, live).fields.integrationTags;
  if (desired.key === undefined || !Array.isArray(tags) || tags.length <= MAX_OWN_TAGS + 1) return undefined;
  const own = tags.filter((t) => !isOwnershipTag(t)).map(String);
  return {
    ...baseChange(desired, desired.id),
    action: 'error',
    reason: `cannot add the ownership tag ${ownershipTag(desired.key)}: the meeting already has ${own.length} integration tags (${own.join(', ')}), and Webex keeps at most ${MAX_OWN_TAGS + 1}; declare at most ${MAX_OWN_TAGS} of them as integrationTags: in the file`,
  };
}

/** A keyed file's live series as the planner should want it: its ownership tag kept beside the tags it declares, and added on adoption. */
export function withOwnershipTag(desired: IdentifiedMeeting, live: Meeting | undefined): IdentifiedMeeting {
  if (desired.key === undefined || live === undefined) return desired;
  const own = ownershipTag(desired.key);
  const declared = desired.fields.integrationTags;
  if (Array.isArray(declared)) {
    const tags = [...declared.filter((t) => t !== own), own];
    return { ...desired, fields: { ...desired.fields, integrationTags: tags } };
  }
  const liveTags = Array.isArray(live.integrationTags) ? (live.integrationTags as unknown[]).map(String) : [];
  // A renamed key replaces the old ownership tag: two would leave the meeting owned by the old key too.
  const kept = liveTags.filter((t) => !isOwnershipTag(t));
  if (kept.length === liveTags.length - 1 && liveTags.includes(own)) return desired;
  return { ...desired, fields: { ...desired.fields, integrationTags: [...kept, own] } };
}

/**
 * The create of a keyed file's series — the POST body is every declared field and its ownership
 * tag — then its overrides and cancellations, sent after the create on the id it will give.
 */
export function planCreate(desired: DesiredMeeting, ctx: PlanContext): Change[] {
  const key = desired.key as string;
  const id = newSeriesId(key);
  const base = baseChange(desired, id);
  const declaredTags = Array.isArray(desired.fields.integrationTags) ? desired.fields.integrationTags : [];
  const fields = { ...desired.fields, integrationTags: [...declaredTags, ownershipTag(key)] };
  const zone = zoneOf(desired.fields);
  const siteCodes = ctx.trackingCodes?.get(desired.hostEmail ?? '');
  // Against a meeting that has nothing: every declared field is in the body, normalized as an update's would be.
  const diff = diffFields(fields, { id, meetingType: 'meetingSeries' }, MEETING_FIELDS, { nowMs: ctx.nowMs, env: ctx.env, zone, trackingCodes: siteCodes, creating: true });
  // Held to the rules an update of the new meeting would be: a webinar-only value or one without its switch is refused at the POST.
  diff.problems.unshift(...liveStateProblems(fields, newMeetingState(id), CREATED_MEETING));
  const start = liveInstant(diff.patch.start);
  if (start !== undefined && !diff.problems.some((p) => p.field === 'start')) {
    const problem = createStartProblem(start, String(diff.patch.start), ctx.nowMs);
    if (problem) diff.problems.push(problem);
  }
  if (diff.problems.length > 0) return [problemsToChange(base, diff.problems, locatorFor(desired))];
  // CreateMeetingObject.trackingCodes: a code left out that has a default option gets it, and a create cannot say null.
  if (desired.fields.trackingCodes === null && siteCodes?.defaults !== undefined && siteCodes.defaults.length > 0) {
    const given = siteCodes.defaults.map((c) => `${c.name}: ${c.value}`).join(', ');
    diff.warnings.push(`trackingCodes: null cannot be created: Webex gives a new meeting the site's default ${given}; the next plan clears them`);
  }
  const body: JsonObject = {};
  // A create has nothing to clear: a null in the file means "none", which a new meeting already has.
  for (const [name, value] of Object.entries(diff.patch)) if (value !== null) body[name] = value;
  // Webex documents no time zone for a create that names none (only an ad-hoc meeting's, UTC),
  // and the zone lays out the recurrence: the one meetctl planned in is sent, UTC for such a file.
  if (zone === undefined) body.timezone = 'UTC';
  const create: Change = { ...base, action: 'create', patch: body, warnings: diff.warnings };
  const expected = expectedOf(diff);
  if (expected) create.expected = expected;
  const sensitive = sensitiveOf(body);
  if (sensitive) create.sensitive = sensitive;
  return [create, ...desired.occurrences.map((o, index) => planCreatedOccurrence(desired, o, index, create, zone))];
}

/**
 * Why Webex would refuse a create at this start: CreateMeetingObject.start "cannot be before
 * current date and time", and paths./meetings.post "You can't create a meeting that starts 10
 * years or more in the future" (failed creates count toward the create quota). A keyed file's
 * meeting that is over looks like one never created, as the series lists reach back a day only.
 */
function createStartProblem(startMs: number, written: string, nowMs: number): Problem | undefined {
  if (startMs <= nowMs) {
    return { field: 'start', message: `start ${written} is not in the future (server time ${new Date(nowMs).toISOString()}): a meeting is created for a time to come; if meetctl created this file's meeting and it is over, it is found no more (the series lists reach back one day): delete the file, or give it a new start` };
  }
  if (startMs >= updatableUntil(nowMs)) {
    return { field: 'start', message: `start ${written} is ${LIMITS.notUpdatableYearsAhead} or more years from now (server time ${new Date(nowMs).toISOString()}): Webex creates no meeting that far ahead` };
  }
  return undefined;
}

function planCreatedOccurrence(desired: DesiredMeeting, occurrence: DesiredMeeting['occurrences'][number], index: number, create: Change, zone: string | undefined): Change {
  const at = originalStartNamed(occurrence);
  const base: Omit<Change, 'action'> = {
    ...baseChange(desired, at === undefined ? `${create.id}_invalid` : scheduledIdFor(create.id, at)),
    kind: 'scheduledMeeting',
    label: typeof occurrence.fields.title === 'string' ? occurrence.fields.title : create.label,
    order: 1,
    dependsOn: create.id,
  };
  if (occurrence.id !== undefined || at === undefined) {
    return { ...base, action: 'error', reason: 'an occurrence of a meeting meetctl creates is named by its original start (at:), not by an id that does not exist yet' };
  }
  if (occurrence.cancelled) return { ...base, action: 'delete' };
  const full = fullOverride(occurrence, withSeriesUnrevealed({}, desired.fields), zoneOf(occurrence.fields) ?? zone);
  if (full.problems.length > 0) return problemsToChange(base, full.problems, locatorFor(desired, ['occurrences', index]));
  const change: Change = { ...base, action: 'update', patch: full.patch, warnings: ['set after the series is created'] };
  const sensitive = sensitiveOf(full.patch);
  if (sensitive) change.sensitive = sensitive;
  return change;
}

/** Orphans as the plan lists them, or — when it prunes — as deletes. */
export function planOrphans(orphans: Resolution['orphans'], prune: boolean): { changes: Change[]; listed: Orphan[] } {
  const listed: Orphan[] = [];
  const changes: Change[] = [];
  for (const { meeting, key } of orphans) {
    const label = typeof meeting.title === 'string' ? meeting.title : undefined;
    if (!prune) {
      listed.push(label === undefined ? { id: meeting.id, key } : { id: meeting.id, key, label });
      continue;
    }
    const change: Change = {
      id: meeting.id,
      key,
      kind: 'series',
      action: 'delete',
      prune: true,
      file: '',
      patch: {},
      before: {},
      fingerprint: meetingFingerprint(meeting),
      warnings: [],
      order: 0,
    };
    if (label !== undefined) change.label = label;
    if (typeof meeting.hostEmail === 'string') change.controls = { hostEmail: meeting.hostEmail };
    changes.push(change);
  }
  return { changes, listed };
}

/** The keys every file declares (of the whole tree, not only the targeted files: an untargeted file's meeting is no orphan). */
/** The keys and ids the files of the whole tree declare (a file left out by --target or --shard still names its meeting). */
export interface Declared {
  keys: ReadonlySet<string>;
  ids: ReadonlySet<string>;
}

export function declared(desired: readonly DesiredMeeting[]): Declared {
  return {
    keys: new Set(desired.map((d) => d.key).filter((k): k is string => k !== undefined)),
    ids: new Set(desired.map((d) => d.id).filter((id): id is string => id !== undefined)),
  };
}

/**
 * The create quota of POST /meetings: "Regular users can schedule up to 100 meetings in 24 hours and
 * admin users up to 3000 overall or 800 for a single user … the failed requests are also counted".
 * The plan cannot see what was created in the last 24 hours, so it warns from what it would create.
 */
export const CREATE_QUOTA = { user: 100, admin: 3000, adminPerUser: 800 } as const;

export function createQuotaNotes(creates: readonly Change[]): string[] {
  const series = creates.filter((c) => c.action === 'create');
  if (series.length <= CREATE_QUOTA.user) return [];
  const perHost = new Map<string, number>();
  for (const c of series) {
    const host = typeof c.controls?.hostEmail === 'string' ? c.controls.hostEmail : "the token's user";
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
  }
  const [busiest, most] = [...perHost].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const over =
    series.length > CREATE_QUOTA.admin || most > CREATE_QUOTA.adminPerUser
      ? `more than even an administrator may: ${CREATE_QUOTA.admin} in 24 hours overall, ${CREATE_QUOTA.adminPerUser} for one user (${busiest}: ${most})`
      : `more than a regular user may (${CREATE_QUOTA.user} in 24 hours); an administrator may create ${CREATE_QUOTA.admin} overall and ${CREATE_QUOTA.adminPerUser} for one user (${busiest}: ${most})`;
  return [`create quota: this plan creates ${series.length} meetings, ${over}. Webex counts failed requests too; a create it refuses is not retried — apply the rest after 24 hours`];
}
