/**
 * How the client honours `Retry-After` (paths./meetings/{meetingId}.get.responses.429: "how many
 * seconds you need to wait before a successful request can be made"), against the real emulator
 * on loopback. The emulator's request log is the evidence of what was sent, and when.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createWebexClient, type WebexClient, type WebexClientOptions } from '../../meetings/client.js';

const NOW = '2027-01-15T09:00:00Z';

function seedOf(ids: string[]) {
  return {
    now: NOW,
    meetings: ids.map((id, i) => ({
      id,
      title: `Meeting ${i}`,
      hostEmail: 'host@example.com',
      timezone: 'Europe/Berlin',
      start: '2027-03-02T09:00:00+01:00',
      end: '2027-03-02T09:30:00+01:00',
    })),
  };
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function emulator(ids: string[]): Promise<Emulator> {
  const emu = await startEmulator({ seed: seedOf(ids) });
  open.push(emu);
  return emu;
}

function client(emu: Emulator, options: Partial<WebexClientOptions> = {}): WebexClient {
  const c = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken, ...options });
  // Closed before the emulator (afterEach pops in reverse order).
  open.push(c);
  return c;
}

describe('a Retry-After longer than the client waits (60 s)', () => {
  const calls = {
    GET: (c: WebexClient) => c.getMeeting('a1'),
    PATCH: (c: WebexClient) => c.patchMeeting('a1', { title: 'Renamed' }),
    DELETE: (c: WebexClient) => c.deleteMeeting('a1', { sendEmail: false }),
  } as const;

  it.each(['GET', 'PATCH', 'DELETE'] as const)('a %s refused 429 with Retry-After: 90 fails at once, saying so, and is not sent again early', async (method) => {
    const emu = await emulator(['a1']);
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
