/** What the emulator's rule tests share: the built-in meetings' ids, small seeds, and the check of a refusal. */
import { expect } from 'vitest';
import type { SeedFile } from '../../emulator/index.js';
import { GENERIC_MESSAGES } from '../../emulator/http.js';
import { SALES, call, emulator, messages, ownedSeed } from './helpers.js';

export const OCC = `${SALES}_20270316T080000Z`;
export const NEXT_OCC = `${SALES}_20270323T080000Z`;
export const UTC_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';

/** The built-in meetings plus a UTC one-off, for time arithmetic that reads easily. */
export async function withUtc(extra: Partial<SeedFile['meetings']> = []) {
  const seed = ownedSeed();
  seed.meetings!.push({ id: UTC_ID, title: 'UTC meeting', timezone: 'UTC', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' }, ...(extra as never[]));
  return emulator({ seed });
}

export const WEEKLY_ID = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** Only a UTC weekly series of six, from 5 January 2027 09:00, with the clock at `now`. */
export function weekly(now: string, occurrences: NonNullable<SeedFile['meetings']>[number]['occurrences'] = []) {
  return emulator({
    now,
    seed: { meetings: [{ id: WEEKLY_ID, title: 'Weekly', timezone: 'UTC', start: '2027-01-05T09:00:00Z', end: '2027-01-05T09:30:00Z', recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=6', occurrences }] },
  });
}

/** Every scheduled meeting of a series, paged through, as UTC starts. */
export async function allStarts(e: Awaited<ReturnType<typeof emulator>>, id: string): Promise<string[]> {
  const starts: string[] = [];
  let url: string | undefined = `/meetings?meetingSeriesId=${id}&from=2027-01-01T00:00:00Z&to=2040-01-01T00:00:00Z&max=100`;
  while (url !== undefined) {
    const r = await call(e, 'GET', url);
    starts.push(...r.body.items.map((m: { start: string }) => m.start));
    const link = r.headers.link as string | undefined;
    url = link === undefined ? undefined : /^<([^>]+)>/.exec(link)![1];
  }
  return starts;
}

export async function refused(reply: Promise<{ status: number; body: any }>, status: number, pattern: RegExp) {
  const r = await reply;
  expect(r.status).toBe(status);
  expect(messages(r as never)).toMatch(pattern);
  expect(r.body.message).toBe(GENERIC_MESSAGES[status]);
  expect(typeof r.body.trackingId).toBe('string');
  return r;
}
