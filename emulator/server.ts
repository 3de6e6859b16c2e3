/**
 * The HTTP front: /v1 routes with auth, latency, rate limit and fault injection, plus the
 * unauthenticated /_emulator control endpoints (loopback only, never logged or rate limited).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorClock } from './clock.js';
import { realNowMs } from './clock.js';
import { listMeetings, encodeCursor } from './list.js';
import { scheduledZone, type Found, type MeetingStore } from './model.js';
import type { TokenBuckets } from './ratelimit.js';
import type { RequestLog, RequestLogEntry } from './requestlog.js';
import { itemsBody, sendError, sendJson, sendJsonBytes } from './http.js';
import { isValidZone } from './time.js';
import { codesOfUser, trackingCodeItems } from './tracking.js';
import { prepareUpdate } from './update.js';
import { handleCreate, handleDelete } from './lifecycle.js';
import { CreateQuota, type CreateQuotaLimits, type CreateQuotaSetting } from './quota.js';
import { isPlainObject } from './merge.js';
import { accessOf, hosts, invited, type Principal } from './access.js';

export type { Principal } from './access.js';

/**
 * - `dropped`: the socket is closed before anything is answered (and before a write is made).
 * - `droppedAfterHeaders` / `droppedMidBody`: the request is carried out (a write is committed),
 *   then the socket is closed after the response headers / half of the body: the client cannot
 *   tell whether its write happened.
 */
export type FaultKind = '500' | '502' | '503' | '504' | '423' | '429' | 'dropped' | 'droppedAfterHeaders' | 'droppedMidBody';
export const FAULT_KINDS: readonly FaultKind[] = ['500', '502', '503', '504', '423', '429', 'dropped', 'droppedAfterHeaders', 'droppedMidBody'];
/** The operations' responses for each server error, as the description words them (every operation shares them). */
const SERVER_ERRORS: Readonly<Record<'500' | '502' | '503' | '504', string>> = {
  500: 'Internal Server Error: Something went wrong on the server.',
  502: 'Bad Gateway: The server received an invalid response from an upstream server while processing the request. Try again later.',
  503: 'Service Unavailable: Server is overloaded with requests. Try again later.',
  504: 'Gateway Timeout: An upstream server failed to respond on time. If your query uses max parameter, please try to reduce it.',
};

export interface FaultConfig {
  latencyMs: number;
  rateLimit: number;
  faultRate: number;
  /** The faults to draw from (uniformly); default 503, 423 and dropped. */
  faultKinds: FaultKind[];
  /** `Retry-After` seconds of an injected 423/429; null sends none (a server that forgets it). Default 1. */
  faultRetryAfter: number | null;
  /** The next N requests (of `faultMethods`) fault for sure, whatever `faultRate` says. */
  faultNext: number;
  /** Only requests with these methods are faulted; empty = every method. */
  faultMethods: string[];
  /** The next N creates are stored, then the connection is cut before any byte of the answer. */
  createThenCut: number;
  /** The create quota of POST /meetings (quota.ts); null = off, the default. */
  createQuota: CreateQuotaLimits | null;
}

/** What configure() takes: the quota as a setting (true = the documented numbers). */
export type ConfigInput = Partial<Omit<FaultConfig, 'createQuota'>> & { createQuota?: CreateQuotaSetting };

export interface ControlApi {
  setClock(iso: string): void;
  configure(c: ConfigInput): void;
  editMeeting(id: string, patch: Record<string, unknown>): void;
  setState(id: string, state: string): void;
  deleteMeeting(id: string): void;
}

export interface ServerContext {
  store: MeetingStore;
  clock: EmulatorClock;
  tokens: Map<string, Principal>;
  config: FaultConfig;
  buckets: TokenBuckets;
  log: RequestLog;
  origin: () => string;
  control: ControlApi;
  random: () => number;
}

const MEETING_PATH = /^\/v1\/meetings\/([^/]+)$/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function readBody(req: IncomingMessage): Promise<string> {
  if ((req.method === 'GET' || req.method === 'HEAD') && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function decodeId(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function createHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  const quota = new CreateQuota(() => ctx.config.createQuota, ctx.clock.nowMs);
  return (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/_emulator/') || url === '/_emulator') {
      void handleControl(ctx, req, res, url).catch((err) => sendError(res, 500, [String(err)], ctx.clock.nowMs()));
      return;
    }
    void handleApi(ctx, quota, req, res, url).catch((err) => {
      if (!res.headersSent) sendError(res, 500, [`Emulator error: ${err instanceof Error ? err.message : String(err)}`], ctx.clock.nowMs());
    });
  };
}

async function handleApi(ctx: ServerContext, quota: CreateQuota, req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
  const method = req.method ?? 'GET';
  // Whether the client got the response: 'finish' (the whole response handed to the socket) before
  // the socket closed. writableFinished alone is not enough, nor is waiting for the response's
  // 'close': a response queued behind another on a keep-alive socket that is cut never emits it.
  let outcome: 'open' | 'answered' | 'cut' = 'open';
  const isSettled = () => outcome !== 'open';
  const socket = req.socket;
  const entry: RequestLogEntry = { seq: ctx.log.begin(isSettled), method, path: url, status: 0, startedAt: realNowMs(), endedAt: 0, token: '-' };
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) entry.contentType = contentType;
  const timezoneHeader = req.headers.timezone;
  if (timezoneHeader !== undefined) entry.timezone = Array.isArray(timezoneHeader) ? timezoneHeader.join(', ') : timezoneHeader;
  let recorded = false;
  const record = (status: number) => {
    if (recorded) return;
    recorded = true;
    socket.off('close', onSocketClose);
    entry.endedAt = realNowMs();
    entry.status = status;
    ctx.log.add(entry, isSettled);
  };
  const onSocketClose = () => {
    if (outcome !== 'open') return;
    outcome = 'cut';
    record(0);
  };
  socket.once('close', onSocketClose);
  res.once('finish', () => {
    if (outcome === 'open') outcome = 'answered';
  });
  res.once('close', () => record(outcome === 'answered' ? res.statusCode : 0));
  const raw = await readBody(req);
  const isWrite = method === 'PATCH' || method === 'PUT' || method === 'POST';
  let body: unknown;
  let bodyError: string | undefined;
  if (isWrite && raw !== '') {
    try {
      body = JSON.parse(raw);
      entry.body = body;
    } catch (err) {
      bodyError = `The request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  const { latencyMs } = ctx.config;
  if (latencyMs > 0) await sleep(latencyMs * (0.8 + 0.4 * ctx.random()));
  const now = ctx.clock.nowMs();

  const auth = req.headers.authorization;
  const token = typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
  const principal = token === undefined ? undefined : ctx.tokens.get(token);
  if (principal === undefined) {
    entry.token = token === undefined ? '-' : 'unknown';
    sendError(res, 401, ['The request requires a valid access token set in the Authorization request header.'], now);
    return;
  }
  entry.token = principal.label;

  const limit = ctx.buckets.take(token!);
  if (!limit.allowed) {
    entry.fault = '429';
    sendError(res, 429, ['Too many requests have been sent in a given amount of time; retry after the time in Retry-After.'], now, { 'Retry-After': String(limit.retryAfter) });
    return;
  }
  const fault = drawFault(ctx.config, method, ctx.random);
  if (fault !== undefined) {
    entry.fault = fault;
    const retryAfter: Record<string, string> = ctx.config.faultRetryAfter === null ? {} : { 'Retry-After': String(ctx.config.faultRetryAfter) };
    if (fault === '500' || fault === '502' || fault === '503' || fault === '504') return void sendError(res, Number(fault), [SERVER_ERRORS[fault]], now);
    if (fault === '423') return void sendError(res, 423, ['The requested resource is temporarily unavailable.'], now, retryAfter);
    if (fault === '429') return void sendError(res, 429, ['Too many requests have been sent in a given amount of time; retry after the time in Retry-After.'], now, retryAfter);
    if (fault === 'dropped') return void req.socket.destroy();
    dropWhileAnswering(res, req, fault);
  }

  // Only reads take the header (see responseZone); a write answers in the meeting's own zone and ignores it, a bad one too.
  const zone = method === 'GET' ? responseZone(req.headers.timezone) : { ok: true as const, zone: 'UTC' };
  if (!zone.ok) return void sendError(res, 400, [zone.message], now);
  const [path, queryString = ''] = url.split('?', 2);
  const query = new URLSearchParams(queryString);
  const type = String(contentType ?? '').split(';')[0].trim().toLowerCase();
  if (path === '/v1/meetings' || path === '/v1/meetings/') {
    if (method === 'POST') return handleCreate(ctx, quota, req, res, entry, principal, { type, body, bodyError }, now);
    if (method !== 'GET') return void sendError(res, 405, [`Method ${method} is not allowed on /v1/meetings.`], now, { Allow: 'GET, POST' });
    return handleList(ctx, res, principal, query, requestOrigin(ctx, req) + path, zone.zone, now, headerText(req.headers.password));
  }
  if (path === '/v1/meetings/trackingCodes') {
    if (method !== 'GET') return void sendError(res, 405, [`Method ${method} is not allowed on /v1/meetings/trackingCodes.`], now, { Allow: 'GET' });
    // paths./meetings/trackingCodes.get.parameters.service is required.
    const service = query.get('service');
    if (service === null || service === '') return void sendError(res, 400, [`'service' is required.`], now);
    // paths./meetings/trackingCodes.get: "Lists tracking codes on a site by a meeting host"; an admin names the host in hostEmail.
    const access = accessOf(principal, query.get('hostEmail') ?? undefined);
    if (!access.ok) return void sendError(res, access.status, [access.message], now);
    return void sendJson(res, 200, { items: trackingCodeItems(codesOfUser(ctx.store.trackingCodes, access.viewer), service) }, now);
  }
  const match = MEETING_PATH.exec(path);
  if (!match) return void sendError(res, 404, [`The requested resource could not be found: ${path}`], now);
  const id = decodeId(match[1]);
  if (id === undefined) return void sendError(res, 404, ['The meeting id is not valid.'], now);
  if (method === 'GET') return handleGet(ctx, res, principal, query, id, zone.zone, now, headerText(req.headers.password));
  if (method === 'DELETE') return handleDelete(ctx, res, entry, principal, query, id, now);
  if (method !== 'PATCH' && method !== 'PUT') return void sendError(res, 405, [`Method ${method} is not allowed on a meeting.`], now, { Allow: 'GET, PATCH, PUT, DELETE' });

  // paths./meetings/{meetingId}.patch.requestBody.content has only application/json-patch+json;
  // paths./meetings/{meetingId}.put.requestBody.content only application/json.
  const accepted = method === 'PATCH' ? 'application/json-patch+json' : 'application/json';
  if (type !== accepted)
    return void sendError(res, 415, [`Unsupported content type '${type || '(none)'}' for ${method}: the request body must be ${accepted}.`], now);
  if (bodyError !== undefined) return void sendError(res, 400, [bodyError], now);
  if (!isPlainObject(body)) return void sendError(res, 400, ['The request body must be a JSON object.'], now);
  handleWrite(ctx, res, entry, principal, id, body, method, now);
}

/**
 * The zone of every start and end in a read's response: the `timezone` request header
 * (paths./meetings.get.parameters.timezone, paths./meetings/{meetingId}.get.parameters.timezone), UTC
 * without it. The writes document no such header; they answer in the meeting's zone (scheduledZone).
 */
function responseZone(header: string | string[] | undefined): { ok: true; zone: string } | { ok: false; message: string } {
  if (header === undefined) return { ok: true, zone: 'UTC' };
  const value = Array.isArray(header) ? header[0] : header.trim();
  if (!isValidZone(value)) return { ok: false, message: `The timezone header '${String(value)}' is not an IANA time zone.` };
  return { ok: true, zone: value };
}

/** Which fault (if any) this request gets: a forced one of `faultNext` first, then a draw against `faultRate`. */
function drawFault(config: FaultConfig, method: string, random: () => number): FaultKind | undefined {
  if (config.faultMethods.length > 0 && !config.faultMethods.includes(method)) return undefined;
  const kinds = config.faultKinds;
  if (kinds.length === 0) return undefined;
  if (config.faultNext > 0) config.faultNext -= 1;
  else if (!(config.faultRate > 0 && random() < config.faultRate)) return undefined;
  return kinds[Math.floor(random() * kinds.length)];
}

/** Let the request run to its response, then cut the connection after the headers or half of the body. */
function dropWhileAnswering(res: ServerResponse, req: IncomingMessage, fault: 'droppedAfterHeaders' | 'droppedMidBody'): void {
  res.end = ((chunk?: unknown) => {
    const body = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.alloc(0);
    res.flushHeaders();
    const cut = fault === 'droppedMidBody' ? body.subarray(0, Math.floor(body.length / 2)) : Buffer.alloc(0);
    const destroy = () => req.socket.destroy();
    if (cut.length > 0) res.write(cut, destroy);
    else setImmediate(destroy);
    return res;
  }) as ServerResponse['end'];
}

function notFound(res: ServerResponse, id: string, now: number): void {
  sendError(res, 404, [`Meeting ${id} was not found.`], now);
}

/** A request header's value, when it was sent once. */
function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The password a meeting is protected by: a modified scheduled meeting's own, else its series'. */
function passwordOf(found: Found): unknown {
  const own = found.kind === 'occurrence' ? found.occurrence.record?.settings?.password : undefined;
  return own ?? found.series.settings.password;
}

function handleGet(ctx: ServerContext, res: ServerResponse, principal: Principal, query: URLSearchParams, id: string, zone: string, now: number, password: string | undefined): void {
  const access = accessOf(principal, query.get('hostEmail') ?? undefined);
  if (!access.ok) return sendError(res, access.status, [access.message], now);
  // paths./meetings/{meetingId}.get.parameters.current: schema default false.
  const currentText = query.get('current');
  if (currentText !== null && currentText !== 'true' && currentText !== 'false') return sendError(res, 400, [`'current' must be true or false.`], now);
  const found = ctx.store.find(id);
  if (found === undefined) return notFound(res, id, now);
  // On behalf of a user the admin gets "a meeting that is hosted by that user"; as themself a caller reads what they host or are invited to.
  // Request header `password`: "Required when the meeting is protected by a password and the current
  // user is not privileged to view it if they are not a host, cohost or invitee" (paths./meetings/{meetingId}.get.description).
  const privileged = access.onBehalf ? hosts(found.series, access.viewer) : hosts(found.series, access.viewer) || invited(found.series, access.viewer);
  const readable = privileged || (!access.onBehalf && password !== undefined && password === passwordOf(found));
  if (!readable) {
    const why = access.onBehalf
      ? `it is not hosted by ${access.viewer}`
      : password === undefined
        ? 'you are neither its host nor an invitee, and no password header was sent'
        : 'you are neither its host nor an invitee, and the password header is not its password';
    return sendError(res, 403, [`You are not allowed to read meeting ${id}: ${why}.`], now);
  }
  // "If it's `true`, return details for the current scheduled meeting of the series"; it "only applies to meeting series".
  const current = currentText === 'true' && found.kind === 'series' ? ctx.store.currentOccurrence(found.series) : undefined;
  const shown: Found = current === undefined ? found : { kind: 'occurrence', series: found.series, occurrence: current };
  sendJsonBytes(res, 200, ctx.store.viewBytes(shown, { zone, client: principal.clientId }), now);
}

/** An authority as a Host header carries it: a name or IPv4 address, or a bracketed IPv6 one, and a port. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin the request was addressed to, as the server reconstructs its target URI (RFC 9110 §7.1,
 * the authority from Host): a client of http://localhost:PORT follows links of its own origin and may
 * refuse others. Without a usable Host, the address the emulator listens on.
 */
function requestOrigin(ctx: ServerContext, req: IncomingMessage): string {
  const host = req.headers.host;
  return host !== undefined && HOST.test(host) ? `http://${host}` : ctx.origin();
}

/** `url`: the request's origin and path, which the next page's link (paths./meetings.get.responses.200.headers.Link) is built on. */
function handleList(ctx: ServerContext, res: ServerResponse, principal: Principal, query: URLSearchParams, url: string, zone: string, now: number, password: string | undefined): void {
  const access = accessOf(principal, query.get('hostEmail') ?? undefined);
  if (!access.ok) return sendError(res, access.status, [access.message], now);
  // On behalf of a user, only that user's meetings, as Get a Meeting reads them.
  const result = listMeetings(ctx.store, query, access.viewer, principal.clientId, zone, now, access.onBehalf ? undefined : password);
  if (!result.ok) return sendError(res, result.status, result.messages, now);
  const headers: Record<string, string> = {};
  if (result.nextOffset !== undefined) {
    const next = new URLSearchParams(query);
    next.set('cursor', encodeCursor(result.nextOffset));
    headers.Link = `<${url}?${next.toString()}>; rel="next"`;
  }
  sendJsonBytes(res, 200, itemsBody(result.items), now, headers);
}

function handleWrite(
  ctx: ServerContext,
  res: ServerResponse,
  entry: RequestLogEntry,
  principal: Principal,
  id: string,
  body: Record<string, unknown>,
  method: 'PATCH' | 'PUT',
  now: number,
): void {
  const access = accessOf(principal, body.hostEmail);
  if (!access.ok) return sendError(res, access.status, [access.message], now);
  const found = ctx.store.find(id);
  if (found === undefined) return notFound(res, id, now);
  // Only the host writes, or an admin naming the host ("only used to patch a meeting on behalf of the real meeting host"); an invitee cannot.
  if (!hosts(found.series, access.viewer))
    return sendError(res, 403, [`You are not allowed to update meeting ${id}: only its host can, or an administrator naming the host in hostEmail.`], now);
  const outcome = prepareUpdate(ctx.store, found, body, method, now, principal.clientId);
  if (!outcome.ok) return sendError(res, outcome.status, outcome.messages, now);
  const updatedId = outcome.commit();
  // PatchMeetingObject.sendEmail and UpdateMeetingObject.sendEmail: "default value is true", as for a create or delete.
  entry.sendEmail = body.sendEmail !== false;
  const updated = ctx.store.find(updatedId);
  sendJson(res, 200, updated === undefined ? {} : ctx.store.view(updated, { item: true, zone: scheduledZone(updated), client: principal.clientId }), now);
}

async function handleControl(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
  const now = ctx.clock.nowMs();
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return sendError(res, 403, ['The control endpoints answer loopback clients only.'], now);
  const raw = await readBody(req);
  let body: Record<string, unknown> = {};
  if (raw !== '') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isPlainObject(parsed)) throw new Error('expected a JSON object');
      body = parsed;
    } catch (err) {
      return sendError(res, 400, [`Invalid JSON body: ${err instanceof Error ? err.message : String(err)}`], now);
    }
  }
  const path = url.split('?')[0];
  const method = req.method ?? 'GET';
  const ok = (value: unknown = { ok: true }) => sendJson(res, 200, value, ctx.clock.nowMs());
  try {
    if (path === '/_emulator/requests' && method === 'GET') return ok(ctx.log.all());
    if (path === '/_emulator/requests' && method === 'DELETE') {
      ctx.log.clear();
      return sendJson(res, 204, undefined, now);
    }
    if (path === '/_emulator/clock' && method === 'POST') {
      if (typeof body.now !== 'string') return sendError(res, 400, [`'now' must be an ISO 8601 instant.`], now);
      ctx.control.setClock(body.now);
      return ok({ now: ctx.clock.now().toISOString() });
    }
    if (path === '/_emulator/clock' && method === 'GET') return ok({ now: ctx.clock.now().toISOString() });
    if (path === '/_emulator/config' && method === 'POST') {
      ctx.control.configure(body as ConfigInput);
      return ok({ ...ctx.config });
    }
    const state = /^\/_emulator\/meetings\/([^/]+)\/state$/.exec(path);
    if (state && method === 'POST') {
      if (typeof body.state !== 'string') return sendError(res, 400, [`'state' must be a string.`], now);
      ctx.control.setState(decodeURIComponent(state[1]), body.state);
      return ok();
    }
    const meeting = /^\/_emulator\/meetings\/([^/]+)$/.exec(path);
    if (meeting && method === 'POST') {
      const patch = isPlainObject(body.patch) && Object.keys(body).length === 1 ? body.patch : body;
      ctx.control.editMeeting(decodeURIComponent(meeting[1]), patch);
      return ok();
    }
    if (meeting && method === 'DELETE') {
      ctx.control.deleteMeeting(decodeURIComponent(meeting[1]));
      return ok();
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return sendError(res, /no meeting/.test(message) ? 404 : 400, [message], now);
  }
  sendError(res, 404, [`Unknown control endpoint ${method} ${path}`], now);
}
