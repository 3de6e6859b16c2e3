/**
 * Wall-clock times at a DST change. MeetingSeriesObject.properties.id.example
 * ("dfb45ece33264639a7bc3dd9535d53f7_20200516T230000Z"): a scheduled meeting's id carries its UTC
 * start, so the instant chosen for a local time is the id. The spec defers to RFC 2445/5545 for
 * recurrence, and RFC 5545 §3.3.5 says which instant: a local time that "occurs more than once" (the
 * clocks go back) "refers to the first occurrence of the referenced time"; one that "does not occur"
 * (the clocks skip it) "is interpreted using the UTC offset before the gap in local times".
 *
 * The answer may depend on the zone's rules only, never on the machine's own clock: each case is
 * asked with the machine's clock read as 15 January and again as 15 July (only `Date.now` is
 * pinned; the emulator keeps its own clock), so that code reading the season it runs in fails in one
 * of them whenever the suite is run.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { call, emulator } from './helpers.js';

const SEASONS = ['2027-01-15T12:00:00Z', '2027-07-15T12:00:00Z'];

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `body` once per season of the machine's clock, and gives what each run returned. */
async function inEachSeason<T>(body: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const season of SEASONS) {
    const pinned = vi.spyOn(Date, 'now').mockReturnValue(Date.parse(season));
    try {
      out.push(await body());
    } finally {
      pinned.mockRestore();
    }
  }
  return out;
}

/** The ids of a series' scheduled meetings in 2027. */
async function scheduledIds(e: Awaited<ReturnType<typeof emulator>>, id: string): Promise<string[]> {
  const r = await call(e, 'GET', `/meetings?meetingSeriesId=${id}&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100`);
  expect(r.status).toBe(200);
  return r.body.items.map((m: { id: string }) => m.id);
}

/** A daily series of three, of 10 minutes from `time`, created from the day before `day` in `zone`: the id of its meeting on `day`. */
async function createdMeetingOn(zone: string, day: string, time: string): Promise<string> {
  const e = await emulator();
  const before = new Date(Date.parse(`${day}T12:00:00Z`) - 24 * 3600_000).toISOString().slice(0, 10);
  const start = Date.parse(`${before}T${time}Z`);
  // Written as wall times without an offset: the series' zone says which instants they are.
  const wall = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  const created = await call(e, 'POST', '/meetings', {
    body: { title: 'DST', timezone: zone, start: wall(start), end: wall(start + 10 * 60_000), recurrence: 'FREQ=DAILY;COUNT=3' },
  });
  expect(created.status).toBe(200);
  const ids = await scheduledIds(e, created.body.id);
  expect(ids).toHaveLength(3);
  // The series starts the day before: its second meeting is the one on `day`.
  return ids[1];
}

describe('RFC 5545 §3.3.5: a local time the clocks go back over is its first occurrence, whatever the machine clock says', () => {
  const cases: [zone: string, day: string, time: string, stamp: string][] = [
    // 01:30 EDT (-04:00), not 01:30 EST (-05:00): the id the description's example form gives it.
    ['America/New_York', '2027-11-07', '01:30:00', '20271107T053000Z'],
    // 02:30 CEST (+02:00), not CET.
    ['Europe/Berlin', '2027-10-31', '02:30:00', '20271031T003000Z'],
    // Southern hemisphere: 02:30 AEDT (+11:00), not AEST.
    ['Australia/Sydney', '2027-04-04', '02:30:00', '20270403T153000Z'],
    // A 30-minute change: 01:45 at +11:00, not at +10:30.
    ['Australia/Lord_Howe', '2027-04-04', '01:45:00', '20270403T144500Z'],
  ];
  for (const [zone, day, time, stamp] of cases) {
    test(`${zone} ${day} ${time}: a daily series' meeting that day is _${stamp}`, async () => {
      const ids = await inEachSeason(() => createdMeetingOn(zone, day, time));
      expect(ids.map((x) => x.slice(33))).toEqual([stamp, stamp]);
    });
  }

  test('a start written without an offset in the repeated hour is the first one, in a seed, a create and a PATCH', async () => {
    const answers = await inEachSeason(async () => {
      const e = await emulator({
        seed: { meetings: [{ id: 'ny', timezone: 'America/New_York', start: '2027-11-07T01:30:00', end: '2027-11-07T01:50:00' }] },
      });
      const seeded = (await call(e, 'GET', '/meetings/ny')).body.start;
      const created = await call(e, 'POST', '/meetings', { body: { title: 'Berlin', timezone: 'Europe/Berlin', start: '2027-10-31T02:30:00', end: '2027-10-31T02:50:00' } });
      const patched = await call(e, 'PATCH', '/meetings/ny', { body: { start: '2027-11-07T01:40:00', end: '2027-11-07T02:00:00' } });
      // A form the plain reader leaves to luxon (a one-digit fraction): it must not guess from the machine clock either.
      const fraction = await call(e, 'PATCH', '/meetings/ny', { body: { start: '2027-11-07T01:35:00.5', end: '2027-11-07T01:55:00' } });
      return [seeded, created.body.start, patched.body.start, fraction.body.start, (await call(e, 'GET', '/meetings/ny')).body.start];
    });
    const expected = ['2027-11-07T05:30:00Z', '2027-10-31T02:30:00+02:00', '2027-11-07T01:40:00-04:00', '2027-11-07T01:35:00-04:00', '2027-11-07T05:35:00Z'];
    expect(answers).toEqual([expected, expected]);
  });
});

describe('RFC 5545 §3.3.5: a local time the clocks skip takes "the UTC offset before the gap" (it moves forward by the gap)', () => {
  const cases: [zone: string, day: string, time: string, stamp: string][] = [
    // 02:30 does not exist on 14 March: read at -05:00 it is 03:30 EDT.
    ['America/New_York', '2027-03-14', '02:30:00', '20270314T073000Z'],
    ['Europe/Berlin', '2027-03-28', '02:30:00', '20270328T013000Z'],
    ['Australia/Sydney', '2027-10-03', '02:30:00', '20271002T163000Z'],
    // A 30-minute gap: 02:15 at +10:30 is 02:45 at +11:00.
    ['Australia/Lord_Howe', '2027-10-03', '02:15:00', '20271002T154500Z'],
  ];
  for (const [zone, day, time, stamp] of cases) {
    test(`${zone} ${day} ${time}: a daily series' meeting that day is _${stamp}`, async () => {
      const ids = await inEachSeason(() => createdMeetingOn(zone, day, time));
      expect(ids.map((x) => x.slice(33))).toEqual([stamp, stamp]);
    });
  }
});
