/**
 * Whether a series is over: a file for it could never change anything, so import leaves it out.
 * Judged by the server's clock (the caller passes `client.serverNow()`), never the local one.
 */
import { liveInstant } from '../normalize.js';
import type { Meeting } from '../client.js';
import { lastOccurrence } from '../recurrence.js';

/**
 * Webex says so with `state: expired` ("all scheduled meetings of this series have passed");
 * without that, the series' own times say it: a single meeting that has ended, or a rule with
 * COUNT or UNTIL whose last occurrence has ended. `zone` lays the rule out (the scheduling zone
 * is not readable; at worst this is an hour off across a DST change). An open-ended rule never ends.
 */
export function hasEnded(live: Meeting, nowMs: number, zone: string): boolean {
  if (live.state === 'expired') return true;
  const start = liveInstant(live.start);
  const end = liveInstant(live.end);
  if (start === undefined || end === undefined) return false;
  if (typeof live.recurrence !== 'string' || live.recurrence === '') return end <= nowMs;
  const last = lastOccurrence(live.recurrence, start, zone);
  return last !== undefined && last + (end - start) <= nowMs;
}
