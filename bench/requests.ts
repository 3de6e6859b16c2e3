/** What a run sent, read from the emulator's request log, and the lower bound its count allows. */
import type { RequestLogEntry } from '../emulator/index.js';

export interface RequestCounts {
  total: number;
  get: number;
  list: number;
  patch: number;
  post: number;
  delete: number;
  /** Requests refused with 429/423/5xx or dropped: each one was sent again. */
  retried: number;
  rateLimited: number;
  /** First request start to last request end, ms (0 without requests). */
  spanMs: number;
}

const isList = (e: RequestLogEntry): boolean => e.method === 'GET' && /^\/v1\/meetings\/?(\?|$)/.test(e.path);

export function countRequests(log: readonly RequestLogEntry[]): RequestCounts {
  const counts: RequestCounts = { total: log.length, get: 0, list: 0, patch: 0, post: 0, delete: 0, retried: 0, rateLimited: 0, spanMs: 0 };
  let first = Infinity;
  let last = -Infinity;
  for (const e of log) {
    if (e.method === 'PATCH') counts.patch++;
    else if (e.method === 'POST') counts.post++;
    else if (e.method === 'DELETE') counts.delete++;
    else if (isList(e)) counts.list++;
    else if (e.method === 'GET') counts.get++;
    if (e.status === 429) counts.rateLimited++;
    if (e.status === 0 || e.status === 429 || e.status === 423 || e.status >= 500) counts.retried++;
    first = Math.min(first, e.startedAt);
    last = Math.max(last, e.endedAt);
  }
  counts.spanMs = log.length === 0 ? 0 : last - first;
  return counts;
}

export interface Bound {
  /** requests / rate, seconds */
  rateSeconds: number;
  /** requests × latency / concurrency, seconds */
  latencySeconds: number;
  seconds: number;
}

/** The least time `requests` can take under `rate` requests/s, `latencyMs` each, `concurrency` at once. */
export function lowerBound(requests: number, rate: number, latencyMs: number, concurrency: number): Bound {
  const rateSeconds = rate > 0 ? requests / rate : 0;
  const latencySeconds = (requests * latencyMs) / 1000 / concurrency;
  return { rateSeconds, latencySeconds, seconds: Math.max(rateSeconds, latencySeconds) };
}
