/** One reader of scheduled meeting ids, and it refuses dates that do not exist. */
import { describe, expect, test } from 'vitest';
import type { Meeting } from '../../meetings/client.js';
import type { IdentifiedMeeting } from '../../meetings/desired.js';
import { ofSeries, originalStartOf, seriesOfScheduledId } from '../../meetings/ids.js';
import { planOccurrences, planSeries } from '../../meetings/planner.js';

const SERIES = '1d824a4a205042eba9574e00b711b226';

describe('originalStartOf reads the original start of a scheduled meeting id', () => {
  const cases: [string, string, string | undefined][] = [
    ['a real date-time', `${SERIES}_20270302T080000Z`, '2027-03-02T08:00:00.000Z'],
    ['29 February of a leap year', `${SERIES}_20280229T120000Z`, '2028-02-29T12:00:00.000Z'],
    ['the last second of a day', `${SERIES}_20271231T235959Z`, '2027-12-31T23:59:59.000Z'],
    ['30 February', `${SERIES}_20270230T100000Z`, undefined],
    ['29 February of a common year', `${SERIES}_20270229T100000Z`, undefined],
    ['month 13', `${SERIES}_20271301T100000Z`, undefined],
    ['hour 24', `${SERIES}_20270302T240000Z`, undefined],
    ['minute 60', `${SERIES}_20270302T086000Z`, undefined],
    ['no Z', `${SERIES}_20270302T080000`, undefined],
    ['no series id', '_20270302T080000Z', undefined],
    ['a series id alone', SERIES, undefined],
  ];
  test.each(cases)('%s', (_name, id, expected) => {
    const ms = originalStartOf(id);
    expect(ms === undefined ? undefined : new Date(ms).toISOString()).toBe(expected);
  });

  test('the series an id names, whether or not its date exists', () => {
    expect(seriesOfScheduledId(`${SERIES}_20270230T100000Z`)).toBe(SERIES);
    expect(seriesOfScheduledId(SERIES)).toBeUndefined();
  });
});

describe('planning takes no impossible date for a real one', () => {
  const nowMs = Date.parse('2027-01-15T09:00:00Z');
  const live: Meeting = {
    id: SERIES,
    meetingType: 'meetingSeries',
    scheduledType: 'meeting',
    state: 'active',
    start: '2027-03-02T08:00:00Z',
    end: '2027-03-02T08:30:00Z',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
  };

  test('an override dated 30 February is not the meeting of 2 March once the series moves there', () => {
    // Date.UTC(2027, 1, 30) is 2 March: the planner used to re-send this override to 2 March's meeting.
    const id = `${SERIES}_20270230T100000Z`;
    const desired: IdentifiedMeeting = {
      id: SERIES,
      file: 'm.yaml',
      fields: { start: '2027-03-02T10:00:00Z', end: '2027-03-02T10:30:00Z' },
      occurrences: [{ id, fields: { title: 'moved' } }],
      locate: () => ({ file: 'm.yaml', line: 1, col: 1 }),
    };
    const ctx = { nowMs, env: {} };
    const series = planSeries(desired, { ok: true, meeting: live }, ctx);
    expect(series.reschedules).toBe(true);
    const [change] = planOccurrences(series, new Map(), ctx);
    expect(change.action).toBe('error');
    expect(change.reason).toMatch(/no scheduled meeting/);
  });
});

describe('ofSeries', () => {
  test("goes by a listed meeting's meetingSeriesId, the documented field, and by its id's prefix only without one", () => {
    expect(ofSeries({ id: 'aaa_20270301T090000Z', meetingSeriesId: 'aaa' }, 'aaa')).toBe(true);
    // The field decides, whatever the id looks like.
    expect(ofSeries({ id: 'aaa_20270301T090000Z', meetingSeriesId: 'bbb' }, 'aaa')).toBe(false);
    expect(ofSeries({ id: 'aaa_I_166022169160077044', meetingSeriesId: 'aaa' }, 'aaa')).toBe(true);
    expect(ofSeries({ id: 'aaa_20270301T090000Z' }, 'aaa')).toBe(true);
    expect(ofSeries({ id: 'aaab_20270301T090000Z' }, 'aaa')).toBe(false);
  });
});
