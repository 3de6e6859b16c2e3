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
    patch: () => call(e, 'PATCH', `/meetings/${BOARD}`, { body: { recurrence } }),
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
