/** Reading the selected meeting series, and their modified scheduled meetings, from Webex. */
import pLimit from 'p-limit';
import type { ListQuery, Meeting, Result, WebexClient } from '../client.js';
import { errorLine } from '../client/errors.js';

import { updatableUntil } from '../catalogue.js';
import { OCCURRENCE_LIST_THRESHOLD, type Limit } from '../read-live.js';
import { ofSeries, seriesOfListed } from '../ids.js';

const DAY = 24 * 3600 * 1000;

export interface ImportSelection {
  ids?: readonly string[];
  all?: boolean;
  hosts?: readonly string[];
  /** The window series are listed over (ISO). */
  from: string;
  to: string;
  /** IANA zone the files state as `timezone` and write their times in; default UTC. */
  timezone?: string;
}


export interface ImportProblem {
  meetingId?: string;
  file?: string;
  message: string;
}

/** Series a `--host` listing returned that the host is only invited to: not theirs to import. */
export interface SkippedInvitations {
  host: string;
  count: number;
}


/** The default listing window: from a day ago to ten years ahead (everything still updatable). */
export function defaultWindow(nowMs: number): { from: string; to: string } {
  return { from: new Date(nowMs - DAY).toISOString(), to: new Date(updatableUntil(nowMs)).toISOString() };
}

/**
 * A List Meetings query of meeting series that relies on no server default: `current` defaults
 * to true, which gives each series the start and end of its next or ongoing occurrence instead
 * of its own; `from`/`to` default to a week around now and `max` to 10.
 */
export function seriesListQuery(window: { from: string; to: string }, hostEmail?: string): ListQuery {
  return { meetingType: 'meetingSeries', current: false, from: window.from, to: window.to, max: 100, hostEmail };
}

/** Same address, whatever the case (Webex compares emails case-insensitively). */
export function sameEmail(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

export interface Found {
  meeting: Meeting;
  /** The series' own host (the item's `hostEmail`): what the file states. */
  hostEmail?: string;
  /** The `hostEmail` the series was listed with, if any: the view follow-up reads use. */
  actingHost?: string;
}

/** How Webex answers a read of a meeting the caller may not see: as if it did not exist, or refused. */
const HIDDEN = new Set([403, 404]);


function ownHost(m: Meeting): string | undefined {
  return typeof m.hostEmail === 'string' && m.hostEmail !== '' ? m.hostEmail : undefined;
}

/** The selected series, deduplicated by id and sorted by title, then id; problems go to `errors`. */
export async function readSeries(
  opts: { client: WebexClient; selection: ImportSelection; concurrency: number },
  errors: ImportProblem[],
  invitations: SkippedInvitations[],
): Promise<Found[]> {
  const { client, selection } = opts;
  const limit = pLimit(Math.max(1, opts.concurrency));
  const byId = new Map<string, Found>();
  // Without hostEmail Webex lists the caller's hosted and invited meetings (an admin's too);
  // with it, that user's hosted meetings and their invitations, each item naming its own host.
  const lists: { hostEmail?: string }[] = [];
  if (selection.all) lists.push({});
  for (const host of new Set((selection.hosts ?? []).map((h) => h.toLowerCase()))) lists.push({ hostEmail: host });
  const listed = await Promise.all(lists.map((l) => limit(async () => ({ ...l, result: await client.listMeetings(seriesListQuery(selection, l.hostEmail)) }))));
  const invitedOf = new Map<string, Set<string>>();
  for (const { hostEmail, result } of listed) {
    if (!result.ok) {
      errors.push({ message: `could not list meeting series${hostEmail ? ` of ${hostEmail}` : ''}: ${errorLine(result.error)}` });
      continue;
    }
    for (const m of result.value as Meeting[]) {
      if (m.meetingType !== undefined && m.meetingType !== 'meetingSeries') continue;
      const host = ownHost(m);
      if (hostEmail !== undefined && host !== undefined && !sameEmail(host, hostEmail)) {
        // An invitation of this host: its file would name another host, and it is not this host's to import.
        let ids = invitedOf.get(hostEmail);
        if (!ids) invitedOf.set(hostEmail, (ids = new Set()));
        ids.add(m.id);
        continue;
      }
      const previous = byId.get(m.id);
      // The listing made as the series' own host is the view its follow-up reads should use.
      if (!previous || (hostEmail !== undefined && previous.actingHost === undefined)) byId.set(m.id, { meeting: m, hostEmail: host ?? hostEmail, actingHost: hostEmail });
    }
  }
  for (const [host, ids] of invitedOf) {
    const count = [...ids].filter((id) => !byId.has(id)).length;
    if (count > 0) invitations.push({ host, count });
  }
  // An admin sees another host's series only as that host: an id no list held is read as the
  // token's user, then as each --host in turn until one sees it.
  const hosts = [...new Set((selection.hosts ?? []).map((h) => h.toLowerCase()))];
  const readById = async (id: string): Promise<{ id: string; result: Result<Meeting>; actingHost?: string }> => {
    let result = await client.getMeeting(id);
    for (const host of hosts) {
      if (result.ok || !HIDDEN.has(result.error.status ?? 0)) break;
      result = await client.getMeeting(id, { hostEmail: host });
      if (result.ok) return { id, result, actingHost: host };
    }
    return { id, result };
  };
  const gets = await Promise.all((selection.ids ?? []).filter((id) => !byId.has(id)).map((id) => limit(() => readById(id))));
  for (const { id, result, actingHost } of gets) {
    if (!result.ok) {
      const why = result.error.status === 404 ? 'not found (404): check the id, or whether the token can see it' : errorLine(result.error);
      const hint = HIDDEN.has(result.error.status ?? 0) && hosts.length === 0 ? "; an admin sees another host's meeting only as that host: --host EMAIL" : '';
      errors.push({ meetingId: id, message: `could not read meeting series ${id}: ${why}${hint}` });
      continue;
    }
    const m = result.value as Meeting;
    if (m.meetingType !== undefined && m.meetingType !== 'meetingSeries') {
      errors.push({ meetingId: id, message: `${id} is a ${String(m.meetingType)}, not a meeting series: import its series (meetingSeriesId ${String(m.meetingSeriesId ?? '?')})` });
      continue;
    }
    byId.set(id, { meeting: m, hostEmail: ownHost(m) ?? actingHost, ...(actingHost ? { actingHost } : {}) });
  }
  // Stable output: by title, then id, whatever order the server listed them in.
  return [...byId.values()].sort(
    (a, b) => compareText(String(a.meeting.title ?? ''), String(b.meeting.title ?? '')) || compareText(a.meeting.id, b.meeting.id),
  );
}

/** The modified scheduled meetings of one series, in a list of its own (one round trip, more for more than 100). */
async function readModifiedOccurrences(client: WebexClient, found: Found, window: { from: string; to: string }): Promise<Meeting[] | string> {
  if (typeof found.meeting.recurrence !== 'string' || found.meeting.recurrence === '') return [];
  const result = await client.listMeetings({
    meetingSeriesId: found.meeting.id,
    meetingType: 'scheduledMeeting',
    isModified: true,
    current: false,
    from: window.from,
    to: window.to,
    max: 100,
    hostEmail: found.actingHost,
  });
  if (!result.ok) return errorLine(result.error);
  return (result.value as Meeting[])
    .filter((m): m is Meeting => m.isModified === true && m.meetingType !== 'meeting' && ofSeries(m, found.meeting.id))
    .sort((a, b) => compareText(a.id, b.id));
}

const isRecurring = (found: Found) => typeof found.meeting.recurrence === 'string' && found.meeting.recurrence !== '';

/**
 * The modified scheduled meetings of each series, in the order given (a string: why they could
 * not be read). `onRead` is called as each series' are known. Above OCCURRENCE_LIST_THRESHOLD
 * recurring series listed with one host, as plan does, they come from one list of that host's
 * (100 a page), not one list per series: an import of thousands would send a round trip for each.
 */
export async function readModifiedOfAll(
  client: WebexClient,
  series: readonly Found[],
  window: { from: string; to: string },
  limit: Limit,
  onRead: (read: Meeting[] | string) => void,
): Promise<(Meeting[] | string)[]> {
  const out: (Meeting[] | string)[] = series.map(() => []);
  const byHost = new Map<string, number[]>();
  series.forEach((found, i) => {
    if (!isRecurring(found)) return;
    const host = found.actingHost ?? '';
    const same = byHost.get(host);
    if (same) same.push(i);
    else byHost.set(host, [i]);
  });
  for (const found of series) if (!isRecurring(found)) onRead([]);
  await Promise.all(
    [...byHost].map(async ([host, indexes]) => {
      if (indexes.length <= OCCURRENCE_LIST_THRESHOLD) {
        await Promise.all(indexes.map((i) => limit(async () => onRead((out[i] = await readModifiedOccurrences(client, series[i], window))))));
        return;
      }
      const result = await limit(() =>
        client.listMeetings({ meetingType: 'scheduledMeeting', isModified: true, current: false, from: window.from, to: window.to, max: 100, ...(host === '' ? {} : { hostEmail: host }) }),
      );
      const bySeries = new Map<string | undefined, Meeting[]>();
      for (const m of result.ok ? (result.value as Meeting[]) : []) {
        if (m.isModified !== true || m.meetingType === 'meeting') continue;
        const seriesId = seriesOfListed(m);
        const same = bySeries.get(seriesId);
        if (same) same.push(m);
        else bySeries.set(seriesId, [m]);
      }
      for (const i of indexes) {
        out[i] = result.ok ? [...(bySeries.get(series[i].meeting.id) ?? [])].sort((a, b) => compareText(a.id, b.id)) : errorLine(result.error);
        onRead(out[i]);
      }
    }),
  );
  return out;
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
