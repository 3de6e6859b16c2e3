/**
 * A local Webex Meetings API server for tests, the demo and dry runs: real HTTP on loopback,
 * state in memory, a controllable clock, and the update rules of the Webex reference.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { createClock } from './clock.js';
import { BUILTIN_NOW, builtinSeed, generateSeed } from './builtin.js';
import { deleteMeeting, editMeeting, setState } from './backdoor.js';
import { MeetingStore } from './model.js';
import { siteCodesFromSeed, userCodesFromSeed } from './tracking.js';
import { TokenBuckets } from './ratelimit.js';
import { RequestLog, type RequestLogEntry } from './requestlog.js';
import { DEFAULT_HOST } from './generated.js';
import { readSeedFile, seriesFromSeed, tokensFromSeed, type SeedFile } from './seed.js';
import { resolveSeedEnv } from './seed-check.js';
import { createHandler, FAULT_KINDS, type ConfigInput, type FaultConfig, type FaultKind, type Principal } from './server.js';
import { DEFAULT_CLIENT } from './model.js';
import { parseQuota, type CreateQuotaSetting } from './quota.js';

export type { RequestLogEntry } from './requestlog.js';
export type { FaultKind } from './server.js';
export type { SeedFile, SeedMeeting, SeedOccurrence, SeedToken, SeedTrackingCode } from './seed.js';
export { generateSeed, builtinSeed, BUILTIN_NOW };

export interface EmulatorOptions {
  /** 0 = any free port (default 0); the host is always 127.0.0.1. */
  port?: number;
  /** An object or a path to a .json/.yaml/.yml seed; default: the built-in seed. */
  seed?: SeedFile | string;
  /** ISO instant: the emulator clock starts there and advances in real time. */
  now?: string;
  /** Added per request, with ±20% jitter (default 0). */
  latencyMs?: number;
  /** Token bucket, requests/second per token (default 0 = off). */
  rateLimit?: number;
  /** 0..1 probability per request of a fault: 503, 423 with Retry-After, or a dropped connection. */
  faultRate?: number;
  /** Which faults `faultRate`/`faultNext` inject (default 503, 423, dropped); see FaultKind. */
  faultKinds?: FaultKind[];
  /** `Retry-After` of injected 423/429 in seconds; null leaves the header out. Default 1. */
  faultRetryAfter?: number | null;
  /** The next N requests (of `faultMethods`) fault for sure: a burst. */
  faultNext?: number;
  /** Only these methods are faulted (e.g. ['PATCH']); default every method. */
  faultMethods?: string[];
  /** The next N creates are stored, then their connection is cut before any answer (default 0). */
  createThenCut?: number;
  /** The create quota of POST /meetings: true = the documented 100 / 3000 / 800 in 24 hours; default off (also a seed setting). */
  createQuota?: CreateQuotaSetting;
  /** Optional JSON-lines copy of the request log (secret values masked). */
  requestLogFile?: string;
  /** Where the seed's `${env:NAME}` values are read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface Emulator {
  baseUrl: string;
  adminToken: string;
  tokenFor(hostEmail: string): string;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  /** Requests being handled right now (received, not yet answered or cut). */
  inFlight(): number;
  clock: { now(): Date; set(iso: string): void; advance(ms: number): void };
  configure(o: Pick<EmulatorOptions, 'latencyMs' | 'rateLimit' | 'faultRate' | 'faultKinds' | 'faultRetryAfter' | 'faultNext' | 'faultMethods' | 'createThenCut' | 'createQuota'>): void;
  /** A meeting as a list shows it (with `meetingSeriesId` and, for a scheduled meeting, `isModified`, which Get a Meeting's answer lacks). */
  getMeeting(id: string): Record<string, unknown> | undefined;
  editMeeting(id: string, patch: Record<string, unknown>): void;
  setState(id: string, state: string): void;
  deleteMeeting(id: string): void;
  listSeriesIds(): string[];
  close(): Promise<void>;
}

function checkConfig(o: ConfigInput): void {
  const bad = (name: string, v: unknown) => new Error(`${name} must be a non-negative number; got ${String(v)}`);
  if (o.latencyMs !== undefined && !(Number.isFinite(o.latencyMs) && o.latencyMs >= 0)) throw bad('latencyMs', o.latencyMs);
  if (o.rateLimit !== undefined && !(Number.isFinite(o.rateLimit) && o.rateLimit >= 0)) throw bad('rateLimit', o.rateLimit);
  if (o.faultRate !== undefined && !(Number.isFinite(o.faultRate) && o.faultRate >= 0 && o.faultRate <= 1))
    throw new Error(`faultRate must be between 0 and 1; got ${String(o.faultRate)}`);
  if (o.faultKinds !== undefined && !(Array.isArray(o.faultKinds) && o.faultKinds.every((k) => FAULT_KINDS.includes(k))))
    throw new Error(`faultKinds must be a list of ${FAULT_KINDS.join(', ')}`);
  if (o.faultRetryAfter !== undefined && o.faultRetryAfter !== null && !(Number.isInteger(o.faultRetryAfter) && o.faultRetryAfter >= 0))
    throw new Error(`faultRetryAfter must be whole seconds or null; got ${String(o.faultRetryAfter)}`);
  if (o.faultNext !== undefined && !(Number.isInteger(o.faultNext) && o.faultNext >= 0)) throw bad('faultNext', o.faultNext);
  if (o.createThenCut !== undefined && !(Number.isInteger(o.createThenCut) && o.createThenCut >= 0)) throw bad('createThenCut', o.createThenCut);
  parseQuota(o.createQuota);
  if (o.faultMethods !== undefined && !(Array.isArray(o.faultMethods) && o.faultMethods.every((m) => typeof m === 'string')))
    throw new Error('faultMethods must be a list of HTTP methods');
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const given: SeedFile =
    options.seed === undefined ? builtinSeed() : typeof options.seed === 'string' ? readSeedFile(options.seed) : structuredClone(options.seed);
  const seed = resolveSeedEnv(given, options.env ?? process.env, typeof options.seed === 'string' ? options.seed : '(given)');
  const clock = createClock(options.now ?? seed.now ?? (options.seed === undefined ? BUILTIN_NOW : undefined));
  const config: FaultConfig = { latencyMs: 0, rateLimit: 0, faultRate: 0, faultKinds: ['503', '423', 'dropped'], faultRetryAfter: 1, faultNext: 0, faultMethods: [], createThenCut: 0, createQuota: null };
  const configure = (o: ConfigInput): void => {
    checkConfig(o);
    if (o.latencyMs !== undefined) config.latencyMs = o.latencyMs;
    if (o.faultRate !== undefined) config.faultRate = o.faultRate;
    if (o.faultKinds !== undefined) config.faultKinds = [...o.faultKinds];
    if (o.faultRetryAfter !== undefined) config.faultRetryAfter = o.faultRetryAfter;
    if (o.faultNext !== undefined) config.faultNext = o.faultNext;
    if (o.faultMethods !== undefined) config.faultMethods = o.faultMethods.map((m) => m.toUpperCase());
    if (o.createThenCut !== undefined) config.createThenCut = o.createThenCut;
    if (o.createQuota !== undefined) config.createQuota = parseQuota(o.createQuota);
    if (o.rateLimit !== undefined) {
      config.rateLimit = o.rateLimit;
      buckets.setRate(o.rateLimit);
    }
  };
  const buckets = new TokenBuckets(0);
  configure({
    latencyMs: options.latencyMs,
    rateLimit: options.rateLimit,
    faultRate: options.faultRate,
    faultKinds: options.faultKinds,
    faultRetryAfter: options.faultRetryAfter,
    faultNext: options.faultNext,
    faultMethods: options.faultMethods,
    createThenCut: options.createThenCut,
    createQuota: options.createQuota ?? seed.createQuota,
  });

  const store = new MeetingStore(clock.nowMs, clock.epoch);
  const site = siteCodesFromSeed(seed.trackingCodes);
  store.trackingCodes = { site, user: userCodesFromSeed(seed.userTrackingCodes, site) };
  const nowMs = clock.nowMs();
  for (const meeting of seed.meetings ?? []) {
    if (store.series.has(meeting.id)) throw new Error(`seed: meeting ${meeting.id} appears twice`);
    store.add(seriesFromSeed(meeting, nowMs));
  }

  const tokens = new Map<string, Principal>();
  let adminToken: string | undefined;
  for (const t of tokensFromSeed(seed)) {
    const label = t.label ?? (t.admin ? 'admin' : `host:${t.hostEmail}`);
    // An admin is a user too: without a hostEmail it is the seeds' default host, so their meetings stay visible to it.
    tokens.set(t.token, { label, admin: t.admin === true, email: (t.hostEmail ?? DEFAULT_HOST).toLowerCase(), clientId: t.clientId ?? DEFAULT_CLIENT });
    if (t.admin && adminToken === undefined) adminToken = t.token;
  }
  if (adminToken === undefined) {
    adminToken = 'emulator-admin-token';
    tokens.set(adminToken, { label: 'admin', admin: true, email: DEFAULT_HOST, clientId: DEFAULT_CLIENT });
  }

  const log = new RequestLog(options.requestLogFile);
  let origin = '';
  const control = {
    setClock: (iso: string) => clock.set(iso),
    configure,
    editMeeting: (id: string, patch: Record<string, unknown>) => editMeeting(store, id, patch),
    setState: (id: string, state: string) => setState(store, id, state),
    deleteMeeting: (id: string) => deleteMeeting(store, id),
  };
  const server: Server = createServer(
    { keepAliveTimeout: 30_000 },
    createHandler({ store, clock, tokens, config, buckets, log, origin: () => origin, control, random: Math.random }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: `${origin}/v1`,
    adminToken,
    tokenFor(hostEmail: string): string {
      const email = hostEmail.toLowerCase();
      for (const [token, p] of tokens) if (!p.admin && p.email === email) return token;
      const token = `emulator-host-${createHash('sha256').update(email).digest('hex').slice(0, 24)}`;
      tokens.set(token, { label: `host:${email}`, admin: false, email, clientId: DEFAULT_CLIENT });
      return token;
    },
    requestLog: () => log.all(),
    clearRequestLog: () => log.clear(),
    inFlight: () => log.inFlight(),
    clock: { now: clock.now, set: clock.set, advance: clock.advance },
    configure,
    getMeeting(id: string) {
      const found = store.find(id);
      return found === undefined ? undefined : store.view(found, { item: true });
    },
    editMeeting: control.editMeeting,
    setState: control.setState,
    deleteMeeting: control.deleteMeeting,
    listSeriesIds: () => store.sortedSeries().map((s) => s.id),
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await log.close();
      })();
      return closing;
    },
  };
}
