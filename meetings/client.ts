/**
 * The Webex Meetings REST client (undici 7). Every call returns a Result value: HTTP and network
 * problems are never thrown. Transient failures (5xx, dropped or refused connections, timeouts)
 * are retried with backoff; 429 and 423 pause the WHOLE client for their `Retry-After`, because
 * Webex limits the caller, not the request. The bearer token only ever goes into the
 * Authorization header: never into an error, a log line or a thrown message.
 */
import { performance } from 'node:perf_hooks';
import { Pool, type Dispatcher } from 'undici';
import type { Logger } from '../core/log.js';
import { AdaptiveLimit, RateGate } from '../core/gate.js';
import { backoffMs, parseRetryAfter, sleep, withJitter } from '../core/retry.js';

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
  /** Retries after 429/423 per call; these wait out `Retry-After` and are counted apart. Default 20. */
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
}

/** `attempts`: requests sent for this call, retries included (absent when nothing was sent). */
export type Result<T> =
  | { ok: true; value: T; serverDate?: number; attempts?: number }
  | { ok: false; error: WebexError; attempts?: number };

export type Meeting = Record<string, unknown> & { id: string };

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

export interface WebexClient {
  /** Always with `current=false`: the series itself, not the occurrence that is running or next. */
  getMeeting(id: string, opts?: { hostEmail?: string; signal?: AbortSignal }): Promise<Result<Meeting>>;
  /**
   * Every page, following `Link: <…>; rel="next"` to the end. `current` defaults to false and
   * `max` to 100 unless the query gives them (Webex's own defaults are true and 10).
   */
  listMeetings(query: ListQuery, opts?: { signal?: AbortSignal }): Promise<Result<Meeting[]>>;
  /** Page by page; a failed page is yielded as an error and ends the iteration. */
  listMeetingsPages(query: ListQuery, opts?: { signal?: AbortSignal }): AsyncIterable<Result<Meeting[]>>;
  patchMeeting(id: string, body: Record<string, unknown>, opts?: { signal?: AbortSignal }): Promise<Result<Meeting>>;
  /** The site's tracking codes for scheduling meetings (`service=MeetingCenter`), as that host sees them. */
  listTrackingCodes(opts?: { hostEmail?: string; signal?: AbortSignal }): Promise<Result<TrackingCodeDefinition[]>>;
  /** The server's clock (ms): the latest `Date` header, advanced by the local time elapsed since. */
  serverNow(): number | undefined;
  stats(): ClientStats;
  readonly limit: AdaptiveLimit;
  readonly gate: RateGate;
  /**
   * After the first error `judge` calls fatal, no call sends anything more: each returns at once
   * with that error, its message prefixed "not sent: ". One fuse per client; a later call replaces it.
   */
  installFuse(judge: (error: WebexError) => { message: string } | undefined, onTrip?: (verdict: { message: string }) => void): void;
  close(): Promise<void>;
}

export const DEFAULTS = {
  concurrency: 8,
  requestTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  maxRetries: 5,
  maxRateLimitRetries: 20,
  /** Pause when a 429/423 carries no usable `Retry-After`. */
  retryAfterMissingMs: 1000,
  userAgent: 'meetctl/0.1.0',
  pageSize: 100,
} as const;

/**
 * Sent with every read, whatever the caller asks: Webex answers in the zone of the `timezone`
 * header (and its own default otherwise), and meetctl compares instants, so it asks for one zone.
 */
export const READ_HEADERS: Readonly<Record<string, string>> = { timezone: 'UTC' };

/** The request body type the API documents for Update a Meeting. */
export const PATCH_CONTENT_TYPE = 'application/json-patch+json';

/**
 * The documented defaults meetctl never relies on (`current` is true for a list, which gives a
 * series the times of its running or next occurrence, not its own). A caller may override them.
 */
const LIST_DEFAULTS: ListQuery = { current: false, max: DEFAULTS.pageSize };
const GET_DEFAULTS: ListQuery = { current: false };

/** The token is sent in clear text, so plain http is only allowed to this machine. */
export function checkBaseUrl(url: string): { ok: true } | { ok: false; message: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: `base URL "${url}" is not a valid URL` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, message: 'base URL must not contain credentials' };
  }
  if (parsed.protocol === 'https:') return { ok: true };
  if (parsed.protocol !== 'http:') {
    return { ok: false, message: `base URL must use https (got ${parsed.protocol.replace(/:$/, '')})` };
  }
  if (isLoopbackHost(parsed.hostname)) return { ok: true };
  return {
    ok: false,
    message: `refusing to send the access token over plain http to ${parsed.hostname}: use https (http is allowed only to localhost)`,
  };
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export class InsecureBaseUrlError extends Error {
  readonly code = 'insecureBaseUrl';
}

/** Throws `InsecureBaseUrlError` for a URL `checkBaseUrl` refuses (a configuration error, not a runtime one). */
export function createWebexClient(o: WebexClientOptions): WebexClient {
  const verdict = checkBaseUrl(o.baseUrl);
  if (!verdict.ok) throw new InsecureBaseUrlError(verdict.message);
  return new UndiciWebexClient(o);
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

type Method = 'GET' | 'PATCH';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

class UndiciWebexClient implements WebexClient {
  readonly limit: AdaptiveLimit;
  readonly gate = new RateGate();
  private readonly pool: Pool;
  private readonly dispatcher: Dispatcher;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly token: string;
  private readonly maxRetries: number;
  private readonly maxRateLimitRetries: number;
  private readonly logger?: Logger;
  private readonly userAgent: string;
  private readonly requestTimeoutMs: number;
  private lastDate?: { serverMs: number; localMono: number };
  private fuse?: { judge: (error: WebexError) => { message: string } | undefined; onTrip?: (verdict: { message: string }) => void };
  private tripped?: { error: WebexError; message: string };
  private inFlight = 0;
  private readonly counters: ClientStats = {
    requests: 0,
    byMethod: {},
    retries: 0,
    rateLimited: 0,
    locked: 0,
    serverErrors: 0,
    networkErrors: 0,
    peakInFlight: 0,
  };

  constructor(o: WebexClientOptions) {
    const url = new URL(o.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.token = o.token;
    this.maxRetries = Math.max(0, o.maxRetries ?? DEFAULTS.maxRetries);
    this.maxRateLimitRetries = Math.max(0, o.maxRateLimitRetries ?? DEFAULTS.maxRateLimitRetries);
    this.logger = o.logger;
    this.userAgent = o.userAgent ?? DEFAULTS.userAgent;
    const concurrency = Math.max(1, Math.floor(o.concurrency ?? DEFAULTS.concurrency));
    const requestTimeoutMs = o.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    this.requestTimeoutMs = requestTimeoutMs;
    this.limit = new AdaptiveLimit(concurrency);
    this.pool = new Pool(this.origin, {
      connections: concurrency,
      headersTimeout: requestTimeoutMs,
      bodyTimeout: requestTimeoutMs,
      keepAliveTimeout: 30_000,
      connect: { timeout: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs },
    });
    this.dispatcher = this.pool.compose(gateAtWrite(this.gate, (headers) => this.pauseFor(headers)));
  }

  async getMeeting(id: string, opts: { hostEmail?: string; signal?: AbortSignal } = {}): Promise<Result<Meeting>> {
    const path = this.meetingPath(id) + queryString(withDefaults(GET_DEFAULTS, { hostEmail: opts.hostEmail }));
    return this.toMeeting(await this.call('GET', path, undefined, opts.signal, id), id);
  }

  async patchMeeting(id: string, body: Record<string, unknown>, opts: { signal?: AbortSignal } = {}): Promise<Result<Meeting>> {
    return this.toMeeting(await this.call('PATCH', this.meetingPath(id), body, opts.signal, id), id);
  }

  async listTrackingCodes(opts: { hostEmail?: string; signal?: AbortSignal } = {}): Promise<Result<TrackingCodeDefinition[]>> {
    const path = `${this.basePath}/meetings/trackingCodes${queryString({ service: 'MeetingCenter', hostEmail: opts.hostEmail })}`;
    const response = await this.call('GET', path, undefined, opts.signal);
    if (!response.ok) return response;
    const items = (response.value.json as { items?: unknown } | undefined)?.items;
    if (!Array.isArray(items)) {
      return fail({ code: 'http', status: response.value.status, message: 'tracking code response has no items array', retryable: false }, response.attempts);
    }
    return { ok: true, value: items.flatMap(toTrackingCode), serverDate: response.serverDate, attempts: response.attempts };
  }

  async listMeetings(query: ListQuery, opts: { signal?: AbortSignal } = {}): Promise<Result<Meeting[]>> {
    const all: Meeting[] = [];
    let attempts = 0;
    let serverDate: number | undefined;
    for await (const page of this.listMeetingsPages(query, opts)) {
      attempts += page.attempts ?? 0;
      if (!page.ok) return { ok: false, error: page.error, attempts };
      all.push(...page.value);
      serverDate = page.serverDate ?? serverDate;
    }
    return { ok: true, value: all, serverDate, attempts };
  }

  async *listMeetingsPages(query: ListQuery, opts: { signal?: AbortSignal } = {}): AsyncIterable<Result<Meeting[]>> {
    let path: string | undefined = `${this.basePath}/meetings${queryString(withDefaults(LIST_DEFAULTS, query))}`;
    const seen = new Set<string>();
    while (path !== undefined) {
      seen.add(path);
      const response = await this.call('GET', path, undefined, opts.signal);
      if (!response.ok) {
        yield response;
        return;
      }
      const items = (response.value.json as { items?: unknown } | undefined)?.items;
      if (!Array.isArray(items) || !items.every(isMeeting)) {
        yield fail({ code: 'http', status: response.value.status, message: 'list response has no valid items array', retryable: false }, response.attempts);
        return;
      }
      yield { ok: true, value: items, serverDate: response.serverDate, attempts: response.attempts };
      const next = nextLink(response.value.headers.link);
      if (next === undefined) return;
      const resolved = this.resolveNext(next);
      if (!resolved.ok) {
        yield fail({ code: 'http', message: resolved.message, retryable: false });
        return;
      }
      if (seen.has(resolved.path)) {
        yield fail({ code: 'http', message: 'pagination link points back to a page already read', retryable: false });
        return;
      }
      path = resolved.path;
    }
  }

  serverNow(): number | undefined {
    if (!this.lastDate) return undefined;
    return this.lastDate.serverMs + Math.round(performance.now() - this.lastDate.localMono);
  }

  stats(): ClientStats {
    return { ...this.counters, byMethod: { ...this.counters.byMethod } };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private meetingPath(id: string): string {
    return `${this.basePath}/meetings/${encodeURIComponent(id)}`;
  }

  /** The token goes only to the origin it was configured for, so a `next` link elsewhere is refused. */
  private resolveNext(link: string): { ok: true; path: string } | { ok: false; message: string } {
    let url: URL;
    try {
      url = new URL(link, `${this.origin}${this.basePath}/`);
    } catch {
      return { ok: false, message: 'pagination link is not a valid URL' };
    }
    if (url.origin !== this.origin) {
      return { ok: false, message: `refusing to follow a pagination link to another origin (${url.origin})` };
    }
    return { ok: true, path: url.pathname + url.search };
  }

  private toMeeting(response: Result<RawResponse>, id: string): Result<Meeting> {
    if (!response.ok) return response;
    if (!isMeeting(response.value.json)) {
      return fail({ code: 'http', status: response.value.status, message: 'response is not a meeting object', meetingId: id, retryable: false }, response.attempts);
    }
    return { ok: true, value: response.value.json, serverDate: response.serverDate, attempts: response.attempts };
  }

  installFuse(judge: (error: WebexError) => { message: string } | undefined, onTrip?: (verdict: { message: string }) => void): void {
    this.fuse = { judge, onTrip };
  }

  /** One API call: a slot of the adaptive limit, then attempts until success, a final error, or retries run out. */
  private async call(method: Method, path: string, body: unknown, signal: AbortSignal | undefined, meetingId?: string): Promise<Result<RawResponse>> {
    if (this.tripped) return fail({ ...this.tripped.error, message: `not sent: ${this.tripped.message}` }, 0);
    const slot = await this.limit.run(() => this.attempts(method, path, body, signal, meetingId), signal);
    if (!slot.ok) return fail({ code: 'aborted', message: 'request was aborted before it was sent', meetingId, retryable: false }, 0);
    const result = slot.value;
    if (!result.ok && this.fuse && !this.tripped) {
      const verdict = this.fuse.judge(result.error);
      if (verdict) {
        this.tripped = { error: result.error, message: verdict.message };
        this.fuse.onTrip?.(verdict);
      }
    }
    return result;
  }

  private async attempts(method: Method, path: string, body: unknown, signal: AbortSignal | undefined, meetingId?: string): Promise<Result<RawResponse>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let attempt = 0;
    let transientRetries = 0;
    let rateLimitRetries = 0;
    for (;;) {
      if (!(await this.gate.ready(signal))) {
        return fail({ code: 'aborted', message: 'request was aborted', meetingId, retryable: false }, attempt);
      }
      attempt += 1;
      const outcome = await this.once(method, path, payload, signal, attempt);
      if (outcome.kind === 'deferred') {
        attempt -= 1;
        continue;
      }
      if (outcome.kind === 'aborted') {
        return fail({ code: 'aborted', message: 'request was aborted', meetingId, retryable: false }, attempt);
      }
      if (outcome.kind === 'response') {
        const { status } = outcome.response;
        if (status >= 200 && status < 300) {
          this.limit.onSuccess();
          return { ok: true, value: outcome.response, serverDate: outcome.serverDate, attempts: attempt };
        }
        if (status === 429 || status === 423) {
          this.onPaused(outcome.response, outcome.epoch);
          if (rateLimitRetries >= this.maxRateLimitRetries) {
            return fail(this.exhausted(outcome.response, attempt, meetingId), attempt);
          }
          rateLimitRetries += 1;
          this.counters.retries += 1;
          continue;
        }
        if (status < 500) return fail(httpError(outcome.response, meetingId), attempt);
        this.counters.serverErrors += 1;
        if (transientRetries >= this.maxRetries) return fail(this.exhausted(outcome.response, attempt, meetingId), attempt);
      } else {
        this.counters.networkErrors += 1;
        if (transientRetries >= this.maxRetries) {
          const message = `${outcome.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`;
          return fail({ code: outcome.kind, message, meetingId, retryable: true }, attempt);
        }
      }
      this.counters.retries += 1;
      const delay = backoffMs(transientRetries);
      transientRetries += 1;
      if (!(await sleep(delay, signal))) {
        return fail({ code: 'aborted', message: 'request was aborted', meetingId, retryable: false }, attempt);
      }
    }
  }

  /** One HTTP exchange. The body is always read to the end, so the socket returns to the pool. */
  private async once(
    method: Method,
    path: string,
    payload: string | undefined,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<
    | { kind: 'response'; response: RawResponse; serverDate?: number; epoch: number }
    | { kind: 'network' | 'timeout'; message: string }
    | { kind: 'aborted' }
    | { kind: 'deferred' }
  > {
    const epoch = this.limit.epoch;
    const started = performance.now();
    this.counters.requests += 1;
    this.counters.byMethod[method] = (this.counters.byMethod[method] ?? 0) + 1;
    this.inFlight += 1;
    if (this.inFlight > this.counters.peakInFlight) this.counters.peakInFlight = this.inFlight;
    // undici's own timeouts tick at about 1 s resolution; this timer makes a short timeout exact.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.requestTimeoutMs);
    const attemptSignal = signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        'user-agent': this.userAgent,
        ...(method === 'GET' ? READ_HEADERS : {}),
      };
      if (payload !== undefined) headers['content-type'] = PATCH_CONTENT_TYPE;
      const res = await this.dispatcher.request({ method, path, headers, body: payload, signal: attemptSignal });
      const text = await res.body.text();
      const serverDate = this.noteDate(res.headers.date);
      this.logger?.debug({ method, path, status: res.statusCode, attempt, ms: Math.round(performance.now() - started) }, 'webex request');
      return { kind: 'response', response: { status: res.statusCode, headers: res.headers, json: parseJson(text) }, serverDate, epoch };
    } catch (err) {
      if (signal?.aborted) return { kind: 'aborted' };
      if (err instanceof GatePausedError) {
        // Nothing was written: this is not an attempt, only a wait.
        this.counters.requests -= 1;
        this.counters.byMethod[method] -= 1;
        return { kind: 'deferred' };
      }
      const code = errorCode(err);
      const timedOut = deadline.signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code));
      const kind = timedOut ? 'timeout' : 'network';
      const message = deadline.signal.aborted ? `no complete response within ${this.requestTimeoutMs} ms` : this.scrub(describeError(err));
      this.logger?.debug({ method, path, error: message, attempt, ms: Math.round(performance.now() - started) }, 'webex request failed');
      return { kind, message };
    } finally {
      clearTimeout(timer);
      this.inFlight -= 1;
    }
  }

  /** Pauses the whole client for a refusal's `Retry-After` (capped, plus jitter; 1 s when absent). */
  private pauseFor(headers: Record<string, unknown>): void {
    const raw = headers['retry-after'];
    const announced = parseRetryAfter(typeof raw === 'string' || Array.isArray(raw) ? (raw as string | string[]) : undefined, Date.now());
    this.gate.pause(withJitter(announced ?? DEFAULTS.retryAfterMissingMs));
  }

  /** Bookkeeping of a 429/423 once read; the pause itself was set when its headers arrived. */
  private onPaused(response: RawResponse, epoch: number): void {
    const pauseMs = Math.max(0, this.gate.pausedUntil - Date.now());
    if (response.status === 429) {
      this.counters.rateLimited += 1;
      this.limit.onRateLimited(epoch);
    } else {
      this.counters.locked += 1;
    }
    this.logger?.debug({ status: response.status, pauseMs, limit: this.limit.current }, 'webex client paused');
  }

  private exhausted(response: RawResponse, attempts: number, meetingId?: string): WebexError {
    const base = httpError(response, meetingId);
    return { ...base, code: 'retriesExhausted', message: `${base.message} (gave up after ${attempts} attempts)`, retryable: true };
  }

  private noteDate(header: string | string[] | undefined): number | undefined {
    const value = headerValue(header);
    if (value === undefined) return undefined;
    const serverMs = Date.parse(value);
    if (Number.isNaN(serverMs)) return undefined;
    this.lastDate = { serverMs, localMono: performance.now() };
    return serverMs;
  }

  /** Second line of defence: no library message should carry the token, but never let one through. */
  private scrub(message: string): string {
    return this.token.length >= 4 ? message.split(this.token).join('[redacted]') : message;
  }
}

/** Thrown into a request that reached its socket while a pause was in force; it is sent again after. */
class GatePausedError extends Error {
  readonly code = 'MEETCTL_GATE_PAUSED';
}

/**
 * `gate.ready()` is awaited before each attempt, but undici may hold a request in the pool and
 * write it later: on a keep-alive connection the next queued request is written the moment the
 * previous response ends, before our code has read that response. So the gate is also enforced
 * inside the dispatch: a 429/423 pauses it as soon as its headers are parsed, and a request that
 * reaches its socket while a pause is in force is not written (it is sent again after the pause).
 */
function gateAtWrite(gate: RateGate, onRefused: (headers: Record<string, unknown>) => void): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => dispatch(opts, new GateCheckHandler(handler, gate, onRefused));
}

class GateCheckHandler implements Dispatcher.DispatchHandler {
  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly gate: RateGate,
    private readonly onRefused: (headers: Record<string, unknown>) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    if (this.gate.pausedUntil > Date.now()) {
      controller.abort(new GatePausedError('paused by Retry-After'));
      return;
    }
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[2], socket: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3]): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2], statusMessage?: string): void {
    if (statusCode === 429 || statusCode === 423) this.onRefused(headers);
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>[1]): void {
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.inner.onResponseError?.(controller, error);
  }
}

function fail(error: WebexError, attempts?: number): { ok: false; error: WebexError; attempts?: number } {
  return attempts === undefined ? { ok: false, error } : { ok: false, error, attempts };
}

/**
 * Webex's 400 `message` is generic; the reasons are in `errors[].description`. The message is
 * made of every description, with `message` added only when it says something they do not.
 */
const GENERIC_MESSAGES: ReadonlySet<string> = new Set(
  [
    // The 400 example of the official description, and its response descriptions of the meeting operations.
    'The input parameters contain invalid items.',
    'The request was invalid or cannot be otherwise served.',
    'Authentication credentials were missing or incorrect.',
    'The request is understood, but it has been refused or access is not allowed.',
    'The URI requested is invalid or the resource requested, such as a user, does not exist.',
    'The request was made to a resource using an HTTP request method that is not supported.',
    'The request could not be processed because it conflicts with some established rule of the system.',
    'The requested resource is no longer available.',
    'The request was made to a resource without specifying a media type or used a media type that is not supported.',
    'The requested resource is temporarily unavailable.',
    'Too many requests have been sent in a given amount of time and the request has been rate limited.',
    'Something went wrong on the server.',
    'The server received an invalid response from an upstream server while processing the request.',
    'Server is overloaded with requests. Try again later.',
    'An upstream server failed to respond on time.',
    'The request could not be processed.',
  ].map((m) => m.toLowerCase()),
);

export function errorMessage(body: unknown, status: number): string {
  const b = (body ?? {}) as { message?: unknown; errors?: unknown };
  const descriptions = Array.isArray(b.errors)
    ? b.errors.map((e) => (e as { description?: unknown } | null)?.description).filter((d): d is string => typeof d === 'string' && d.trim() !== '')
    : [];
  const message = typeof b.message === 'string' ? b.message.trim() : '';
  const parts = [...new Set(descriptions.map((d) => d.trim()))];
  const addsSomething = message !== '' && !GENERIC_MESSAGES.has(message.toLowerCase()) && !parts.some((d) => d.includes(message));
  if (addsSomething) parts.unshift(message);
  if (parts.length === 0) return message !== '' ? message : `HTTP ${status}`;
  return parts.join('; ');
}

/** A final (non-retried) HTTP error: the Webex reasons and tracking id, from the body or the headers. */
function httpError(response: RawResponse, meetingId?: string): WebexError {
  const body = (response.json ?? {}) as { trackingId?: unknown };
  const message = errorMessage(response.json, response.status);
  const trackingId =
    typeof body.trackingId === 'string' ? body.trackingId : headerValue(response.headers.trackingid ?? response.headers['tracking-id']);
  const error: WebexError = { code: 'http', status: response.status, message, retryable: response.status === 429 || response.status === 423 || response.status >= 500 };
  if (trackingId !== undefined) error.trackingId = trackingId;
  if (meetingId !== undefined) error.meetingId = meetingId;
  return error;
}

/** A tracking code item as the API sends it; anything without a name is dropped. */
function toTrackingCode(item: unknown): TrackingCodeDefinition[] {
  if (typeof item !== 'object' || item === null) return [];
  const raw = item as { name?: unknown; type?: unknown; inputMode?: unknown; options?: unknown };
  if (typeof raw.name !== 'string') return [];
  const options = Array.isArray(raw.options)
    ? raw.options.flatMap((o) => {
        const opt = o as { value?: unknown; defaultValue?: unknown } | null;
        return typeof opt?.value === 'string' ? [{ value: opt.value, defaultValue: opt.defaultValue === true }] : [];
      })
    : [];
  const code: TrackingCodeDefinition = { name: raw.name, options };
  if (typeof raw.type === 'string') code.type = raw.type;
  if (typeof raw.inputMode === 'string') code.inputMode = raw.inputMode;
  return [code];
}

function isMeeting(value: unknown): value is Meeting {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string';
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/** The query with every default it does not set (an `undefined` value does not unset a default). */
function withDefaults(defaults: ListQuery, query: ListQuery): ListQuery {
  const merged: ListQuery = { ...defaults };
  for (const [key, value] of Object.entries(query)) if (value !== undefined) merged[key] = value;
  return merged;
}

/** `?a=1&b=x`, leaving out undefined values; '' when nothing is left. */
export function queryString(query: ListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The target of `rel="next"` in an RFC 8288 Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const value of values) {
    for (const match of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
      const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
      if (rel !== undefined && rel.toLowerCase().split(/\s+/).includes('next')) return match[1];
    }
  }
  return undefined;
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const causeCode = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = errorCode(err);
  return code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}
