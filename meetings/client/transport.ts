/**
 * One HTTP exchange with Webex over an undici pool: the headers every request carries, the
 * timeout, the server's clock from `Date`, and the request counters. Retrying is not done here.
 * The bearer token only ever goes into the Authorization header.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher, Pool } from 'undici';
import { AdaptiveLimit, RateGate } from '../../core/gate.js';
import { lazyModule } from '../../core/lazy-module.js';
import type { Logger } from '../../core/log.js';
import { redactSecrets } from '../../core/secrets.js';
import { describeError, headerValue, isTimeoutError } from './errors.js';
import { gateAtWrite, GatePausedError, ON_WRITE } from './interceptor.js';
import { pauseForRetryAfter } from './retry.js';
import { DEFAULTS, type ClientStats, type Method, type RawResponse, type WebexClientOptions } from './types.js';

/**
 * undici is loaded by the first client, not with this module: the commands that never talk to the
 * API (validate, show, emulator) import it through the shared wiring. Only its Pool and its
 * `request`: the package's entry also loads fetch, WebSocket, cookies, caches and the mocks,
 * about 130 ms against 40 ms here, before any command can send its first request. Both are the
 * package's own modules, the ones its entry exports (undici is pinned and declares no `exports`).
 */
const undiciPool = lazyModule<typeof Pool>('undici/lib/dispatcher/pool.js');
const undiciRequest = lazyModule<(this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>>('undici/lib/api/api-request.js');

/**
 * Sent with every read, whatever the caller asks: Webex answers in the zone of the `timezone`
 * header (and its own default otherwise), and meetctl compares instants, so it asks for one zone.
 */
const READ_HEADERS: Readonly<Record<string, string>> = { timezone: 'UTC' };

/** The request body types the API documents: Update a Meeting takes a JSON merge patch, Create a Meeting plain JSON. */
const CONTENT_TYPES: Readonly<Partial<Record<Method, string>>> = { PATCH: 'application/json-patch+json', POST: 'application/json' };

export type Outcome =
  | { kind: 'response'; response: RawResponse; serverDate?: number; epoch: number }
  /** `written`: undici had begun writing the request, so the server may have carried it out. */
  | { kind: 'network' | 'timeout'; message: string; written: boolean }
  | { kind: 'aborted'; written: boolean }
  /** Held back by a pause before a byte was written: not an attempt, only a wait. */
  | { kind: 'deferred' };

export class Transport {
  readonly limit: AdaptiveLimit;
  readonly gate = new RateGate();
  readonly origin: string;
  readonly basePath: string;
  readonly logger?: Logger;
  readonly counters: ClientStats = {
    requests: 0,
    byMethod: {},
    retries: 0,
    rateLimited: 0,
    locked: 0,
    serverErrors: 0,
    networkErrors: 0,
    peakInFlight: 0,
  };
  private readonly pool: Pool;
  private readonly dispatcher: Dispatcher;
  private readonly token: string;
  private readonly userAgent: string;
  private readonly requestTimeoutMs: number;
  private lastDate?: { serverMs: number; localMono: number };
  private inFlight = 0;

  constructor(o: WebexClientOptions) {
    const url = new URL(o.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.token = o.token;
    this.logger = o.logger;
    this.userAgent = o.userAgent ?? DEFAULTS.userAgent;
    const concurrency = Math.max(1, Math.floor(o.concurrency ?? DEFAULTS.concurrency));
    this.requestTimeoutMs = o.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    this.limit = new AdaptiveLimit(concurrency);
    this.pool = new (undiciPool())(this.origin, {
      connections: concurrency,
      headersTimeout: this.requestTimeoutMs,
      bodyTimeout: this.requestTimeoutMs,
      keepAliveTimeout: 30_000,
      connect: { timeout: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs },
    });
    this.dispatcher = this.pool.compose(gateAtWrite(this.gate, (headers, method) => pauseForRetryAfter(this.gate, headers, method)));
  }

  /** One HTTP exchange. The body is always read to the end, so the socket returns to the pool. */
  async once(method: Method, path: string, payload: string | undefined, signal: AbortSignal | undefined, attempt: number): Promise<Outcome> {
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
    let written = false;
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        'user-agent': this.userAgent,
        ...(method === 'GET' ? READ_HEADERS : {}),
      };
      const contentType = CONTENT_TYPES[method];
      if (payload !== undefined && contentType !== undefined) headers['content-type'] = contentType;
      const options = { method, path, headers, body: payload, signal: attemptSignal, [ON_WRITE]: () => void (written = true) };
      const res = await undiciRequest().call(this.dispatcher, options);
      const text = await res.body.text();
      const serverDate = this.noteDate(res.headers.date);
      this.logger?.debug({ method, path, status: res.statusCode, attempt, ms: Math.round(performance.now() - started) }, 'webex request');
      return { kind: 'response', response: { status: res.statusCode, headers: res.headers, json: parseJson(text) }, serverDate, epoch };
    } catch (err) {
      if (signal?.aborted) return { kind: 'aborted', written };
      if (err instanceof GatePausedError) {
        this.counters.requests -= 1;
        this.counters.byMethod[method] -= 1;
        return { kind: 'deferred' };
      }
      const kind = deadline.signal.aborted || isTimeoutError(err) ? 'timeout' : 'network';
      const message = deadline.signal.aborted ? `no complete response within ${this.requestTimeoutMs} ms` : this.scrub(describeError(err));
      this.logger?.debug({ method, path, error: message, attempt, ms: Math.round(performance.now() - started) }, 'webex request failed');
      return { kind, message, written };
    } finally {
      clearTimeout(timer);
      this.inFlight -= 1;
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

  private noteDate(header: string | string[] | undefined): number | undefined {
    const value = headerValue(header);
    if (value === undefined) return undefined;
    const serverMs = Date.parse(value);
    if (Number.isNaN(serverMs)) return undefined;
    this.lastDate = { serverMs, localMono: performance.now() };
    return serverMs;
  }

  /** No message should carry the token, but a server or proxy may echo the request in its error: never let one through. */
  scrub(message: string): string {
    return redactSecrets(message, [this.token]);
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
