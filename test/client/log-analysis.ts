/** Helpers that read the emulator's request log: what the server saw is the ground truth. */
import type { RequestLogEntry } from '../../emulator/index.js';

/** One request as the emulator logged it. */
export type LogEntry = RequestLogEntry;

/** The most requests of `entries` the server was handling at the same instant (sweep of start/end events). */
export function peakConcurrency(entries: readonly LogEntry[]): number {
  const events: Array<[number, number]> = [];
  for (const e of entries) {
    events.push([e.startedAt, 1]);
    events.push([e.endedAt, -1]);
  }
  // At equal times, ends before starts: a request that ended as another began did not overlap it.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let active = 0;
  let peak = 0;
  for (const [, delta] of events) {
    active += delta;
    peak = Math.max(peak, active);
  }
  return peak;
}

/**
 * Requests that started inside a pause the client had been told about: after a 429 that ended at
 * t with Retry-After r, nothing may start in (t + graceMs, t + r*1000 - slackMs); after a 423,
 * which locks one resource, nothing with the refused request's method and path.
 * `graceMs` admits requests that crossed the refusal on the wire (sent before the client read it):
 * with client and server in one process, a loaded machine can hold such a request's arrival back
 * by tens of milliseconds (42 ms seen on a full two-core machine), so 100 ms by default. A client
 * that ignores the pause still sends well inside the rest of a one-second window.
 */
export function pauseViolations(
  entries: readonly LogEntry[],
  retryAfterSeconds: (e: LogEntry) => number | undefined,
  opts: { graceMs?: number; slackMs?: number } = {},
): Array<{ refusal: LogEntry; offender: LogEntry }> {
  const graceMs = opts.graceMs ?? 100;
  const slackMs = opts.slackMs ?? 50;
  const violations: Array<{ refusal: LogEntry; offender: LogEntry }> = [];
  for (const refusal of entries) {
    if (refusal.status !== 429 && refusal.status !== 423) continue;
    const seconds = retryAfterSeconds(refusal);
    if (seconds === undefined) continue;
    const from = refusal.endedAt + graceMs;
    const to = refusal.endedAt + seconds * 1000 - slackMs;
    for (const offender of entries) {
      if (refusal.status === 423 && (offender.method !== refusal.method || offender.path !== refusal.path)) continue;
      if (offender.startedAt > from && offender.startedAt < to) violations.push({ refusal, offender });
    }
  }
  return violations;
}
