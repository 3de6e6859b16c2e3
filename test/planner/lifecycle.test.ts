/**
 * The lifecycle part of planning against hand-made live state: a keyed file finds its series by
 * its ownership tag, is created when it has none (never beside a look-alike nobody owns), owned
 * series no file declares are orphans (deleted only when pruning), and `cancelled: true` deletes
 * one scheduled meeting still to come.
 */
import { describe, expect, test } from 'vitest';
import type { Meeting } from '../../meetings/client.js';
import type { DesiredMeeting } from '../../meetings/desired.js';
import { planLive } from '../../meetings/plan-live.js';
import type { LiveState, ListedSeries } from '../../meetings/read-live.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');
const OWNED = 'aaaa0000aaaa0000aaaa0000aaaa0001';
const HANDMADE = 'bbbb0000bbbb0000bbbb0000bbbb0002';
const ORPHAN = 'cccc0000cccc0000cccc0000cccc0003';
const HOST = 'host@example.com';

const FIELDS = {
  title: 'Team standup',
  start: '2027-03-01T09:00:00+01:00',
  end: '2027-03-01T09:15:00+01:00',
  recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
};

function file(extra: Partial<DesiredMeeting> = {}, fields: Record<string, unknown> = FIELDS): DesiredMeeting {
  return { key: 'team-standup', file: 'meetings/standup.yaml', fields, hostEmail: HOST, occurrences: [], locate: () => ({ file: 'meetings/standup.yaml', line: 1, col: 1 }), ...extra };
}

function series(id: string, extra: Record<string, unknown> = {}): Meeting {
  return {
    id,
    meetingType: 'meetingSeries',
    scheduledType: 'meeting',
    state: 'active',
    hostEmail: HOST,
    title: FIELDS.title,
    start: '2027-03-01T08:00:00Z',
    end: '2027-03-01T08:15:00Z',
    recurrence: FIELDS.recurrence,
    ...extra,
  };
}

function state(listed: Meeting[] | undefined, extra: Partial<LiveState> = {}): LiveState {
  const list: ListedSeries | undefined = listed === undefined ? undefined : { series: listed, failures: [] };
  return { series: new Map(listed?.map((m) => [m.id, { ok: true, meeting: m }]) ?? []), trackingCodes: new Map(), scheduled: new Map(), nowMs: NOW, ...(list ? { listed: list } : {}), ...extra };
}

const summary = (changes: { id: string; action: string }[]) => changes.map((c) => `${c.action} ${c.id}`);

describe('a keyed file', () => {
  test('finds its series by the ownership tag and plans it like an id file: no change when it matches', () => {
    const plan = planLive([file()], state([series(OWNED, { integrationTags: ['meetctl:team-standup'] })]), {});
    expect(summary(plan.changes)).toEqual([`noop ${OWNED}`]);
    expect(plan.changes[0].key).toBe('team-standup');
    expect(plan.owned).toBe(1);
  });

  test('keeps its ownership tag when it declares tags of its own, and shows no difference for it', () => {
    const live = series(OWNED, { integrationTags: ['CRM-1', 'meetctl:team-standup'] });
    const same = planLive([file({}, { ...FIELDS, integrationTags: ['CRM-1'] })], state([live]), {});
    expect(summary(same.changes)).toEqual([`noop ${OWNED}`]);
    const changed = planLive([file({}, { ...FIELDS, integrationTags: ['CRM-2'] })], state([live]), {});
    expect(changed.changes[0].patch).toEqual({ integrationTags: ['CRM-2', 'meetctl:team-standup'] });
  });

  test('is created when no series carries its tag: every declared field and the tag, nulls left out', () => {
    const plan = planLive([file({}, { ...FIELDS, agenda: null, password: '${env:PW}' })], state([]), { PW: 'secret' });
    expect(summary(plan.changes)).toEqual(['create new:team-standup']);
    const create = plan.changes[0];
    expect(create.patch).toEqual({
      title: 'Team standup',
      password: '${env:PW}',
      // No timezone in the file: the instants are sent in UTC, and UTC is named as the zone.
      start: '2027-03-01T08:00:00.000Z',
      end: '2027-03-01T08:15:00.000Z',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
      integrationTags: ['meetctl:team-standup'],
      timezone: 'UTC',
    });
    expect(create).toMatchObject({ kind: 'series', key: 'team-standup', controls: { hostEmail: HOST }, sensitive: ['password'] });
    expect(create.patch).not.toHaveProperty('sendEmail');
  });

  test('sends a declared value even where a read would assume it (CreateMeetingObject documents no default but an ad-hoc meeting\'s); a webinar-only one at its default is left out', () => {
    const declared = { enabledAutoRecordMeeting: false, publicMeeting: false, enabledJoinBeforeHost: false, joinBeforeHostMinutes: 0, allowAuthenticatedDevices: false, excludePassword: false, enabledLiveStream: false };
    const plan = planLive([file({}, { ...FIELDS, ...declared, requireAttendeeLogin: false, meetingOptions: { enabledChat: false } })], state([]), {});
    expect(plan.changes[0].action).toBe('create');
    expect(plan.changes[0].patch).toMatchObject({ ...declared, meetingOptions: { enabledChat: false } });
    expect(plan.changes[0].patch).not.toHaveProperty('requireAttendeeLogin');
  });

  test('trackingCodes: null warns when the site gives a new meeting default codes (a create cannot send null)', () => {
    const codes = new Map([[HOST, { ok: true as const, codes: [{ name: 'Department', type: 'optional', options: [{ value: 'Sales', defaultValue: true }] }] }]]);
    const plan = planLive([file({}, { ...FIELDS, trackingCodes: null })], { ...state([]), trackingCodes: codes }, {});
    expect(plan.changes[0]).toMatchObject({ action: 'create', warnings: ["trackingCodes: null cannot be created: Webex gives a new meeting the site's default Department: Sales; the next plan clears them"] });
    expect(plan.changes[0].patch).not.toHaveProperty('trackingCodes');
  });

  test('a create while the lists hold no owned series says why that may be another integration\'s token (tags are per client)', () => {
    const lonely = planLive([file()], state([]), {});
    expect(lonely.notes).toContainEqual(expect.stringMatching(/^ownership: no listed series carries a meetctl ownership tag, so the 1 keyed file without a meeting is planned as creates\..*another integration/));
    const other = file({ key: 'other-key', file: 'meetings/other.yaml' }, { ...FIELDS, title: 'Other' });
    const owning = planLive([file(), other], state([series(OWNED, { integrationTags: ['meetctl:team-standup'] })]), {});
    expect(owning.changes.some((c) => c.action === 'create')).toBe(true);
    expect(owning.notes.filter((n) => n.startsWith('ownership:'))).toEqual([]);
  });

  test('names the zone its recurrence is laid out in: the file\'s, else UTC (Webex documents no default for a create)', () => {
    const berlin = planLive([file({}, { ...FIELDS, timezone: 'Europe/Berlin' })], state([]), {});
    expect(berlin.changes[0].patch).toMatchObject({ timezone: 'Europe/Berlin' });
    const none = planLive([file()], state([]), {});
    expect(none.changes[0].patch).toMatchObject({ timezone: 'UTC' });
  });

  test('is not created with a start that is not in the future by the server clock, even within the minute updates allow', () => {
    for (const start of ['2027-01-15T08:00:00Z', '2027-01-15T09:00:00Z']) {
      const plan = planLive([file({}, { ...FIELDS, start, end: '2027-01-15T09:30:00Z' })], state([]), {});
      expect(plan.changes[0].action).toBe('error');
      expect(plan.changes[0].reason).toMatch(/start .* (is in the past|is not in the future)/);
      // A meeting meetctl created that is over is in no list: the same error, and it says what to do.
      expect(plan.changes[0].reason).toMatch(/if meetctl created this file's meeting and it is over, .*: delete the file, or give it a new start/);
    }
  });

  test('is not created 10 years or more ahead (paths./meetings.post: "You can\'t create a meeting that starts 10 years or more in the future")', () => {
    const far = planLive([file({}, { ...FIELDS, start: '2037-01-15T09:00:00Z', end: '2037-01-15T09:30:00Z' })], state([]), {});
    expect(far.changes[0]).toMatchObject({ action: 'error', reason: expect.stringMatching(/start 2037-01-15T09:00:00.000Z is 10 or more years from now/) });
    const near = planLive([file({}, { ...FIELDS, start: '2037-01-15T08:59:00Z', end: '2037-01-15T09:30:00Z' })], state([]), {});
    expect(near.changes[0].action).toBe('create');
  });

  test('refuses to create a duplicate of a series with the same title and start that nobody owns, and says how to adopt it', () => {
    const plan = planLive([file()], state([series(HANDMADE)]), {});
    expect(summary(plan.changes)).toEqual(['error new:team-standup']);
    expect(plan.changes[0].reason).toContain(`adopt it by adding id: ${HANDMADE} beside key: team-standup`);
  });

  test("a look-alike counts only when it is the file's host's (in any case), any host's for a file that names none; the first one listed is named", () => {
    const TWIN = 'dddd0000dddd0000dddd0000dddd0004';
    const otherHost = planLive([file()], state([series(HANDMADE, { hostEmail: 'someone@example.com' })]), {});
    expect(summary(otherHost.changes)).toEqual(['create new:team-standup']);
    const upperCase = planLive([file({ hostEmail: 'Host@Example.COM' })], state([series(HANDMADE, { hostEmail: 'HOST@example.com' })]), {});
    expect(upperCase.changes[0]).toMatchObject({ action: 'error', reason: expect.stringContaining(`series ${HANDMADE} has the same title and start`) });
    const noHost = planLive([file({ hostEmail: undefined })], state([series(HANDMADE, { hostEmail: 'someone@example.com' })]), {});
    expect(noHost.changes[0]).toMatchObject({ action: 'error', reason: expect.stringContaining(`series ${HANDMADE} has the same title and start`) });
    // Another title, another start (the same wall time an hour later), another host: none is a twin; of two twins the first listed is named.
    const listed = [series(ORPHAN, { title: 'Team stand-up' }), series(OWNED, { start: '2027-03-01T09:00:00Z', end: '2027-03-01T09:15:00Z' }), series(TWIN), series(HANDMADE)];
    const first = planLive([file()], state(listed), {});
    expect(first.changes[0]).toMatchObject({ action: 'error', reason: expect.stringContaining(`series ${TWIN} has the same title and start`) });
    // Many keyed files against one list: each is judged on its own title and start.
    const files = Array.from({ length: 3 }, (_, i) => file({ key: `standup-${i}`, file: `meetings/standup-${i}.yaml` }, { ...FIELDS, title: i === 1 ? 'Team stand-up' : `Standup ${i}` }));
    expect(summary(planLive(files, state(listed), {}).changes).sort()).toEqual(['create new:standup-0', 'create new:standup-2', 'error new:standup-1']);
  });

  test('is an error, not a create, when two series carry its tag or the series list failed', () => {
    const two = planLive([file()], state([series(OWNED, { integrationTags: ['meetctl:team-standup'] }), series(ORPHAN, { integrationTags: ['meetctl:team-standup'] })]), {});
    expect(two.changes[0]).toMatchObject({ action: 'error', reason: expect.stringMatching(/2 meetings carry the ownership tag meetctl:team-standup/) });
    const failed = planLive([file()], state(undefined, { listed: { series: [], failures: [HOST] } }), {});
    expect(failed.changes[0]).toMatchObject({ action: 'error', reason: expect.stringMatching(/could not list .* nothing is created/) });
    expect(failed.notes.join('\n')).toMatch(/could not list the meeting series of host@example.com/);
  });

  test('with id: beside key: adopts that series: the plan adds the ownership tag to the tags it has', () => {
    const plan = planLive([file({ id: HANDMADE })], state([series(HANDMADE, { integrationTags: ['CRM-1'] })]), {});
    expect(summary(plan.changes)).toEqual([`update ${HANDMADE}`]);
    expect(plan.changes[0].patch).toEqual({ integrationTags: ['CRM-1', 'meetctl:team-standup'] });
  });

  test('overrides and cancellations named by their original start follow the create, on the id it will give', () => {
    const plan = planLive(
      [file({ occurrences: [{ at: '2027-03-08T09:00:00+01:00', fields: { agenda: 'Planning' } }, { at: '2027-03-15T09:00:00+01:00', cancelled: true, fields: {} }, { id: `${OWNED}_20270322T080000Z`, fields: { agenda: 'x' } }] })],
      state([]),
      {},
    );
    expect(plan.changes.map((c) => [c.action, c.id, c.dependsOn])).toEqual([
      ['create', 'new:team-standup', undefined],
      ['update', 'new:team-standup_20270308T080000Z', 'new:team-standup'],
      ['delete', 'new:team-standup_20270315T080000Z', 'new:team-standup'],
      ['error', 'new:team-standup_20270322T080000Z', 'new:team-standup'],
    ]);
    expect(plan.changes[1].patch).toEqual({ agenda: 'Planning' });
  });
});

describe('owned series no file declares', () => {
  const listed = [series(OWNED, { integrationTags: ['meetctl:team-standup'] }), series(ORPHAN, { title: 'Old retro', integrationTags: ['meetctl:old-retro'] }), series(HANDMADE)];

  test('are listed as orphans, not deleted, without --prune; a series without a tag never is one', () => {
    const plan = planLive([file()], state(listed), {});
    expect(summary(plan.changes)).toEqual([`noop ${OWNED}`]);
    expect(plan.orphans).toEqual([{ id: ORPHAN, key: 'old-retro', label: 'Old retro' }]);
    expect(plan.owned).toBe(2);
  });

  test('are deleted with --prune, with the fingerprint apply checks before deleting', () => {
    const plan = planLive([file()], state(listed), {}, { prune: true });
    const deletes = plan.changes.filter((c) => c.action === 'delete');
    expect(deletes).toEqual([expect.objectContaining({ id: ORPHAN, key: 'old-retro', prune: true, kind: 'series', controls: { hostEmail: HOST }, fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })]);
    expect(plan.orphans).toEqual([]);
  });

  test('do not include the keys of files left out by --target or --shard', () => {
    const other = file({ key: 'old-retro', file: 'meetings/retro.yaml' });
    const plan = planLive([file()], state(listed), {}, { prune: true, allDesired: [file(), other] });
    expect(plan.changes.filter((c) => c.action === 'delete')).toEqual([]);
  });
});

describe('cancelled: true on a series that exists', () => {
  const occ = `${OWNED}_20270308T080000Z`;
  const scheduled = (fetched: { ok: true; meeting: Meeting } | { ok: false; status: number; message: string }) =>
    new Map([[OWNED, { declared: new Map([[occ, fetched]]), modified: [] }]]);
  const cancelling = file({ id: OWNED, key: undefined, occurrences: [{ at: '2027-03-08T09:00:00+01:00', cancelled: true, fields: {} }] });
  const live = series(OWNED);

  test('deletes that scheduled meeting, fingerprinted', () => {
    const meeting: Meeting = { ...live, id: occ, meetingType: 'scheduledMeeting', meetingSeriesId: OWNED, state: 'scheduled', start: '2027-03-08T08:00:00Z', end: '2027-03-08T08:15:00Z' };
    const plan = planLive([cancelling], state(undefined, { series: new Map([[OWNED, { ok: true, meeting: live }]]), scheduled: scheduled({ ok: true, meeting }) }), {});
    expect(summary(plan.changes)).toEqual([`noop ${OWNED}`, `delete ${occ}`]);
    expect(plan.changes[1].fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('needs nothing once it is gone, and refuses one that has started', () => {
    const gone = planLive([cancelling], state(undefined, { series: new Map([[OWNED, { ok: true, meeting: live }]]), scheduled: scheduled({ ok: false, status: 404, message: 'not found' }) }), {});
    expect(summary(gone.changes)).toEqual([`noop ${OWNED}`, `noop ${occ}`]);
    const started: Meeting = { ...live, id: occ, meetingType: 'scheduledMeeting', meetingSeriesId: OWNED, state: 'inProgress', start: '2027-01-15T08:50:00Z', end: '2027-01-15T09:30:00Z' };
    const running = planLive([cancelling], state(undefined, { series: new Map([[OWNED, { ok: true, meeting: live }]]), scheduled: scheduled({ ok: true, meeting: started }) }), {});
    expect(running.changes[1]).toMatchObject({ action: 'error', reason: 'Webex cannot cancel it: the meeting is in progress' });
    const ended = planLive([cancelling], state(undefined, { series: new Map([[OWNED, { ok: true, meeting: live }]]), scheduled: scheduled({ ok: true, meeting: { ...started, state: 'ended' } }) }), {});
    expect(ended.changes[1]).toMatchObject({ action: 'error', reason: 'Webex cannot cancel it: the meeting has ended' });
  });

  test('cancels what the delete allows though an update is refused: a personal room meeting, a missed one, one ten years ahead (paths./meetings/{meetingId}.delete names only ended and in-progress instances)', () => {
    const base: Meeting = { ...live, id: occ, meetingType: 'scheduledMeeting', meetingSeriesId: OWNED, state: 'scheduled', start: '2027-03-08T08:00:00Z', end: '2027-03-08T08:15:00Z' };
    const kinds: Meeting[] = [
      { ...base, scheduledType: 'personalRoomMeeting' },
      { ...base, state: 'missed', start: '2027-01-14T08:00:00Z', end: '2027-01-14T08:15:00Z' },
      { ...base, start: '2037-03-08T08:00:00Z', end: '2037-03-08T08:15:00Z' },
    ];
    for (const meeting of kinds) {
      const plan = planLive([cancelling], state(undefined, { series: new Map([[OWNED, { ok: true, meeting: live }]]), scheduled: scheduled({ ok: true, meeting }) }), {});
      expect(summary(plan.changes)).toEqual([`noop ${OWNED}`, `delete ${occ}`]);
    }
  });
});

describe('the create quota', () => {
  const keyed = (n: number, host = HOST) =>
    Array.from({ length: n }, (_, i) => file({ key: `m-${i}`, file: `meetings/m-${i}.yaml`, hostEmail: host }, { ...FIELDS, title: `Meeting ${i}` }));

  test('no note up to 100 creates; past it, a note with the documented limits', () => {
    expect(planLive(keyed(100), state([]), {}).notes.join('\n')).not.toMatch(/create quota/);
    const notes = planLive(keyed(101), state([]), {}).notes.join('\n');
    expect(notes).toMatch(/create quota: this plan creates 101 meetings, more than a regular user may \(100 in 24 hours\)/);
  });

  test('past 800 for one host, it says even an administrator may not', () => {
    const notes = planLive(keyed(801), state([]), {}).notes.join('\n');
    expect(notes).toMatch(/more than even an administrator may: 3000 in 24 hours overall, 800 for one user \(host@example.com: 801\)/);
  });
});
