/**
 * Listing the series nobody declared, for `drift --report-unmanaged`: the one network step of a
 * drift report beyond the plan itself.
 */
import type { Plan } from '../core/plan.js';
import type { DriftError, UnmanagedObject } from '../core/render/drift-report.js';
import { compareStrings } from '../core/order.js';
import type { WebexClient } from './client.js';
import { errorLine } from './client/errors.js';
import { defaultWindow, sameEmail, seriesListQuery } from './import.js';
import { ownedKeysOf } from './ownership.js';

/**
 * Series the token (or the files' hosts) can see in the listing window that no file declares.
 * Each list states `current=false` (the default, true, would give a series its next
 * occurrence's start, not its own). A host's listing also holds their invitations, each item
 * naming its own host: those are not that host's meetings, so a series is reported once, under
 * the host the item names, and only from the caller's own listing or its host's.
 */
export async function findUnmanaged(
  client: WebexClient,
  declared: ReadonlySet<string>,
  hosts: readonly (string | undefined)[],
  window: { from: string; to: string },
): Promise<{ unmanaged: UnmanagedObject[]; errors: DriftError[] }> {
  const found = new Map<string, UnmanagedObject>();
  const errors: DriftError[] = [];
  const distinct = [...new Set(hosts.map((h) => h?.toLowerCase()))];
  for (const hostEmail of distinct) {
    const listed = await client.listMeetings(seriesListQuery(window, hostEmail));
    if (!listed.ok) {
      errors.push({ message: `could not list meeting series${hostEmail ? ` of ${hostEmail}` : ''}: ${errorLine(listed.error)}` });
      continue;
    }
    for (const m of listed.value) {
      if (declared.has(m.id) || found.has(m.id) || (m.meetingType !== undefined && m.meetingType !== 'meetingSeries')) continue;
      const ownHost = typeof m.hostEmail === 'string' && m.hostEmail !== '' ? m.hostEmail : undefined;
      if (hostEmail !== undefined && ownHost !== undefined && !sameEmail(ownHost, hostEmail)) continue; // an invitation of this host
      const entry: UnmanagedObject = { id: m.id };
      if (typeof m.title === 'string') entry.title = m.title;
      if (typeof m.start === 'string') entry.start = m.start;
      const host = ownHost ?? hostEmail;
      if (host !== undefined) entry.hostEmail = host;
      // meetctl created it, and no file names it: an orphan the lists of the files' hosts missed
      // (its host is named by none of them), so say whose it was.
      const [key] = ownedKeysOf(m.integrationTags);
      if (key !== undefined) entry.key = key;
      found.set(m.id, entry);
    }
  }
  // By title, then id: the report keeps this order.
  const unmanaged = [...found.values()].sort((a, b) => compareStrings(a.title ?? '', b.title ?? '') || compareStrings(a.id, b.id));
  return { unmanaged, errors };
}


/**
 * The unmanaged series around a plan: every series it declares is managed, and the hosts its files
 * name (request controls) are listed as well as the caller, over import's default window.
 */
export function findUnmanagedForPlan(client: WebexClient, plan: Plan, nowMs: number): Promise<{ unmanaged: UnmanagedObject[]; errors: DriftError[] }> {
  const declared = new Set(plan.changes.filter((c) => c.kind === 'series').map((c) => c.id));
  const hosts = [undefined, ...plan.changes.map((c) => c.controls?.hostEmail).filter((h): h is string => typeof h === 'string')];
  return findUnmanaged(client, declared, hosts, defaultWindow(nowMs));
}
