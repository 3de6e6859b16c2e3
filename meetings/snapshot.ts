/**
 * `meetctl import --snapshot`: the live state of the meetings a tree of files declares, as an
 * emulator seed (schemas/seed.schema.json), so that a plan and its apply can be rehearsed against
 * an emulator started from it before they touch the calendar. The reads are those a plan makes:
 * each series with `current=false`, its modified scheduled meetings over every window a plan
 * looks at, each declared scheduled meeting, the site's tracking codes, and the server's clock.
 * What is kept of each meeting, and how secrets are removed, is in snapshot-state.ts.
 */
import pLimit from 'p-limit';
import type { JsonObject } from '../core/plan.js';
import type { Meeting, Result, WebexClient } from './client.js';
import type { TrackingCodeDefinition } from './client/types.js';
import { errorLine } from './client/errors.js';
import type { DesiredMeeting, IdentifiedMeeting } from './desired.js';
import { ownershipTag } from './ownership.js';
import { identify } from './plan-lifecycle.js';
import { updatableUntil } from './catalogue.js';
import { ofSeries, originalStartOf } from './ids.js';
import { compareStrings } from '../core/order.js';
import { modifiedEntry, seriesEntry, unmodifiedEntry, type EntryContext, type SecretNote } from './snapshot-state.js';
import { isValidTimeZone } from './time.js';
import { declaresTrackingCodes } from './read-live.js';

const DAY = 24 * 3600 * 1000;
export const SEED_SCHEMA_ID = 'https://meetctl.dev/schemas/seed.schema.json';
/** The token a snapshot's emulator accepts (not a secret: the emulator's documented default). */
export const SNAPSHOT_TOKEN = 'emulator-admin-token';

export interface SnapshotOptions {
  client: WebexClient;
  desired: readonly DesiredMeeting[];
  env: Readonly<Record<string, string | undefined>>;
  concurrency: number;
  /** Local clock, used only when no response carried a Date header. */
  fallbackNowMs?: number;
}

export interface SnapshotResult {
  seed: JsonObject;
  /** Read failures: a snapshot missing a meeting would rehearse another calendar, so nothing is written. */
  errors: string[];
  warnings: string[];
  secrets: SecretNote[];
  counts: { series: number; occurrences: number; trackingCodes: number };
}


/** The window of a plan's reads of modified scheduled meetings: every declared one, and the ten years a rescheduling cancels. */
function occurrenceWindow(d: IdentifiedMeeting, nowMs: number): { from: string; to: string } {
  const instants = d.occurrences.map((o) => originalStartOf(o.id)).filter((x): x is number => x !== undefined);
  const from = Math.min(nowMs, ...instants) - DAY;
  const to = Math.max(updatableUntil(nowMs), ...instants) + DAY;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The zone the file schedules the meeting in (reads do not reveal it): the rule is laid out in it. */
function zoneOf(d: IdentifiedMeeting): string {
  const zone = d.fields.timezone;
  return typeof zone === 'string' && isValidTimeZone(zone) ? zone : 'UTC';
}

interface Read {
  desired: IdentifiedMeeting;
  series?: Meeting;
  modified: Meeting[];
  declared: Map<string, Result<Meeting>>;
}

async function readOne(client: WebexClient, d: IdentifiedMeeting, nowMs: number, errors: string[], warnings: string[]): Promise<Read> {
  const read: Read = { desired: d, modified: [], declared: new Map() };
  const got = await client.getMeeting(d.id, { hostEmail: d.hostEmail });
  if (!got.ok) {
    if (got.error.status === 404) warnings.push(`${d.file}: meeting series ${d.id} not found (404); the snapshot leaves it out, as Webex does`);
    else errors.push(`${d.file}: could not read meeting series ${d.id}: ${errorLine(got.error)}`);
    return read;
  }
  read.series = got.value as Meeting;
  // Get a Meeting's answer has no isModified (a list item has): a declared scheduled meeting is
  // modified when the list of modified ones holds it, so that list is read for every series that
  // has a rule or declared scheduled meetings (a one-off's meeting can be modified too).
  const hasRule = typeof read.series.recurrence === 'string' && read.series.recurrence !== '';
  if (hasRule || d.occurrences.length > 0) {
    const listed = await client.listMeetings({
      meetingSeriesId: d.id,
      meetingType: 'scheduledMeeting',
      isModified: true,
      current: false,
      max: 100,
      ...occurrenceWindow(d, nowMs),
      hostEmail: d.hostEmail,
    });
    if (!listed.ok) errors.push(`${d.file}: could not list the modified scheduled meetings of ${d.id}: ${errorLine(listed.error)}`);
    else read.modified = (listed.value as Meeting[]).filter((m) => m.isModified === true && ofSeries(m, d.id)).sort((a, b) => compareStrings(a.id, b.id));
  }
  for (const o of d.occurrences) {
    if (read.modified.some((m) => m.id === o.id)) continue;
    const occ = (await client.getMeeting(o.id, { hostEmail: d.hostEmail })) as Result<Meeting>;
    if (!occ.ok && occ.error.status !== 404) errors.push(`${d.file}: could not read scheduled meeting ${o.id}: ${errorLine(occ.error)}`);
    else read.declared.set(o.id, occ);
  }
  return read;
}

/**
 * The user the token acts as, when files name no host: the host of most of the series read
 * without one (Webex does not say whose the token is). The others were listed to that user as an
 * invitee, and stay so in the emulator.
 */
function tokenUser(reads: readonly Read[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of reads) {
    const host = r.series?.hostEmail;
    if (r.desired.hostEmail === undefined && typeof host === 'string') counts.set(host, (counts.get(host) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function entryOf(r: Read & { series: Meeting }, user: string | undefined, ctx: EntryContext): JsonObject {
  const entry = seriesEntry(r.series, r.desired, zoneOf(r.desired), ctx);
  const occurrences: JsonObject[] = r.modified.map((m) => modifiedEntry(m, r.series, r.desired, ctx));
  // A declared one the modified list did not return is not modified (the list covers every declared original start).
  for (const [id, res] of r.declared) occurrences.push(res.ok ? unmodifiedEntry(res.value) : { id, cancelled: true });
  if (occurrences.length > 0) entry.occurrences = occurrences.sort((a, b) => compareStrings(String(a.id), String(b.id)));
  if (r.desired.hostEmail === undefined && user !== undefined && r.series.hostEmail !== user) entry.invitees = [user];
  return entry;
}

/**
 * The files with every id known: a key-only file's series is found by its ownership tag (one list
 * each), as a plan finds it; one that no series carries is left out, and a rehearsal plans it as a create.
 */
async function identifyAll(opts: SnapshotOptions, nowMs: number, limit: ReturnType<typeof pLimit>, errors: string[], warnings: string[]): Promise<IdentifiedMeeting[]> {
  const found = await Promise.all(
    opts.desired.map((d) =>
      limit(async (): Promise<IdentifiedMeeting | undefined> => {
        if (d.id !== undefined) return identify(d, d.id);
        const tag = ownershipTag(d.key as string);
        const listed = await opts.client.findByIntegrationTag(tag, { hostEmail: d.hostEmail, fromMs: nowMs - DAY, toMs: updatableUntil(nowMs) });
        if (!listed.ok) {
          errors.push(`${d.file}: could not look up ${tag}: ${errorLine(listed.error)}`);
          return undefined;
        }
        if (listed.value.length === 1) return identify(d, listed.value[0].id);
        if (listed.value.length === 0) warnings.push(`${d.file}: no meeting carries ${tag} yet, so the snapshot has none for it; a rehearsal plans it as a create`);
        else errors.push(`${d.file}: ${listed.value.length} meetings carry ${tag} (${listed.value.map((m) => m.id).sort().join(', ')})`);
        return undefined;
      }),
    ),
  );
  return found.filter((d): d is IdentifiedMeeting => d !== undefined);
}

const defaultOf = (code: TrackingCodeDefinition): string | undefined => code.options.find((o) => o.defaultValue)?.value;

/** The user-level codes that give each other host (`''`: the token's user) the defaults it read, over the site codes `site`. */
function usersOwnCodes(
  site: readonly TrackingCodeDefinition[],
  others: readonly { host: string; read: Result<TrackingCodeDefinition[]> }[],
  user: string | undefined,
  warnings: string[],
): JsonObject[] {
  const out: JsonObject[] = [];
  for (const { host, read } of others) {
    const email = host || user;
    if (email === undefined) continue;
    if (!read.ok) {
      warnings.push(`could not read the tracking codes of ${email} (${errorLine(read.error)}): the copy gives that host the site's defaults`);
      continue;
    }
    for (const code of read.value) {
      const own = defaultOf(code);
      const shared = site.find((c) => c.name.toLowerCase() === code.name.toLowerCase());
      if (own !== undefined && shared !== undefined && own !== defaultOf(shared)) out.push({ email, name: shared.name, value: own });
    }
  }
  return out;
}

export async function takeSnapshot(opts: SnapshotOptions): Promise<SnapshotResult> {
  const { client } = opts;
  const errors: string[] = [];
  const warnings: string[] = [];
  const limit = pLimit(Math.max(1, opts.concurrency));
  const startNow = client.serverNow() ?? opts.fallbackNowMs ?? Date.now();
  const desired = await identifyAll(opts, startNow, limit, errors, warnings);
  // Each host sees the site's codes with its own user-level values merged in as the defaults
  // (paths./meetings/trackingCodes.get.description): the first host's view becomes the copy's site
  // codes, and another host's default that differs from it becomes that host's user-level code
  // (read for the hosts whose files compare codes, as plan reads them).
  const base = desired.find((d) => d.hostEmail !== undefined)?.hostEmail;
  const otherHosts = [...new Set(desired.filter(declaresTrackingCodes).map((d) => d.hostEmail ?? ''))].filter((h) => h !== (base ?? ''));
  const codesRead = client.listTrackingCodes({ hostEmail: base });
  const otherCodes = Promise.all(otherHosts.map((host) => limit(async () => ({ host, read: await client.listTrackingCodes({ hostEmail: host || undefined }) }))));
  const reads = await Promise.all(desired.map((d) => limit(() => readOne(client, d, startNow, errors, warnings))));
  const codes = await codesRead;
  const others = await otherCodes;
  const serverNow = client.serverNow();
  if (serverNow === undefined) warnings.push("no response carried a Date header: the snapshot's clock is this machine's");
  const nowMs = serverNow ?? opts.fallbackNowMs ?? Date.now();

  const seed: JsonObject = { $schema: SEED_SCHEMA_ID, now: new Date(nowMs).toISOString() };
  const user = tokenUser(reads);
  if (user !== undefined) seed.tokens = [{ token: SNAPSHOT_TOKEN, admin: true, hostEmail: user, label: 'admin' }];
  let trackingCodes = 0;
  if (codes.ok) {
    seed.trackingCodes = codes.value.map((c) => ({
      name: c.name,
      ...(c.inputMode === undefined ? {} : { inputMode: c.inputMode }),
      ...(c.type === undefined ? {} : { type: c.type }),
      service: 'MeetingCenter',
      options: c.options.map((o) => ({ value: o.value, defaultValue: o.defaultValue })),
    }));
    trackingCodes = codes.value.length;
    const userCodes = usersOwnCodes(codes.value, others, user, warnings);
    if (userCodes.length > 0) seed.userTrackingCodes = userCodes;
  } else {
    warnings.push(`could not read the site's tracking codes (${errorLine(codes.error)}): the snapshot has none`);
  }
  const ctx: EntryContext = { env: opts.env, nowMs, notes: [] };
  const meetings = reads.filter((r): r is Read & { series: Meeting } => r.series !== undefined).map((r) => entryOf(r, user, ctx));
  seed.meetings = meetings;
  const fileOf = new Map(desired.map((d) => [d.id, d.file]));
  for (const n of ctx.notes) {
    if (n.unknown === undefined) continue;
    const file = fileOf.get(n.meetingId.split('_')[0]) ?? n.meetingId;
    warnings.push(`${file}: ${n.meetingId} ${n.field}: ${n.unknown}, so the snapshot cannot tell whether it matches; it holds a placeholder and a rehearsal shows it changed`);
  }
  const occurrences = meetings.reduce((sum, m) => sum + (Array.isArray(m.occurrences) ? m.occurrences.length : 0), 0);
  return { seed, errors, warnings, secrets: ctx.notes, counts: { series: meetings.length, occurrences, trackingCodes } };
}

/** The snapshot as written: pretty JSON with a trailing newline. */
export function renderSnapshot(seed: JsonObject): string {
  return `${JSON.stringify(seed, null, 2)}\n`;
}
