/**
 * The Webex Meetings endpoints meetctl uses, over the retrying transport: get, list (every page,
 * following `Link: rel="next"`), patch, create, delete, the lookup by integration tag, and the
 * site's tracking codes. Every call returns a
 * Result value: HTTP and network problems are never thrown.
 */
import { fail } from './errors.js';
import { retryLimits, sendWithRetries, type CallRequest, type RetryLimits } from './retry.js';
import { Transport } from './transport.js';
import {
  DEFAULTS,
  type CallSignals,
  type ClientStats,
  type Deleted,
  type FuseJudge,
  type ListQuery,
  type Meeting,
  type Method,
  type RawResponse,
  type Result,
  type TrackingCodeDefinition,
  type WebexClient,
  type WebexClientOptions,
  type WebexError,
} from './types.js';
import { nextLink, queryString, resolveNext, smallerPage, withDefaults } from './url.js';

/**
 * The documented defaults meetctl never relies on (`current` is true for a list, which gives a
 * series the times of its running or next occurrence, not its own). A caller may override them.
 */
const LIST_DEFAULTS: ListQuery = { current: false, max: DEFAULTS.pageSize };
const GET_DEFAULTS: ListQuery = { current: false };
const GATEWAY_TIMEOUT = [504];

export class UndiciWebexClient implements WebexClient {
  private readonly transport: Transport;
  private readonly limits: RetryLimits;
  private fuse?: { judge: FuseJudge; onTrip?: (verdict: { message: string }) => void };
  private tripped?: { error: WebexError; message: string };

  constructor(o: WebexClientOptions) {
    this.transport = new Transport(o);
    this.limits = retryLimits(o);
  }

  get limit(): Transport['limit'] {
    return this.transport.limit;
  }

  get gate(): Transport['gate'] {
    return this.transport.gate;
  }

  async getMeeting(id: string, opts: { hostEmail?: string } & CallSignals = {}): Promise<Result<Meeting>> {
    const path = this.meetingPath(id) + queryString(withDefaults(GET_DEFAULTS, { hostEmail: opts.hostEmail }));
    return toMeeting(await this.call('GET', path, undefined, opts, id), id);
  }

  async patchMeeting(id: string, body: Record<string, unknown>, opts: { once?: boolean } & CallSignals = {}): Promise<Result<Meeting>> {
    const response = await this.call('PATCH', this.meetingPath(id), body, opts, id, { once: opts.once });
    const patched = toMeeting(response, id);
    // A success whose answer cannot be read (HTML from a gateway, a body cut short): it was carried
    // out, but what was stored is not known, so the caller reads the meeting back.
    if (response.ok && !patched.ok) return fail({ ...patched.error, ambiguous: true }, patched.attempts);
    return patched;
  }

  async createMeeting(body: Record<string, unknown>, opts: CallSignals = {}): Promise<Result<Meeting>> {
    const response = await this.call('POST', `${this.transport.basePath}/meetings`, body, opts);
    const created = toMeeting(response);
    // A success without a readable meeting: it exists, but its id is not known.
    if (response.ok && !created.ok) return fail({ ...created.error, ambiguous: true }, created.attempts);
    return created;
  }

  async deleteMeeting(id: string, opts: { hostEmail?: string; sendEmail: boolean } & CallSignals): Promise<Result<Deleted>> {
    const path = this.meetingPath(id) + queryString({ sendEmail: opts.sendEmail, hostEmail: opts.hostEmail });
    const response = await this.call('DELETE', path, undefined, opts, id);
    if (response.ok) return { ok: true, value: { alreadyGone: false }, serverDate: response.serverDate, attempts: response.attempts };
    // 404 after an attempt that may have deleted it: gone, by that attempt or by someone else.
    if (response.error.status === 404 && response.error.ambiguous === true) return { ok: true, value: { alreadyGone: true }, attempts: response.attempts };
    return response;
  }

  findByIntegrationTag(tag: string, opts: { hostEmail?: string; fromMs: number; toMs: number } & CallSignals): Promise<Result<Meeting[]>> {
    const query: ListQuery = {
      meetingType: 'meetingSeries',
      integrationTag: tag,
      from: new Date(opts.fromMs).toISOString(),
      to: new Date(opts.toMs).toISOString(),
      hostEmail: opts.hostEmail,
    };
    return this.listMeetings(query, { signal: opts.signal, stop: opts.stop });
  }

  async listTrackingCodes(opts: { hostEmail?: string } & CallSignals = {}): Promise<Result<TrackingCodeDefinition[]>> {
    const path = `${this.transport.basePath}/meetings/trackingCodes${queryString({ service: 'MeetingCenter', hostEmail: opts.hostEmail })}`;
    const response = await this.call('GET', path, undefined, opts);
    if (!response.ok) return response;
    const items = (response.value.json as { items?: unknown } | undefined)?.items;
    if (!Array.isArray(items)) {
      return fail({ code: 'http', status: response.value.status, message: 'tracking code response has no items array', retryable: false }, response.attempts);
    }
    return { ok: true, value: items.flatMap(toTrackingCode), serverDate: response.serverDate, attempts: response.attempts };
  }

  async listMeetings(query: ListQuery, opts: CallSignals = {}): Promise<Result<Meeting[]>> {
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

  async *listMeetingsPages(query: ListQuery, opts: CallSignals = {}): AsyncIterable<Result<Meeting[]>> {
    const { origin, basePath } = this.transport;
    let path: string | undefined = `${basePath}/meetings${queryString(withDefaults(LIST_DEFAULTS, query))}`;
    const seen = new Set<string>();
    while (path !== undefined) {
      seen.add(path);
      const smaller = smallerPage(path);
      const response = await this.call('GET', path, undefined, opts, undefined, { unretried: smaller === undefined ? undefined : GATEWAY_TIMEOUT });
      if (!response.ok && smaller !== undefined && response.error.status === 504) {
        // The 504's advice: "If your query uses max parameter, please try to reduce it."
        path = smaller;
        continue;
      }
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
      const resolved = resolveNext(next, origin, basePath);
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
    return this.transport.serverNow();
  }

  stats(): ClientStats {
    return this.transport.stats();
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  installFuse(judge: FuseJudge, onTrip?: (verdict: { message: string }) => void): void {
    this.fuse = { judge, onTrip };
  }

  private meetingPath(id: string): string {
    return `${this.transport.basePath}/meetings/${encodeURIComponent(id)}`;
  }

  /** One API call: a slot of the adaptive limit, then attempts until success, a final error, or retries run out. */
  private async call(
    method: Method,
    path: string,
    body: unknown,
    { signal, stop }: CallSignals,
    meetingId?: string,
    rules: Pick<CallRequest, 'unretried' | 'once'> = {},
  ): Promise<Result<RawResponse>> {
    if (this.tripped) return fail({ ...this.tripped.error, message: `not sent: ${this.tripped.message}` }, 0);
    // Waiting for a slot sends nothing yet: either signal ends the wait.
    const slot = await this.limit.run(() => sendWithRetries(this.transport, this.limits, { method, path, body, signal, stop, meetingId, ...rules }), signal ?? stop);
    if (!slot.ok) return fail({ code: 'aborted', message: 'request was aborted before it was sent', meetingId, retryable: false }, 0);
    // A server's words are quoted in messages that reach plans, reports and PR comments: the token never is.
    const result = slot.value.ok ? slot.value : { ...slot.value, error: { ...slot.value.error, message: this.transport.scrub(slot.value.error.message) } };
    if (!result.ok && this.fuse && !this.tripped) {
      const verdict = this.fuse.judge(result.error);
      if (verdict) {
        this.tripped = { error: result.error, message: verdict.message };
        this.fuse.onTrip?.(verdict);
      }
    }
    return result;
  }
}

function toMeeting(response: Result<RawResponse>, id?: string): Result<Meeting> {
  if (!response.ok) return response;
  if (!isMeeting(response.value.json)) {
    const error: WebexError = { code: 'http', status: response.value.status, message: 'response is not a meeting object', retryable: false };
    if (id !== undefined) error.meetingId = id;
    return fail(error, response.attempts);
  }
  return { ok: true, value: response.value.json, serverDate: response.serverDate, attempts: response.attempts };
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
