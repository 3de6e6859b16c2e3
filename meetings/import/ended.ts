/**
 * Whether a series is over: a file for it could never change anything, so import leaves it out.
 * Judged by the server's clock (the caller passes `client.serverNow()`), never the local one.
 */
import { liveInstant } from '../normalize.js';
import type { Meeting } from '../client.js';
import { lastOccurrence } from '../recurrence.js';

/**
 * Webex says so (MeetingSeriesObject.state): `expired`, "all scheduled meetings of this series have
 * passed", is over; `active`, "one or more future scheduled meetings exist", and `inProgress`, "an
 * instance of this series is happening now", are not. Only a read without a series state is judged
 * by the series' own times: a single meeting that has ended, or a rule with COUNT or UNTIL whose
 * last occurrence has ended, laid out in `zone` (the scheduling zone is not readable, and a rule laid
 * out in another zone can fall on other days). An open-ended rule never ends.
 */
export function hasEnded(live: Meeting, nowMs: number, zone: string): boolean {
  if (live.state === 'expired') return true;
  if (live.state === 'active' || live.state === 'inProgress') return false;
  const start = liveInstant(live.start);
  const end = liveInstant(live.end);
  if (start === undefined || end === undefined) return false;
  if (typeof live.recurrence !== 'string' || live.recurrence === '') return end <= nowMs;
  const last = lastOccurrence(live.recurrence, start, zone);
  return last !== undefined && last + (end - start) <= nowMs;
}
