/** What the client's tests against the emulator share: a seed of simple meetings, and emulators and clients closed after each test. */
import { afterEach } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createWebexClient, type WebexClient, type WebexClientOptions } from '../../meetings/client.js';

export const NOW = '2027-01-15T09:00:00Z';

export function seedOf(ids: string[]) {
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

export async function emulator(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emu = await startEmulator(options);
  open.push(emu);
  return emu;
}

export function client(emu: Emulator, options: Partial<WebexClientOptions> = {}): WebexClient {
  const c = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken, ...options });
  // Closed before the emulator (afterEach pops in reverse order).
  open.push(c);
  return c;
}
