/**
 * The two pure planning phases against hand-made live state: what phase 1 asks to read, and what
 * phase 2 makes of the reads. No emulator: the state is the value the reads would have returned.
 */
import { describe, expect, test } from 'vitest';
import type { Meeting } from '../../meetings/client.js';
import type { IdentifiedMeeting } from '../../meetings/desired.js';
import { planLive, planScheduledPhase, planSeriesPhase, siteTrackingCodes } from '../../meetings/plan-live.js';
import type { ScheduledRead } from '../../meetings/planner.js';
import type { CodesRead, LiveState } from '../../meetings/read-live.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');
const SERIES = '1d824a4a205042eba9574e00b711b226';
const OCC = `${SERIES}_20270316T080000Z`;
const OTHER = `${SERIES}_20270323T080000Z`;
const HOST = 'host@example.com';

function desired(fields: Record<string, unknown>, occurrences: IdentifiedMeeting['occurrences'] = []): IdentifiedMeeting {
  return { id: SERIES, file: 'meetings/sync.yaml', fields, hostEmail: HOST, occurrences, locate: () => ({ file: 'meetings/sync.yaml', line: 1, col: 1 }) };
}

const series: Meeting = {
  id: SERIES,
  meetingType: 'meetingSeries',
  scheduledType: 'meeting',
  state: 'active',
  title: 'Weekly Sync',
  start: '2027-03-02T09:00:00+01:00',
  end: '2027-03-02T09:30:00+01:00',
  recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
  trackingCodes: [
    { name: 'Region', value: 'EMEA' },
    { name: 'Department', value: 'Sales' },
  ],
};

const occurrence = (extra: Record<string, unknown> = {}): Meeting => ({
  ...series,
  id: OCC,
  meetingSeriesId: SERIES,
  meetingType: 'scheduledMeeting',
  state: 'scheduled',
  isModified: true,
  start: '2027-03-16T09:00:00+01:00',
  end: '2027-03-16T09:30:00+01:00',
  recurrence: undefined,
  ...extra,
});

function state(extra: Partial<LiveState> = {}): LiveState {
  return { series: new Map([[SERIES, { ok: true, meeting: series }]]), trackingCodes: new Map(), scheduled: new Map(), nowMs: NOW, ...extra };
}

const scheduled = (read: Partial<ScheduledRead>) => new Map([[SERIES, { declared: new Map(), modified: [], ...read }]]);

describe('a series whose start change cancels its modified occurrences', () => {
  const moved = desired({ start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T10:00:00+01:00' }, [{ id: OCC, fields: { title: 'Q1 review' } }]);

  test('phase 1 asks for the modified scheduled meetings of that series, not for its declared overrides', () => {
    const phase = planSeriesPhase([moved], state(), {});
    expect(phase.needs).toEqual([{ read: 'modified', seriesId: SERIES, hostEmail: HOST }]);
    expect(phase.plans[0].reschedules).toBe(true);
  });

  test('phase 2 names the cancelled meetings on the series change and re-sends the declared override whole', () => {
    const phase = planSeriesPhase([moved], state(), {});
    const planned = phase.plans[0].change;
    const before = structuredClone(planned);
    const { changes } = planScheduledPhase(phase, scheduled({ modified: [occurrence(), occurrence({ id: OTHER })] }));
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      [SERIES, 'update'],
      [OCC, 'update'],
    ]);
    expect(changes[0].warnings).toEqual([
      `changing end of the series cancels its 2 modified scheduled meetings: ${OCC} (re-applied from the file after the series change), ${OTHER}`,
    ]);
    expect(changes[1]).toMatchObject({ patch: { title: 'Q1 review' }, fingerprint: '', dependsOn: SERIES });
    // Phase 2 builds its own series change: phase 1's output is left as it was.
    expect(planned).toEqual(before);
  });

  test('a failed list of the modified meetings is a warning on the series change', () => {
    const phase = planSeriesPhase([moved], state(), {});
    const { changes } = planScheduledPhase(phase, scheduled({ modifiedError: 'Service unavailable' }));
    expect(changes[0].warnings).toEqual(['could not list the modified scheduled meetings this change cancels: Service unavailable']);
    expect(phase.plans[0].change.warnings).toEqual([]);
  });

  test('a cancellation the change keeps (the same original start) is read and kept: done when already deleted, deleted after the series change when not', () => {
    const cancelling = desired({ start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T10:00:00+01:00' }, [{ id: OCC, cancelled: true, fields: {} }]);
    const phase = planSeriesPhase([cancelling], state(), {});
    expect(phase.needs).toEqual([{ read: 'modified', seriesId: SERIES, hostEmail: HOST, cancelled: [OCC] }]);
    const gone = planScheduledPhase(phase, scheduled({ declared: new Map([[OCC, { ok: false as const, status: 404, message: 'not found' }]]) }));
    expect(gone.changes.map((c) => [c.id, c.action])).toEqual([
      [SERIES, 'update'],
      [OCC, 'noop'],
    ]);
    const there = planScheduledPhase(phase, scheduled({ declared: new Map([[OCC, { ok: true as const, meeting: occurrence({ isModified: false }) }]]) }));
    expect(there.changes[1]).toMatchObject({ id: OCC, action: 'delete', dependsOn: SERIES });
  });

  test('a cancellation whose id the change moves is an error that says how to go on', () => {
    const later = desired({ start: '2027-03-02T10:00:00+01:00', end: '2027-03-02T10:30:00+01:00' }, [{ id: OCC, cancelled: true, fields: {} }]);
    const { changes } = planLive([later], state({ scheduled: scheduled({ declared: new Map([[OCC, { ok: false as const, status: 404, message: 'x' }]]) }) }), {});
    expect(changes[1]).toMatchObject({ action: 'error', reason: `after the series change there is no scheduled meeting ${OCC}: apply the series change first, then cancel the meeting by the id it has after the change` });
  });

  test('an override that has ended is not re-sent after the change: Webex does not update what has happened', () => {
    const PAST = `${SERIES}_20270105T080000Z`;
    const d = desired({ start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T10:00:00+01:00' }, [
      { id: OCC, fields: { title: 'Q1 review' } },
      { id: OTHER, fields: { title: 'Listed, ended' } },
      { id: PAST, fields: { title: 'Long ago' } },
    ]);
    const { changes } = planLive([d], state({ scheduled: scheduled({ modified: [occurrence(), occurrence({ id: OTHER, state: 'ended' })] }) }), {});
    expect(changes.map((c) => [c.id, c.action, c.reason])).toEqual([
      [SERIES, 'update', undefined],
      [OCC, 'update', undefined],
      [OTHER, 'notUpdatable', 'the meeting has ended'],
      [PAST, 'notUpdatable', 'the meeting has ended'],
    ]);
  });

  test('a series that does not reschedule takes no cancellation warning, whatever was listed', () => {
    const { changes } = planLive([desired({ title: 'Renamed' })], state({ scheduled: scheduled({ modified: [occurrence()] }) }), {});
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ action: 'update', warnings: [] });
  });
});

describe('declared overrides', () => {
  test('a cancellation Webex has no meeting for is done, with a warning when the series has no meeting at that original start either', () => {
    const LOCAL = `${SERIES}_20270316T090000Z`; // 09:00 is the Berlin time; the id names 08:00 UTC
    const d = desired({ timezone: 'Europe/Berlin' }, [{ id: LOCAL, cancelled: true, fields: {} }, { id: OCC, cancelled: true, fields: {} }]);
    const notFound = { ok: false as const, status: 404, message: 'not found' };
    const { changes } = planLive([d], state({ scheduled: scheduled({ declared: new Map([[LOCAL, notFound], [OCC, notFound]]) }) }), {});
    expect(changes.map((c) => [c.id, c.action, c.warnings])).toEqual([
      [SERIES, 'noop', []],
      [LOCAL, 'noop', [`Webex has no scheduled meeting ${LOCAL}, and the series has none at that original start: check the id (its time is the meeting's original start in UTC)`]],
      [OCC, 'noop', []],
    ]);
  });

  test('phase 1 asks for the declared ids of a series that does not reschedule', () => {
    const phase = planSeriesPhase([desired({ title: 'Weekly Sync' }, [{ id: OCC, fields: { title: 'Q1' } }, { id: OTHER, fields: { title: 'Q2' } }])], state(), {});
    expect(phase.needs).toEqual([{ read: 'declared', seriesId: SERIES, hostEmail: HOST, ids: [OCC, OTHER] }]);
  });

  test('a declared override of a missing scheduled meeting is an error naming the id, beside a planned sibling', () => {
    const d = desired({}, [{ id: OCC, fields: { title: 'Q1' } }, { id: OTHER, fields: { title: 'Q2' } }]);
    const declared = new Map([
      [OCC, { ok: true as const, meeting: occurrence() }],
      [OTHER, { ok: false as const, status: 404, message: 'not found' }],
    ]);
    const { changes } = planLive([d], state({ scheduled: scheduled({ declared }) }), {});
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      [SERIES, 'noop'],
      [OCC, 'update'],
      [OTHER, 'error'],
    ]);
    expect(changes[2].reason).toBe(
      `scheduled meeting ${OTHER} was not found (404): cancelled in Webex, or the series has no meeting at that original start (the id's time, in UTC); to keep it cancelled, declare it with cancelled: true instead of its settings`,
    );
  });

  test('a series that could not be read asks for nothing, and its overrides are errors that say why', () => {
    const d = desired({}, [{ id: OCC, fields: { title: 'Q1' } }]);
    const phase = planSeriesPhase([d], state({ series: new Map([[SERIES, { ok: false, status: 500, message: 'boom' }]]) }), {});
    expect(phase.needs).toEqual([]);
    const { changes } = planScheduledPhase(phase, new Map());
    expect(changes.map((c) => [c.action, c.reason])).toEqual([
      ['error', `could not read meeting series ${SERIES} (500): boom`],
      ['error', `its series ${SERIES} could not be planned`],
    ]);
  });
});

describe('the site tracking codes', () => {
  const codes = (read: CodesRead) => new Map([[HOST, read]]);
  const site: CodesRead = {
    ok: true,
    codes: [
      { name: 'Department', type: 'optional', options: [{ value: 'Sales', defaultValue: true }] },
      { name: 'Cost centre', type: 'required', options: [{ value: '42', defaultValue: true }] },
      { name: 'Region', type: 'optional', options: [{ value: 'EMEA', defaultValue: false }] },
    ],
  };

  test('the default of each optional code, per host; a failed read is one note, hosts in order', () => {
    const reads = new Map<string, CodesRead>([
      ['', { ok: false, message: 'Not allowed' }],
      [HOST, site],
      ['b@example.com', { ok: false, message: 'Forbidden' }],
    ]);
    const { byHost, notes } = siteTrackingCodes(reads);
    expect([...byHost]).toEqual([[HOST, { defaults: [{ name: 'Department', value: 'Sales' }], choices: new Map() }]]);
    expect(notes).toEqual([
      "trackingCodes: could not read the site's tracking codes (b@example.com: Forbidden; the token's user: Not allowed), so lists are compared as written, without the defaults Webex adds",
    ]);
  });

  test('a list that leaves out a defaulted code is unchanged; with the read failed it is compared as written', () => {
    const d = desired({ trackingCodes: [{ name: 'Region', value: 'EMEA' }] });
    expect(planLive([d], state({ trackingCodes: codes(site) }), {}).changes[0].action).toBe('noop');
    const failed = planLive([d], state({ trackingCodes: codes({ ok: false, message: 'Forbidden' }) }), {});
    expect(failed.changes[0]).toMatchObject({ action: 'update', patch: { trackingCodes: [{ name: 'Region', value: 'EMEA' }] } });
    expect(failed.notes).toEqual([expect.stringMatching(/^trackingCodes: could not read the site's tracking codes \(host@example.com: Forbidden\)/)]);
  });

  test('a live list that lacks the default holds what the file says: the update sends it unchanged, and says Webex adds the default', () => {
    const withoutDefault = { ...series, trackingCodes: [{ name: 'Region', value: 'EMEA' }] };
    const d = desired({ trackingCodes: [{ name: 'Region', value: 'EMEA' }] });
    const plan = planLive([d], state({ series: new Map([[SERIES, { ok: true, meeting: withoutDefault }]]), trackingCodes: codes(site) }), {});
    expect(plan.changes[0]).toMatchObject({ action: 'update', patch: { trackingCodes: [{ name: 'Region', value: 'EMEA' }] } });
    expect(plan.changes[0].warnings).toEqual([
      "trackingCodes: the meeting's list is the file's already, but it lacks the site's default Department: Sales, which Webex adds to any list sent: this update adds it",
    ]);
  });
});

test('the plan takes the server "now" from the state, and its notes after the unrevealed-field notes', () => {
  const d = desired({ timezone: 'Europe/Berlin', start: '2027-03-02T09:00:00+01:00' });
  const result = planLive([d], state({ nowMs: NOW + 1, trackingCodes: new Map([[HOST, { ok: false, message: 'x' }]]) }), {});
  expect(result.nowMs).toBe(NOW + 1);
  expect(result.notes.map((n) => n.split(':')[0])).toEqual(['timezone', 'trackingCodes']);
});
