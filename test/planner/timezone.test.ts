/**
 * The live `timezone` is not state: Webex answers in the zone of the request's `timezone` header
 * (meetctl asks for UTC) and the response's `timezone` is "the time zone of start and end", not
 * the zone the meeting was scheduled in. So meetctl compares instants, never diffs `timezone`,
 * and sends the file's zone with each start, end or recurrence change, never alone.
 */
import { describe, expect, test } from 'vitest';
import type { Change } from '../../core/plan.js';
import type { IdentifiedMeeting } from '../../meetings/desired.js';
import { verifyResponse } from '../../meetings/send/index.js';
import { meetingFingerprint } from '../../meetings/field-diff.js';
import { planOccurrences, planSeries } from '../../meetings/planner.js';
import type { Meeting } from '../../meetings/client.js';
import { OCCURRENCE_FIELDS } from '../../meetings/catalogue.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');
const SERIES = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ctx = { nowMs: NOW, env: {} };

function desired(fields: Record<string, unknown>, occurrences: IdentifiedMeeting['occurrences'] = []): IdentifiedMeeting {
  return { id: SERIES, file: 'berlin.yaml', fields, occurrences, locate: () => ({ file: 'berlin.yaml', line: 1, col: 1 }) };
}

/** A Berlin series as a read with `timezone: UTC` returns it. */
function readInUtc(extra: Record<string, unknown> = {}): Meeting {
  return {
    id: SERIES,
    meetingType: 'meetingSeries',
    scheduledType: 'meeting',
    state: 'active',
    title: 'Standup',
    timezone: 'UTC',
    start: '2027-03-02T08:00:00Z',
    end: '2027-03-02T08:30:00Z',
    recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
    ...extra,
  };
}

const berlin = { title: 'Standup', timezone: 'Europe/Berlin', start: '2027-03-02T09:00:00', end: '2027-03-02T09:30:00', recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=20' };

describe('timezone is compared as instants, never as a string', () => {
  test('a Berlin file against the same series read in UTC plans no change', () => {
    const plan = planSeries(desired(berlin), { ok: true, meeting: readInUtc() }, ctx);
    expect(plan.change.reason).toBeUndefined();
    expect(plan.change.action).toBe('noop');
    expect(plan.change.patch).toEqual({});
  });

  test('a change of another field does not carry the zone', () => {
    const plan = planSeries(desired({ ...berlin, title: 'Daily standup' }), { ok: true, meeting: readInUtc() }, ctx);
    expect(plan.change.patch).toEqual({ title: 'Daily standup' });
    expect(plan.reschedules).toBe(false);
  });

  test('a new start goes with the file\'s zone, written with that zone\'s offset', () => {
    const plan = planSeries(desired({ ...berlin, start: '2027-03-02T10:00:00', end: '2027-03-02T10:30:00' }), { ok: true, meeting: readInUtc() }, ctx);
    expect(plan.change.patch).toEqual({ start: '2027-03-02T10:00:00+01:00', end: '2027-03-02T10:30:00+01:00', timezone: 'Europe/Berlin' });
    expect(plan.change.before).toEqual({ start: '2027-03-02T08:00:00Z', end: '2027-03-02T08:30:00Z' });
  });

  test('a new rule goes with the file\'s zone too', () => {
    const plan = planSeries(desired({ ...berlin, recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=30' }), { ok: true, meeting: readInUtc() }, ctx);
    expect(plan.change.patch).toEqual({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=30', timezone: 'Europe/Berlin' });
  });

  test('an occurrence moved in the file is sent with the series file\'s zone', () => {
    const occId = `${SERIES}_20270309T080000Z`;
    const d = desired(berlin, [{ id: occId, fields: { start: '2027-03-09T11:00:00', end: '2027-03-09T11:30:00' } }]);
    const series = planSeries(d, { ok: true, meeting: readInUtc() }, ctx);
    const occurrence = readInUtc({ id: occId, meetingSeriesId: SERIES, meetingType: 'scheduledMeeting', state: 'scheduled', start: '2027-03-09T08:00:00Z', end: '2027-03-09T08:30:00Z', recurrence: undefined });
    const [change] = planOccurrences(series, new Map([[occId, { ok: true, meeting: occurrence }]]), ctx);
    expect(change.patch).toEqual({ start: '2027-03-09T11:00:00+01:00', end: '2027-03-09T11:30:00+01:00', timezone: 'Europe/Berlin' });
  });

  test('the fingerprint of a meeting is the same whatever zone it was read in (a list and a GET agree)', () => {
    const utc = readInUtc();
    const inBerlin = { ...utc, timezone: 'Europe/Berlin', start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T09:30:00+01:00' };
    expect(meetingFingerprint(inBerlin)).toBe(meetingFingerprint(utc));
    expect(meetingFingerprint(inBerlin, OCCURRENCE_FIELDS)).toBe(meetingFingerprint(utc, OCCURRENCE_FIELDS));
  });

  test('apply does not report the zone the response echoes as a value the server changed', () => {
    const change: Change = {
      id: SERIES, kind: 'series', action: 'update', file: 'berlin.yaml', before: {}, fingerprint: 'x', warnings: [], order: 0,
      patch: { start: '2027-03-02T10:00:00+01:00', timezone: 'Europe/Berlin' },
    };
    expect(verifyResponse(change, readInUtc({ start: '2027-03-02T09:00:00Z' }), NOW)).toEqual([]);
  });
});
