/**
 * Flow control shared by every request of one API client:
 * - `RateGate`: a single pause (from a 429's `Retry-After`) that holds back every request,
 *   not only the one that was refused: the server limits the client, not the request.
 * - `AdaptiveLimit`: a concurrency bound that halves on rate limiting and grows back slowly
 *   (AIMD), so a client settles just under the server's limit instead of hammering it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sleep } from './retry.js';

export class RateGate {
  private until = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Epoch ms until which no request may leave (0 or a past time: none in force). */
  get pausedUntil(): number {
    return this.until;
  }

  /** Extends the pause to at least `ms` from now; never shortens a longer pause already in force. */
  pause(ms: number): void {
    this.until = Math.max(this.until, this.clock() + Math.max(0, ms));
  }

  /**
   * Resolves true when no pause is in force, false if a signal aborts first. Loops because the
   * pause may be extended while waiting, and timers may fire a little early.
   */
  async ready(...signals: (AbortSignal | undefined)[]): Promise<boolean> {
    for (;;) {
      if (signals.some((s) => s?.aborted)) return false;
      const wait = this.until - this.clock();
      if (wait <= 0) return true;
      if (!(await sleep(wait, ...signals))) return false;
    }
  }
}

interface Waiter {
  resolve(acquired: boolean): void;
  signal?: AbortSignal;
}

/** The limits whose slot the current async context already holds (see `AdaptiveLimit.run`). */
const heldSlots = new AsyncLocalStorage<ReadonlySet<AdaptiveLimit>>();

export class AdaptiveLimit {
  readonly max: number;
  private currentLimit: number;
  private active = 0;
  private peak = 0;
  private successStreak = 0;
  private generation = 0;
  private readonly waiters: Waiter[] = [];
  /**
   * One abort listener per signal, however many waiters share it: an apply queues every change of
   * a plan on the run's signal, and a listener per waiter piled hundreds onto that one signal
   * (MaxListenersExceededWarning). Removed when the last waiter of the signal leaves the queue.
   */
  private readonly watched = new Map<AbortSignal, { listener: () => void; waiters: number }>();

  constructor(max: number) {
    this.max = Math.max(1, Math.floor(max));
    this.currentLimit = this.max;
  }

  /** The concurrency allowed right now (1 … max). */
  get current(): number {
    return this.currentLimit;
  }

  get inFlight(): number {
    return this.active;
  }

  get peakInFlight(): number {
    return this.peak;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Increments at every decrease. A caller notes it when it sends, and passes it back with a
   * 429: refusals of requests that left before the last decrease belong to the same pause window
   * and must not halve the limit again.
   */
  get epoch(): number {
    return this.generation;
  }

  /** Resolves true once a slot is held (call `release()` after), false if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.waiters.length === 0 && this.active < this.currentLimit) {
      this.take();
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, signal };
      if (signal) this.watch(signal);
      this.waiters.push(waiter);
    });
  }

  private watch(signal: AbortSignal): void {
    const entry = this.watched.get(signal);
    if (entry) {
      entry.waiters += 1;
      return;
    }
    const listener = (): void => {
      this.watched.delete(signal);
      // Every waiter of this signal gives up at once; the others keep their place.
      const kept = this.waiters.filter((w) => w.signal !== signal);
      const gone = this.waiters.filter((w) => w.signal === signal);
      this.waiters.splice(0, this.waiters.length, ...kept);
      for (const w of gone) w.resolve(false);
    };
    this.watched.set(signal, { listener, waiters: 1 });
    signal.addEventListener('abort', listener, { once: true });
  }

  private unwatch(signal: AbortSignal): void {
    const entry = this.watched.get(signal);
    if (!entry) return;
    entry.waiters -= 1;
    if (entry.waiters > 0) return;
    this.watched.delete(signal);
    signal.removeEventListener('abort', entry.listener);
  }

  release(): void {
    if (this.active > 0) this.active -= 1;
    this.drain();
  }

  /**
   * Runs `fn` holding one slot. Work started inside `fn` (in the same async context) that calls
   * `run` on this limit again reuses the slot instead of waiting for a second one: an apply step
   * holds a slot for its whole change, and the client requests it makes must not deadlock on it.
   */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<{ ok: true; value: T } | { ok: false }> {
    const held = heldSlots.getStore();
    if (held?.has(this)) return { ok: true, value: await fn() };
    if (!(await this.acquire(signal))) return { ok: false };
    try {
      const next = new Set(held ?? []);
      next.add(this);
      return { ok: true, value: await heldSlots.run(next, fn) };
    } finally {
      this.release();
    }
  }

  /** Additive increase: +1 after as many consecutive successes as the current limit. */
  onSuccess(): void {
    this.successStreak += 1;
    if (this.currentLimit < this.max && this.successStreak >= this.currentLimit) {
      this.currentLimit += 1;
      this.successStreak = 0;
      this.drain();
    }
  }

  /**
   * Multiplicative decrease on a rate-limit answer. `sentInEpoch` is `epoch` as it was when the
   * refused request left; omitted, the decrease always happens. Returns whether it decreased.
   */
  onRateLimited(sentInEpoch?: number): boolean {
    this.successStreak = 0;
    if (sentInEpoch !== undefined && sentInEpoch !== this.generation) return false;
    this.currentLimit = Math.max(1, Math.floor(this.currentLimit * 0.5));
    this.generation += 1;
    return true;
  }

  private take(): void {
    this.active += 1;
    if (this.active > this.peak) this.peak = this.active;
  }

  private drain(): void {
    while (this.active < this.currentLimit && this.waiters.length > 0) {
      const waiter = this.waiters.shift() as Waiter;
      if (waiter.signal) this.unwatch(waiter.signal);
      this.take();
      waiter.resolve(true);
    }
  }
}
