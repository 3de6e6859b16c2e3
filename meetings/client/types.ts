/** The shapes the Webex client speaks in, and the defaults it uses when its options are silent. */
import type { AdaptiveLimit, RateGate } from '../../core/gate.js';
import type { Logger } from '../../core/log.js';

export interface WebexClientOptions {
  baseUrl: string;
  token: string;
  /** The most requests in flight at once; the adaptive limit starts here. Default 8. */
  concurrency?: number;
  /** Time to wait for response headers, and between body chunks. Default 30 s. */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Retries of transient failures (5xx, network, timeout) per call. Default 5. */
  maxRetries?: number;
  /**
   * Retries after 429/423 per call; these wait out `Retry-After` (one longer than 60 s is final)
   * and are counted apart. Default 20.
   */
  maxRateLimitRetries?: number;
  logger?: Logger;
  userAgent?: string;
}

export interface WebexError {
  code: 'http' | 'network' | 'timeout' | 'aborted' | 'retriesExhausted';
  status?: number;
  /** The Webex message, or the cause of a network failure. */
  message: string;
  trackingId?: string;
  meetingId?: string;
  /** Whether a later attempt could succeed (the failure was transient). */
  retryable: boolean;
  /**
   * The server may have carried the request out although no success was seen: an attempt was
   * written and then cut, timed out or answered 5xx. A create with this is never sent again by the
   * client: look the meeting up (by its ownership tag) before sending it again. Absent otherwise.
   */
  ambiguous?: true;
  /**
   * A 429/423 whose `Retry-After` (this many ms) is longer than the client waits
   * (core/retry RETRY_AFTER_CAP_MS): the call is not sent again, whatever its method (a create
   * refused by the quota, a read or write refused for longer than that). Absent otherwise.
   */
  retryAfterMs?: number;
}

/** `attempts`: requests sent for this call, retries included (absent when nothing was sent). */
export type Result<T> =
  | { ok: true; value: T; serverDate?: number; attempts?: number }
  | { ok: false; error: WebexError; attempts?: number };

export type Meeting = Record<string, unknown> & { id: string };

/** A delete that succeeded. `alreadyGone`: a retry found it 404 after an attempt that may have deleted it. */
export interface Deleted {
  alreadyGone: boolean;
}

export type ListQuery = Record<string, string | number | boolean | undefined>;

/** One site tracking code (`MeetingTrackingCodesObject`): a code left out of a meeting gets its default option. */
export interface TrackingCodeDefinition {
  name: string;
  /** `optional`, `required`, `notUsed` ... as the site defines it. */
  type?: string;
  inputMode?: string;
  options: { value: string; defaultValue: boolean }[];
}

export interface ClientStats {
  requests: number;
  byMethod: Record<string, number>;
  retries: number;
  rateLimited: number;
  locked: number;
  serverErrors: number;
  networkErrors: number;
  peakInFlight: number;
}

export type FuseJudge = (error: WebexError) => { message: string } | undefined;

/**
 * How a call ends early. `signal` cancels it, the request on the wire included (reads to discard);
 * `stop` sends nothing more once aborted (no further attempt, no wait for one) but lets a request
 * on the wire finish: an interrupted apply, whose writes in flight are reported, not cut.
 */
export interface CallSignals {
  signal?: AbortSignal;
  stop?: AbortSignal;
}

export interface WebexClient {
  /** Always with `current=false`: the series itself, not the occurrence that is running or next. */
  getMeeting(id: string, opts?: { hostEmail?: string } & CallSignals): Promise<Result<Meeting>>;
  /**
   * Every page, following `Link: <…>; rel="next"` to the end. `current` defaults to false and
   * `max` to 100 unless the query gives them (Webex's own defaults are true and 10).
   */
  listMeetings(query: ListQuery, opts?: CallSignals): Promise<Result<Meeting[]>>;
  /** Page by page; a failed page is yielded as an error and ends the iteration. */
  listMeetingsPages(query: ListQuery, opts?: CallSignals): AsyncIterable<Result<Meeting[]>>;
  /**
   * PATCH /meetings/{id}, retried like any idempotent call; with `once`, an attempt that may have
   * been carried out (a cut after writing, a timeout, a 5xx) is not sent again: the error is
   * `ambiguous` and the caller reads the meeting back (a PATCH with `sendEmail` emails invitees each
   * time it is carried out).
   */
  patchMeeting(id: string, body: Record<string, unknown>, opts?: { once?: boolean } & CallSignals): Promise<Result<Meeting>>;
  /**
   * POST /meetings: the created series. POST is not idempotent, so it is sent again only when it
   * surely was not carried out: a connection that failed before the request was written, or a
   * 429/423 whose `Retry-After` the client waits out. Otherwise an error at once: `ambiguous`
   * after a cut, a timeout or a 5xx; a 429 that asks for a longer wait (the create quota) is final,
   * as it is on every call.
   */
  createMeeting(body: Record<string, unknown>, opts?: CallSignals): Promise<Result<Meeting>>;
  /**
   * DELETE /meetings/{id}, `sendEmail` always sent (the server's default is true). Retried like a
   * read; a 404 after an attempt that may have deleted it is a success with `alreadyGone: true`.
   */
  deleteMeeting(id: string, opts: { hostEmail?: string; sendEmail: boolean } & CallSignals): Promise<Result<Deleted>>;
  /**
   * The series carrying integration tag `tag` (tags are per client: only the ones this client set)
   * listed in the window [fromMs, toMs), every page. The window is always sent: the server's
   * default is a week.
   */
  findByIntegrationTag(tag: string, opts: { hostEmail?: string; fromMs: number; toMs: number } & CallSignals): Promise<Result<Meeting[]>>;
  /** The site's tracking codes for scheduling meetings (`service=MeetingCenter`), as that host sees them. */
  listTrackingCodes(opts?: { hostEmail?: string } & CallSignals): Promise<Result<TrackingCodeDefinition[]>>;
  /** The server's clock (ms): the latest `Date` header, advanced by the local time elapsed since. */
  serverNow(): number | undefined;
  stats(): ClientStats;
  readonly limit: AdaptiveLimit;
  readonly gate: RateGate;
  /**
   * After the first error `judge` calls fatal, no call sends anything more: each returns at once
   * with that error, its message prefixed "not sent: ". One fuse per client; a later call replaces it.
   */
  installFuse(judge: FuseJudge, onTrip?: (verdict: { message: string }) => void): void;
  close(): Promise<void>;
}

export const DEFAULTS = {
  concurrency: 8,
  requestTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  maxRetries: 5,
  maxRateLimitRetries: 20,
  /** The wait (a pause of the client for a 429, of that request for a 423) when it carries no usable `Retry-After`. */
  retryAfterMissingMs: 1000,
  userAgent: 'meetctl/0.1.0',
  pageSize: 100,
} as const;

/** A response as the transport hands it on: the body already read and parsed (undefined when not JSON). */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

export type Method = 'GET' | 'PATCH' | 'POST' | 'DELETE';
