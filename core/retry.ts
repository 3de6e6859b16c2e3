/**
 * Retry timing: exponential backoff with full jitter, `Retry-After` parsing, and a sleep that
 * gives up when its AbortSignal fires. Generic: nothing here knows which API is being retried.
 */

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** Injected for deterministic tests; defaults to Math.random. */
  random?: () => number;
}

/**
 * Full jitter (a uniform draw in [0, min(max, base * 2^attempt)]): spreads the retries of many
 * clients that failed together, so they do not come back together. `attempt` counts from 0.
 */
export function backoffMs(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? 250;
  const maxMs = options.maxMs ?? 10_000;
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * The longest `Retry-After` a client sits through (a run in CI must not hang on a server's word).
 * It bounds a pause; it does not shorten one: a request asked to wait longer is not sent again
 * early (an attempt before the announced time cannot succeed), the caller gives it up instead.
 */
export const RETRY_AFTER_CAP_MS = 60_000;

/**
 * `Retry-After` as milliseconds to wait: delta-seconds or an HTTP date (relative to `nowMs`),
 * clamped to [0, capMs] (pass Infinity to read the wait as announced). Undefined when the header
 * is missing or unreadable, so the caller picks its own default.
 */
export function parseRetryAfter(
  header: string | readonly string[] | null | undefined,
  nowMs: number,
  capMs: number = RETRY_AFTER_CAP_MS,
): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    // An HTTP date always names its day and month; without letters Date.parse would read '-5' as a year.
    if (!/[A-Za-z]/.test(value)) return undefined;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(capMs, Math.max(0, Math.ceil(ms)));
}

/**
 * A wait announced by a server plus a little random extra (up to 10 %, at most 1 s), so that
 * the clients it paused do not all return in the same millisecond. Never shorter than `ms`.
 */
export function withJitter(ms: number, random: () => number = Math.random): number {
  return ms + Math.floor(random() * Math.min(1000, ms * 0.1));
}

/**
 * The sleepers of each signal, behind one abort listener: an apply's every change waits on the
 * run's one signal, and a listener each would pile hundreds onto it (MaxListenersExceededWarning).
 */
const sleepers = new WeakMap<AbortSignal, Set<() => void>>();

function onAbort(signal: AbortSignal, wake: () => void): () => void {
  let waiting = sleepers.get(signal);
  if (waiting === undefined) {
    const fresh = new Set<() => void>();
    signal.addEventListener('abort', () => fresh.forEach((w) => w()), { once: true });
    sleepers.set(signal, (waiting = fresh));
  }
  const set = waiting;
  set.add(wake);
  return () => set.delete(wake);
}

/** Resolves true after `ms`, or false as soon as one of `signals` is aborted (at once if one already is). */
export function sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<boolean> {
  const watched = signals.filter((s): s is AbortSignal => s !== undefined);
  if (watched.some((s) => s.aborted)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (slept: boolean): void => {
      clearTimeout(timer);
      for (const leave of leaves) leave();
      resolve(slept);
    };
    const timer = setTimeout(() => done(true), Math.max(0, ms));
    const leaves = watched.map((s) => onAbort(s, () => done(false)));
  });
}
