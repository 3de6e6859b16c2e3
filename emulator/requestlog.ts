/** Every /v1 request the emulator saw, refused ones included; optionally mirrored to a JSON-lines file. */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { FaultKind } from './server.js';

export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Path including the query string. */
  path: string;
  /** 0 when the connection was dropped without a response. */
  status: number;
  startedAt: number;
  endedAt: number;
  /** The token's label, never the token itself. */
  token: string;
  /** The parsed JSON body of a write. */
  body?: unknown;
  /** The request's Content-Type header as sent, when it sent one: what a client declared its body to be. */
  contentType?: string;
  /** The request's `timezone` header as sent, when it sent one. */
  timezone?: string;
  fault?: FaultKind | 'createThenCut';
  /** Whether the write carried out (create, update or delete) would email the host and invitees (its sendEmail, default true); unset for a refused one. */
  sendEmail?: boolean;
}

// liveStream.rtmpUrl, an RTMP ingest URL, carries the stream key.
const SECRET_KEYS = new Set(['password', 'panelistPassword', 'rtmpUrl']);

/** The file copy may end up as a CI artifact, so secret values are masked there. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) && typeof v === 'string' ? '[redacted]' : redact(v)]));
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;
  private readonly open = new Set<() => boolean>();
  private closed = false;
  private readonly file: WriteStream | undefined;

  constructor(path?: string) {
    this.file = path === undefined ? undefined : createWriteStream(path, { flags: 'a' });
  }

  /**
   * A request has begun: its sequence number. It counts as in flight until `isSettled` says its
   * response was handed over whole or its connection was cut, or `add` records its end.
   */
  begin(isSettled: () => boolean): number {
    this.open.add(isSettled);
    return ++this.seq;
  }

  /**
   * Requests begun and not yet answered or cut. A response written whole but whose connection has
   * not yet reported it is not counted: cutting the connections now would not cut that request.
   */
  inFlight(): number {
    let n = 0;
    for (const isSettled of this.open) if (!isSettled()) n++;
    return n;
  }

  add(entry: RequestLogEntry, isSettled: () => boolean): void {
    this.open.delete(isSettled);
    // Requests finish almost in arrival order, so keeping the list sorted by seq costs a step or two.
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1].seq > entry.seq) i--;
    this.entries.splice(i, 0, entry);
    // Requests cut by close() end after the file does: they stay in memory only.
    if (!this.closed) this.file?.write(`${JSON.stringify(entry.body === undefined ? entry : { ...entry, body: redact(entry.body) })}\n`);
  }

  /** In request (arrival) order, although entries are added when they finish. */
  all(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }

  close(): Promise<void> {
    this.closed = true;
    const file = this.file;
    return file === undefined ? Promise.resolve() : new Promise((resolve) => file.end(() => resolve()));
  }
}
