/**
 * The emulator's clock: it starts at a chosen instant and then runs in real time, so that
 * "now" is reproducible in tests without ever touching the system clock.
 */
export interface EmulatorClock {
  now(): Date;
  nowMs(): number;
  set(iso: string): void;
  advance(ms: number): void;
  /** Bumped on every set/advance, so caches that depend on "now" know to recompute. */
  epoch(): number;
}

export function parseInstantStrict(iso: string): number | undefined {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(iso)) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

export function createClock(startIso?: string): EmulatorClock {
  let base = Date.now();
  let realAtBase = performance.now();
  let epoch = 0;
  if (startIso !== undefined) setIso(startIso);

  function setIso(iso: string): void {
    const ms = parseInstantStrict(iso);
    if (ms === undefined) throw new Error(`not an ISO 8601 instant: ${iso}`);
    base = ms;
    realAtBase = performance.now();
    epoch++;
  }
  const nowMs = (): number => Math.floor(base + (performance.now() - realAtBase));
  return {
    nowMs,
    now: () => new Date(nowMs()),
    set: setIso,
    advance(ms: number) {
      base += ms;
      epoch++;
    },
    epoch: () => epoch,
  };
}

/** Wall-clock real time in ms since the epoch, with sub-millisecond accuracy (for the request log). */
export function realNowMs(): number {
  return performance.timeOrigin + performance.now();
}
