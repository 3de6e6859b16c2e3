/**
 * What a recurrence rule may be. CreateMeetingObject.properties.recurrence: "Meeting series
 * recurrence rule (conforming with RFC 2445)"; RFC 5545 §3.3.10 (which obsoletes it) gives the
 * grammar and its MUSTs. A rule outside them is the caller's error: a 400 whose errors[].description
 * says what is wrong, on create, PATCH and PUT alike, and never a 500.
 */
import { describe, expect, test } from 'vitest';
import { GENERIC_MESSAGES } from '../../emulator/http.js';
import { BOARD, call, emulator, messages } from './helpers.js';

/** The three writes that take a rule, each with everything else valid. */
function writes(e: Awaited<ReturnType<typeof emulator>>, recurrence: string) {
  const times = { start: '2027-05-14T16:00:00+09:00', end: '2027-05-14T18:00:00+09:00' };
  return {
    create: () => call(e, 'POST', '/meetings', { body: { title: 'Rule', timezone: 'Asia/Tokyo', ...times, recurrence } }),
    patch: () => call(e, 'PATCH', `/meetings/${BOARD}`, { body: { ...times, recurrence } }),
    put: () => call(e, 'PUT', `/meetings/${BOARD}`, { body: { title: 'Board Review', ...times, recurrence } }),
  };
}

/** Each write answers 400 with the generic message and a description matching `reason`. */
async function refusedEverywhere(e: Awaited<ReturnType<typeof emulator>>, recurrence: string, reason: RegExp): Promise<void> {
  for (const [write, send] of Object.entries(writes(e, recurrence))) {
    const r = await send();
    expect({ write, recurrence, status: r.status }).toEqual({ write, recurrence, status: 400 });
    expect(r.body.message).toBe(GENERIC_MESSAGES[400]);
    expect(messages(r), `${write} ${recurrence}`).toMatch(/'recurrence'/);
    expect(messages(r), `${write} ${recurrence}`).toMatch(reason);
  }
}

describe('RFC 5545 §3.3.10: rules its grammar and its MUSTs forbid are refused (400), never a 500', () => {
  const forbidden: [rule: string, reason: RegExp][] = [
    // "The BYDAY rule part MUST NOT be specified with a numeric value when the FREQ rule part is not set to MONTHLY or YEARLY."
    ['FREQ=WEEKLY;BYDAY=2TU;COUNT=3', /2TU.*MONTHLY or YEARLY/],
    ['FREQ=DAILY;BYDAY=-1FR;COUNT=3', /-1FR.*MONTHLY or YEARLY/],
    // weekdaynum = [[plus / minus] ordwk] weekday; ordwk = 1*2DIGIT ;1 to 53
    ['FREQ=MONTHLY;BYDAY=0TU;COUNT=3', /0TU/],
    ['FREQ=MONTHLY;BYDAY=+TU;COUNT=3', /\+TU/],
    ['FREQ=MONTHLY;BYDAY=-0TU;COUNT=3', /-0TU/],
    ['FREQ=YEARLY;BYDAY=54MO;COUNT=3', /54MO/],
    ['FREQ=MONTHLY;BYDAY=100MO;COUNT=3', /100MO/],
    // setposday = yeardaynum: [plus / minus] ordyrday, 1 to 366
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=999;COUNT=3', /BYSETPOS.*999/],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=367;COUNT=3', /BYSETPOS.*367/],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-367;COUNT=3', /BYSETPOS.*-367/],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=0;COUNT=3', /BYSETPOS.*'0'/],
    // BYSETPOS "MUST only be used in conjunction with another BYxxx rule part" (RFC 2445 §4.3.10 too).
    ['FREQ=MONTHLY;BYSETPOS=1;COUNT=3', /BYSETPOS.*another BY/],
    ['FREQ=YEARLY;BYSETPOS=-1;WKST=MO', /BYSETPOS.*another BY/],
    // "if the "DTSTART" property is specified as a date with local time and time zone reference, then the
    // UNTIL rule part MUST be specified as a date with UTC time": a date-time UNTIL ends in Z.
    ['FREQ=WEEKLY;UNTIL=20270317T000000', /UNTIL.*20270317T000000/],
    ['FREQ=WEEKLY;UNTIL=20270231T000000Z', /UNTIL/],
    ['FREQ=WEEKLY;UNTIL=20271301T000000Z', /UNTIL/],
    ['FREQ=WEEKLY;UNTIL=20270317T240000Z', /UNTIL/],
    ['FREQ=WEEKLY;UNTIL=20270231', /UNTIL/],
  ];
  test.each(forbidden)('%s', async (rule, reason) => {
    const e = await emulator();
    await refusedEverywhere(e, rule, reason);
  });

  test('the forms meetctl refuses (meetings/recurrence.ts parseRecurrence) are refused here too, each with a reason and never a 500', async () => {
    const e = await emulator();
    const refusedByClient = [
      'FREQ=WEEKLY;BYFOO=1',
      'FREQ=DAILY;BYHOUR=9',
      'FREQ=DAILY;BYMINUTE=30',
      'FREQ=DAILY;BYSECOND=1',
      'FREQ=YEARLY;BYYEARDAY=1',
      'FREQ=YEARLY;BYWEEKNO=1',
      'FREQ=HOURLY',
      'FREQ=SOMETIMES',
      'BYDAY=TU',
      'FREQ=WEEKLY;INTERVAL=0',
      'FREQ=WEEKLY;INTERVAL=-1',
      'FREQ=WEEKLY;INTERVAL=x',
      'FREQ=WEEKLY;COUNT=0',
      'FREQ=WEEKLY;COUNT=x',
      'FREQ=WEEKLY;COUNT=2;UNTIL=20300101',
      'FREQ=WEEKLY;UNTIL=2030-01-01',
      'FREQ=WEEKLY;UNTIL=20300231T000000Z',
      'FREQ=WEEKLY;BYDAY=TUE',
      'FREQ=WEEKLY;BYDAY=MO,,TU',
      'FREQ=WEEKLY;BYDAY=',
      'FREQ=WEEKLY;BYDAY=2TU',
      'FREQ=MONTHLY;BYMONTHDAY=32',
      'FREQ=MONTHLY;BYMONTHDAY=0',
      'FREQ=MONTHLY;BYMONTHDAY=-32',
      'FREQ=YEARLY;BYMONTH=13',
      'FREQ=YEARLY;BYMONTH=0',
      'FREQ=YEARLY;BYMONTH=-1',
      'FREQ=WEEKLY;WKST=XX',
      'FREQ=WEEKLY;FREQ=DAILY',
      'FREQ',
      'FREQ=',
      '=WEEKLY',
      'FREQ=WEEKLY;;;BYDAY',
      'FREQ=MONTHLY;BYSETPOS=1',
    ];
    for (const rule of refusedByClient) await refusedEverywhere(e, rule, /./);
    // Nothing was stored: the board review is still a single meeting.
    expect((await call(e, 'GET', `/meetings/${BOARD}`)).body.recurrence).toBeUndefined();
  });

  test('what the grammar allows still passes: signed ordinals of a monthly or yearly rule, signed BYMONTHDAY and BYSETPOS, a UTC UNTIL, a bare date UNTIL', async () => {
    const e = await emulator();
    const allowed = [
      'FREQ=MONTHLY;BYDAY=+2TU;COUNT=3',
      'FREQ=MONTHLY;BYDAY=-1FR;COUNT=3',
      'FREQ=YEARLY;BYDAY=20MO;COUNT=3',
      'FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1;COUNT=3',
      // monthdaynum = [plus / minus] ordmoday; setposday = yeardaynum = [plus / minus] ordyrday
      'FREQ=MONTHLY;BYMONTHDAY=+5;COUNT=2',
      'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=+2;COUNT=2',
      'FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601T000000Z',
      'FREQ=WEEKLY;UNTIL=20270601',
    ];
    for (const rule of allowed) {
      for (const [write, send] of Object.entries(writes(e, rule))) expect({ write, rule, status: (await send()).status }).toEqual({ write, rule, status: 200 });
    }
  });
});

/** Every start of a series' scheduled meetings, paged through. */
async function allStarts(e: Awaited<ReturnType<typeof emulator>>, id: string, to = '2600-01-01T00:00:00Z'): Promise<string[]> {
  const starts: string[] = [];
  let url: string | undefined = `/meetings?meetingSeriesId=${id}&from=2027-01-01T00:00:00Z&to=${to}&max=100`;
  while (url !== undefined) {
    const r = await call(e, 'GET', url);
    expect(r.status).toBe(200);
    starts.push(...r.body.items.map((m: { start: string }) => m.start));
    const link = r.headers.link as string | undefined;
    url = link === undefined ? undefined : /^<([^>]+)>/.exec(link)![1];
  }
  return starts;
}

describe('MeetingSeriesObject.meetingType: a series is "one or more scheduled meetings", so a rule no date satisfies is refused (400)', () => {
  // The board review starts on Friday 14 May 2027, 16:00 in Tokyo.
  const never: [rule: string, reason: RegExp][] = [
    // No month of BYMONTH has the BYMONTHDAY: known from the rule alone.
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2', /February has no day 30/],
    ['FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31', /April has no day 31/],
    ['FREQ=WEEKLY;BYMONTH=2,4;BYMONTHDAY=31,-31', /February and April have no day 31, -31/],
    // A monthly rule keeps only its first BYMONTHDAY (MeetingSeriesObject.recurrence): the stored rule is the one checked.
    ['FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30,1;COUNT=3', /February has no day 30/],
    // Known only by laying it out: no month has a sixth Monday (nor April, the first BYDAY being the one
    // taken), a Friday start seven days on is always a Friday, and every fourth year from 2027 is not a leap year.
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6;COUNT=3', /no date from the series' start through 2399/],
    ['FREQ=YEARLY;BYMONTH=4;BYDAY=6MO,1MO', /no date from the series' start through 2399/],
    ['FREQ=DAILY;INTERVAL=7;BYDAY=TU', /no date from the series' start through 2399/],
    ['FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29', /no date from the series' start through 2399/],
    // An end before the first date leaves nothing either.
    ['FREQ=WEEKLY;BYDAY=FR;UNTIL=20270501T000000Z', /first meeting \(2027-05-14T07:00:00Z\) is after its UNTIL=20270501T000000Z/],
  ];
  test.each(never)('%s', async (rule, reason) => {
    const e = await emulator();
    await refusedEverywhere(e, rule, reason);
    expect((await call(e, 'GET', `/meetings/${BOARD}`)).body.recurrence).toBeUndefined();
  });

  test('a seed with such a rule is refused when the emulator starts, naming the meeting', async () => {
    const seed = { meetings: [{ id: 'never', start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z', recurrence: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2' }] };
    await expect(emulator({ seed })).rejects.toThrow(/seed meeting never: .*February has no day 30/);
  });

  test('a rule that some dates satisfy, however few, is kept: 29 February only in leap years', async () => {
    const e = await emulator();
    const r = await call(e, 'PATCH', `/meetings/${BOARD}`, { body: { recurrence: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29' } });
    expect(r.status).toBe(200);
    expect(await allStarts(e, BOARD, '2037-01-01T00:00:00Z')).toEqual(['2028-02-29T07:00:00Z', '2032-02-29T07:00:00Z', '2036-02-29T07:00:00Z']);
  });

  test('no layout looks past 2399, even of a rule set behind the API\'s back: one no date satisfies lays out nothing, one of 500 years stops there', async () => {
    const e = await emulator();
    const behindTheBack = (recurrence: string) => call(e, 'POST', `${new URL(e.baseUrl).origin}/_emulator/meetings/${BOARD}`, { body: { recurrence } });
    expect((await behindTheBack('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2')).status).toBe(200);
    expect(await allStarts(e, BOARD)).toEqual([]);
    expect((await call(e, 'GET', `/meetings/${BOARD}`)).status).toBe(200);
    expect((await behindTheBack('FREQ=YEARLY;COUNT=500')).status).toBe(200);
    const starts = await allStarts(e, BOARD);
    expect([starts.length, starts[0], starts.at(-1)]).toEqual([373, '2027-05-14T07:00:00Z', '2399-05-14T07:00:00Z']);
  });
});
