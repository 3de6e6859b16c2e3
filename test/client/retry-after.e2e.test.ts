/**
 * How the client honours `Retry-After` (paths./meetings/{meetingId}.get.responses.429: "how many
 * seconds you need to wait before a successful request can be made"), against the real emulator
 * on loopback. The emulator's request log is the evidence of what was sent, and when.
 */
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { WebexClient } from '../../meetings/client.js';
import { client, emulator, seedOf } from './support.js';

const emulatorOf = (ids: string[]): Promise<Emulator> => emulator({ seed: seedOf(ids) });

describe('a Retry-After longer than the client waits (60 s)', () => {
  const calls = {
    GET: (c: WebexClient) => c.getMeeting('a1'),
    PATCH: (c: WebexClient) => c.patchMeeting('a1', { title: 'Renamed' }),
    DELETE: (c: WebexClient) => c.deleteMeeting('a1', { sendEmail: false }),
  } as const;

  it.each(['GET', 'PATCH', 'DELETE'] as const)('a %s refused 429 with Retry-After: 90 fails at once, saying so, and is not sent again early', async (method) => {
    const emu = await emulatorOf(['a1']);
    emu.configure({ faultKinds: ['429'], faultRetryAfter: 90, faultNext: 1, faultMethods: [method] });
    const c = client(emu);
    const r = await calls[method](c);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 429, retryable: false, retryAfterMs: 90_000, meetingId: 'a1' });
    expect(r.error.message).toMatch(/not sent again: Webex asks to wait 90 s \(Retry-After\), longer than meetctl waits \(60 s\)/);
    expect(r.attempts).toBe(1);
    // One attempt: a second one before the 90 s have passed could not succeed.
    expect(emu.requestLog().map((e) => [e.method, e.status])).toEqual([[method, 429]]);
    expect(c.stats()).toMatchObject({ requests: 1, rateLimited: 1, retries: 0 });
    // A 429 limits the caller: the client's other requests still wait, as long as it waits at all.
    expect(c.gate.pausedUntil).toBeGreaterThan(Date.now());
  });
});

/** Resolves once `done()` holds (polled); the limit only guards against a hang. */
async function until(done: () => boolean, limitMs = 20_000): Promise<void> {
  const giveUp = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > giveUp) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a 423 locks one resource, not the client', () => {
  // 423 "Locked: The requested resource is temporarily unavailable" (paths./meetings/{meetingId}.patch.responses.423),
  // unlike 429 "Too many requests have been sent" (.responses.429): only the request that got it waits.
  it('one PATCH refused 423 with Retry-After: 3 waits alone: other requests are sent during its wait, and it is sent again only after 3 s', async () => {
    const emu = await emulatorOf(['a1', 'b1', 'c1', 'd1']);
    emu.configure({ faultKinds: ['423'], faultRetryAfter: 3, faultNext: 1, faultMethods: ['PATCH'] });
    const c = client(emu, { concurrency: 4 });
    const locked = c.patchMeeting('a1', { title: 'Locked' });
    // The refusal has been read (counted): any pause it would set is in force by now.
    await until(() => c.stats().locked === 1);
    expect(c.gate.pausedUntil).toBeLessThanOrEqual(Date.now());
    const others = await Promise.all([c.getMeeting('b1'), c.patchMeeting('c1', { title: 'Free' }), c.getMeeting('d1')]);
    expect(others.map((r) => r.ok)).toEqual([true, true, true]);
    const r = await locked;
    expect(r.ok).toBe(true);
    expect(r.attempts).toBe(2);
    expect(emu.getMeeting('a1')?.title).toBe('Locked');

    const log = emu.requestLog();
    const ofLocked = log.filter((e) => e.path.startsWith('/v1/meetings/a1'));
    expect(ofLocked.map((e) => [e.method, e.status, e.fault])).toEqual([
      ['PATCH', 423, '423'],
      ['PATCH', 200, undefined],
    ]);
    const [refusal, resend] = ofLocked;
    const rest = log.filter((e) => !e.path.startsWith('/v1/meetings/a1'));
    expect(rest.map((e) => e.status)).toEqual([200, 200, 200]);
    // Order: the other requests were sent and answered while the locked one waited.
    for (const e of rest) {
      expect(e.startedAt).toBeGreaterThan(refusal.endedAt);
      expect(e.endedAt).toBeLessThan(resend.startedAt);
    }
    // Not sent again before its Retry-After (a few ms of slack: the server logs its end after the client has read it).
    expect(resend.startedAt - refusal.endedAt).toBeGreaterThanOrEqual(3000 - 50);
    // Nor is the client's concurrency halved: the lock says nothing of how much the client sends.
    expect(c.limit.epoch).toBe(0);
    expect(c.stats()).toMatchObject({ locked: 1, rateLimited: 0, retries: 1 });
  });

  it('a 423 asking for longer than meetctl waits (90 s) fails that request at once, and holds back no other', async () => {
    const emu = await emulatorOf(['a1', 'b1']);
    emu.configure({ faultKinds: ['423'], faultRetryAfter: 90, faultNext: 1, faultMethods: ['PATCH'] });
    const c = client(emu);
    const r = await c.patchMeeting('a1', { title: 'Locked' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'http', status: 423, retryable: false, retryAfterMs: 90_000, meetingId: 'a1' });
    expect(r.error.message).toMatch(/not sent again: Webex asks to wait 90 s \(Retry-After\), longer than meetctl waits \(60 s\)/);
    expect(c.gate.pausedUntil).toBeLessThanOrEqual(Date.now());
    expect((await c.getMeeting('b1')).ok).toBe(true);
    expect(emu.requestLog().map((e) => [e.method, e.status])).toEqual([
      ['PATCH', 423],
      ['GET', 200],
    ]);
  });
});
