/**
 * A series meetctl owns (its integration tags hold `meetctl:<key>`) is imported as a keyed file,
 * and its ownership tag is not a tag of the file's own: meetctl keeps it whenever it sends the
 * tags, and validate refuses a file that declares one.
 */
import type { Meeting } from '../client.js';
import { ownedKeyOf, ownershipTag } from '../ownership.js';

/**
 * The key that owns `live`, and the meeting as the file states it: without that one tag. Any
 * other `meetctl:` tag stays, so that validate refuses it and the guard leaves the whole list out
 * rather than write tags the planner would read differently.
 */
export function ownedView(live: Meeting): { key?: string; live: Meeting } {
  const key = ownedKeyOf(live.integrationTags);
  if (key === undefined || !Array.isArray(live.integrationTags)) return { live };
  const tag = ownershipTag(key);
  return { key, live: { ...live, integrationTags: live.integrationTags.filter((t) => t !== tag) } };
}
