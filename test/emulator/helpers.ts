import { request } from 'undici';
import { afterEach } from 'vitest';
import { builtinSeed, startEmulator, type Emulator, type EmulatorOptions, type SeedFile } from '../../emulator/index.js';

export const NOW = '2027-01-15T09:00:00Z';
export const SALES = '1d824a4a205042eba9574e00b711b226';
export const WEBINAR = '4a2f7c9e8b1d4e6fa3c5b7d9e1f2a3b4';
export const BOARD = '9c3e5a7b1d2f4e6a8b0c2d4e6f8a0b1c';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/**
 * The built-in meetings, all hosted by the seeds' default host (the admin token's user), so that a
 * test of a rule can read and update them as the admin without naming a host. Tests about hosts
 * pass `builtinSeed()` itself.
 */
export function ownedSeed(): SeedFile {
  const seed = builtinSeed();
  for (const m of seed.meetings ?? []) delete m.hostEmail;
  return seed;
}

/** An emulator that the current test owns (the owned built-in meetings unless a seed is given); closed after it. */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ now: NOW, seed: ownedSeed(), ...options });
  running.push(e);
  return e;
}

export async function call(
  e: Emulator,
  method: 'GET' | 'PATCH' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  opts: { token?: string | null; body?: unknown; contentType?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? e.adminToken : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.raw !== undefined || opts.body !== undefined) {
    body = opts.raw ?? JSON.stringify(opts.body);
    // The media types the description gives each write (paths./meetings/{meetingId}.patch/.put.requestBody.content).
    headers['content-type'] = opts.contentType ?? (method === 'PATCH' ? 'application/json-patch+json' : 'application/json');
  }
  const url = path.startsWith('http') ? path : `${e.baseUrl}${path}`;
  const res = await request(url, { method, headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export const patch = (e: Emulator, id: string, body: unknown, token?: string) => call(e, 'PATCH', `/meetings/${encodeURIComponent(id)}`, { body, token });
export const get = (e: Emulator, id: string, token?: string) => call(e, 'GET', `/meetings/${encodeURIComponent(id)}`, { token });

/**
 * A scheduled meeting as its series' list shows it: a list item (MeetingObjectForListMeeting) has
 * `isModified` and `meetingSeriesId`, Get a Meeting's answer (MeetingSeriesObject) has neither.
 */
export async function listed(e: Emulator, id: string, token?: string): Promise<Reply> {
  const series = id.split('_')[0];
  let url: string | undefined = `/meetings?meetingSeriesId=${series}&meetingType=scheduledMeeting&from=2000-01-01T00:00:00Z&to=2040-01-01T00:00:00Z&max=100`;
  while (url !== undefined) {
    const r = await call(e, 'GET', url, { token });
    if (r.status !== 200) return r;
    const item = (r.body.items as { id: string }[]).find((m) => m.id === id);
    if (item !== undefined) return { ...r, body: item };
    const link = r.headers.link as string | undefined;
    url = link === undefined ? undefined : /^<([^>]+)>/.exec(link)![1];
  }
  return { status: 404, headers: {}, body: undefined };
}

/** The descriptions of an error reply, joined, for matching. */
export function messages(reply: Reply): string {
  return (reply.body?.errors ?? []).map((x: { description: string }) => x.description).join(' | ');
}
