import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, RateGate } from '../../core/gate.js';

describe('RateGate', () => {
  it('is ready at once when no pause is in force', async () => {
    const gate = new RateGate();
    await expect(gate.ready()).resolves.toBe(true);
  });

  it('does not let a caller through before the pause ends', async () => {
    const gate = new RateGate();
    gate.pause(40);
    const until = gate.pausedUntil;
    await expect(gate.ready()).resolves.toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(until);
  });

  it('extends a pause to the later end and never shortens it', () => {
    let now = 1000;
    const gate = new RateGate(() => now);
    gate.pause(5000);
    expect(gate.pausedUntil).toBe(6000);
    gate.pause(100);
    expect(gate.pausedUntil).toBe(6000);
    now = 2000;
    gate.pause(8000);
    expect(gate.pausedUntil).toBe(10_000);
  });

  it('honours a pause extended while a caller waits', async () => {
    const gate = new RateGate();
    gate.pause(20);
    const waiting = gate.ready();
    gate.pause(60);
    const until = gate.pausedUntil;
    await waiting;
    expect(Date.now()).toBeGreaterThanOrEqual(until);
  });

  it('gives up with false when aborted', async () => {
    const gate = new RateGate();
    gate.pause(60_000);
    const controller = new AbortController();
    const waiting = gate.ready(controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBe(false);
    await expect(gate.ready(AbortSignal.abort())).resolves.toBe(false);
  });
});

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('AdaptiveLimit', () => {
  it('starts at max and queues callers beyond it', async () => {
    const limit = new AdaptiveLimit(2);
    expect(limit.current).toBe(2);
    await expect(limit.acquire()).resolves.toBe(true);
    await expect(limit.acquire()).resolves.toBe(true);
    let third = false;
    void limit.acquire().then((v) => (third = v));
    await flush();
    expect(third).toBe(false);
    expect(limit.waiting).toBe(1);
    limit.release();
    await flush();
    expect(third).toBe(true);
    expect(limit.inFlight).toBe(2);
    expect(limit.peakInFlight).toBe(2);
  });

  it('halves on a 429, never below 1', () => {
    const limit = new AdaptiveLimit(8);
    expect(limit.onRateLimited()).toBe(true);
    expect(limit.current).toBe(4);
    limit.onRateLimited();
    limit.onRateLimited();
    expect(limit.current).toBe(1);
    limit.onRateLimited();
    expect(limit.current).toBe(1);
    const odd = new AdaptiveLimit(5);
    odd.onRateLimited();
    expect(odd.current).toBe(2);
  });

  it('decreases once per pause window: refusals of requests sent before the decrease are ignored', () => {
    const limit = new AdaptiveLimit(16);
    const sentIn = limit.epoch;
    expect(limit.onRateLimited(sentIn)).toBe(true);
    expect(limit.onRateLimited(sentIn)).toBe(false);
    expect(limit.onRateLimited(sentIn)).toBe(false);
    expect(limit.current).toBe(8);
    expect(limit.onRateLimited(limit.epoch)).toBe(true);
    expect(limit.current).toBe(4);
  });

  it('grows by one after as many successes as the current limit, up to max', () => {
    const limit = new AdaptiveLimit(4);
    limit.onRateLimited();
    limit.onRateLimited();
    expect(limit.current).toBe(1);
    limit.onSuccess();
    expect(limit.current).toBe(2);
    limit.onSuccess();
    expect(limit.current).toBe(2);
    limit.onSuccess();
    expect(limit.current).toBe(3);
    for (let i = 0; i < 3; i += 1) limit.onSuccess();
    expect(limit.current).toBe(4);
    for (let i = 0; i < 20; i += 1) limit.onSuccess();
    expect(limit.current).toBe(4);
  });

  it('a 429 resets the success streak', () => {
    const limit = new AdaptiveLimit(8);
    limit.onRateLimited(); // 4
    limit.onSuccess();
    limit.onSuccess();
    limit.onSuccess();
    limit.onRateLimited(); // 2, streak reset
    limit.onSuccess();
    expect(limit.current).toBe(2);
    limit.onSuccess();
    expect(limit.current).toBe(3);
  });

  it('admits waiters when the limit grows back', async () => {
    const limit = new AdaptiveLimit(2);
    limit.onRateLimited();
    await limit.acquire();
    let second = false;
    void limit.acquire().then((v) => (second = v));
    await flush();
    expect(second).toBe(false);
    limit.onSuccess(); // 1 success at limit 1 -> 2
    await flush();
    expect(second).toBe(true);
  });

  it('does not admit new callers while in flight exceeds a reduced limit', async () => {
    const limit = new AdaptiveLimit(4);
    for (let i = 0; i < 4; i += 1) await limit.acquire();
    limit.onRateLimited(); // 2
    let admitted = false;
    void limit.acquire().then((v) => (admitted = v));
    limit.release();
    limit.release();
    await flush();
    expect(admitted).toBe(false);
    limit.release();
    await flush();
    expect(admitted).toBe(true);
  });

  it('an aborted waiter leaves the queue with false', async () => {
    const limit = new AdaptiveLimit(1);
    await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBe(false);
    expect(limit.waiting).toBe(0);
    limit.release();
    expect(limit.inFlight).toBe(0);
    await expect(limit.acquire(AbortSignal.abort())).resolves.toBe(false);
  });

  it('run() holds one slot, and nested run() calls reuse it instead of deadlocking', async () => {
    const limit = new AdaptiveLimit(1);
    const result = await limit.run(async () => {
      expect(limit.inFlight).toBe(1);
      const inner = await limit.run(async () => limit.inFlight);
      return inner;
    });
    expect(result).toEqual({ ok: true, value: { ok: true, value: 1 } });
    expect(limit.inFlight).toBe(0);
  });

  it('run() releases the slot when fn throws, and reports an abort as not ok', async () => {
    const limit = new AdaptiveLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limit.inFlight).toBe(0);
    await expect(limit.run(async () => 1, AbortSignal.abort())).resolves.toEqual({ ok: false });
  });

  it('run() bounds parallel work to the limit', async () => {
    const limit = new AdaptiveLimit(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limit.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 1));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(limit.peakInFlight).toBe(3);
  });
});
