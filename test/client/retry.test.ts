import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter, sleep, withJitter, RETRY_AFTER_CAP_MS } from '../../core/retry.js';

describe('backoffMs (full jitter)', () => {
  it('draws from [0, base * 2^attempt)', () => {
    expect(backoffMs(0, { random: () => 0 })).toBe(0);
    expect(backoffMs(0, { random: () => 0.5 })).toBe(125);
    expect(backoffMs(3, { random: () => 0.5 })).toBe(1000);
    expect(backoffMs(2, { baseMs: 100, random: () => 0.999 })).toBe(399);
  });

  it('never exceeds maxMs however many attempts', () => {
    expect(backoffMs(40, { random: () => 0.999999 })).toBeLessThan(10_000);
    expect(backoffMs(40, { random: () => 0.999999 })).toBeGreaterThan(9_000);
    expect(backoffMs(6, { maxMs: 500, random: () => 0.5 })).toBe(250);
  });

  it('uses Math.random by default and stays in range', () => {
    for (let i = 0; i < 50; i += 1) {
      const ms = backoffMs(2);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(1000);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2027-03-02T09:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Tue, 02 Mar 2027 09:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 02 Mar 2027 08:59:00 GMT', now)).toBe(0);
  });

  it('caps long waits', () => {
    expect(parseRetryAfter('3600', now)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfter('3600', now, 5000)).toBe(5000);
  });

  it('is undefined when missing or unreadable, so the caller picks a default', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('withJitter', () => {
  it('adds up to 10 % (at most 1 s), never less than the announced wait', () => {
    expect(withJitter(1000, () => 0)).toBe(1000);
    expect(withJitter(1000, () => 0.999)).toBe(1099);
    expect(withJitter(60_000, () => 0.999)).toBe(60_999);
  });
});

describe('sleep', () => {
  it('resolves true when the time is up', async () => {
    await expect(sleep(1)).resolves.toBe(true);
  });

  it('resolves false at once for an aborted signal, and when aborted while sleeping', async () => {
    await expect(sleep(10_000, AbortSignal.abort())).resolves.toBe(false);
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await expect(pending).resolves.toBe(false);
  });

  it('ends when either of two signals aborts', async () => {
    const cancel = new AbortController();
    const stop = new AbortController();
    const pending = sleep(10_000, cancel.signal, stop.signal);
    stop.abort();
    await expect(pending).resolves.toBe(false);
  });

  it('many sleepers of one signal hold one abort listener on it (no MaxListenersExceededWarning), and all wake', async () => {
    const stop = new AbortController();
    const sleeping = Array.from({ length: 50 }, () => sleep(10_000, stop.signal));
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort();
    expect(await Promise.all(sleeping)).toEqual(Array(50).fill(false));
  });
});
