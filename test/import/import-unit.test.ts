import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { OCCURRENCE_FIELDS } from '../../meetings/catalogue.js';
import {
  fileBaseNames,
  importableFields,
  keepRoundTripping,
  keepValid,
  occurrenceOverride,
  renderMeetingYaml,
  schemaRefFrom,
  secretVariable,
  slugify,
} from '../../meetings/import.js';
import { MEETING_FIELDS } from '../../meetings/catalogue.js';
import { selectionFrom } from '../../cli/commands/import.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');
const SERIES = '1d824a4a205042eba9574e00b711b226';

const series = {
  id: SERIES,
  meetingType: 'meetingSeries',
  scheduledType: 'meeting',
  title: 'Weekly Sales Sync',
  agenda: 'Pipeline',
  password: 'Secret-123',
  timezone: 'Europe/Berlin',
  start: '2027-03-02T09:00:00+01:00',
  end: '2027-03-02T09:30:00+01:00',
  recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
  enabledJoinBeforeHost: false,
  joinBeforeHostMinutes: 5,
  enableConnectAudioBeforeHost: false,
  enabledVisualWatermark: false,
  visualWatermarkOpacity: 20,
  requireAttendeeLogin: false,
  restrictToInvitees: false,
  integrationTags: [],
  trackingCodes: [{ name: 'Department', value: 'Sales' }],
  meetingOptions: { enabledChat: true, enabledVideo: true, enabledPolling: false, enabledNote: false, noteType: 'allowAll', unknownThing: 1 },
  attendeePrivileges: { enabledShareContent: true },
  audioConnectionOptions: { audioConnectionType: 'webexAudio', enabledAudienceCallBack: false, muteAttendeeUponEntry: true },
  // response-only fields are never written
  meetingNumber: '123456789',
  webLink: 'https://example.webex.com/x',
  state: 'active',
  hostEmail: 'host@example.com',
};

describe('importableFields', () => {
  const doc = importableFields(series);

  test('keeps updatable fields in catalogue order and nothing response-only', () => {
    expect(Object.keys(doc.fields)).toEqual([
      'title',
      'agenda',
      'start',
      'end',
      'timezone',
      'recurrence',
      'enabledJoinBeforeHost',
      'meetingOptions',
      'attendeePrivileges',
      'trackingCodes',
      'enabledVisualWatermark',
      'audioConnectionOptions',
    ]);
  });

  test('a secret becomes a reference to fill in, never a value', () => {
    expect(doc.secrets).toEqual(['password']);
    expect(JSON.stringify(doc.fields)).not.toContain('Secret-123');
  });

  test('settings whose switch is off are left out', () => {
    expect(doc.fields.joinBeforeHostMinutes).toBeUndefined();
    expect(doc.fields.enableConnectAudioBeforeHost).toBeUndefined();
    expect(doc.fields.visualWatermarkOpacity).toBeUndefined();
    expect(doc.fields.meetingOptions).toEqual({ enabledChat: true, enabledVideo: true, enabledNote: false });
  });

  test('webinar-only options are left out for a meeting, attendeePrivileges for a webinar', () => {
    expect(doc.fields.requireAttendeeLogin).toBeUndefined();
    expect(doc.fields.restrictToInvitees).toBeUndefined();
    expect(doc.fields.audioConnectionOptions).toEqual({ audioConnectionType: 'webexAudio', muteAttendeeUponEntry: true });
    const webinar = importableFields({ ...series, scheduledType: 'webinar', panelistPassword: 'P-1', requireAttendeeLogin: true, restrictToInvitees: true });
    expect(webinar.fields.attendeePrivileges).toBeUndefined();
    expect(webinar.fields.requireAttendeeLogin).toBe(true);
    expect(webinar.fields.restrictToInvitees).toBe(true);
    expect(webinar.secrets).toEqual(['password', 'panelistPassword']);
    expect((webinar.fields.meetingOptions as Record<string, unknown>).enabledPolling).toBe(false);
  });

  test('empty values are left out, but for those a file can clear, which it states as null (so drift watches them)', () => {
    expect(doc.fields.integrationTags).toBeUndefined();
    expect(importableFields({ ...series, agenda: '' }).fields).toHaveProperty('agenda', null);
    expect(importableFields({ ...series, trackingCodes: [] }).fields).toHaveProperty('trackingCodes', null);
    const { recurrence: _rule, ...single } = series;
    expect(importableFields(single as typeof series).fields).toHaveProperty('recurrence', null);
  });

  test('times are written in the chosen zone with its offset (same instant); timezone is that zone, not the echoed one', () => {
    const live = { ...series, timezone: 'UTC', start: '2027-03-02T08:00:00Z', end: '2027-03-02T10:30:00+02:00' };
    const berlin = importableFields(live, MEETING_FIELDS, 'Europe/Berlin');
    expect(berlin.fields.start).toBe('2027-03-02T09:00:00+01:00');
    expect(berlin.fields.end).toBe('2027-03-02T09:30:00+01:00');
    expect(berlin.fields.timezone).toBe('Europe/Berlin');
    const utc = importableFields(live);
    expect(utc.fields.start).toBe('2027-03-02T08:00:00+00:00');
    expect(utc.fields.timezone).toBe('UTC');
    // An override never states a zone of its own: it inherits the series'.
    expect(importableFields(live, OCCURRENCE_FIELDS, 'Europe/Berlin').fields.timezone).toBeUndefined();
  });

  test('a join-before-host minute value that the kind refuses is left out and reported', () => {
    const d = importableFields({ ...series, enabledJoinBeforeHost: true, joinBeforeHostMinutes: 30 });
    expect(d.fields.joinBeforeHostMinutes).toBeUndefined();
    expect(d.omitted.map((o) => o.field)).toContain('joinBeforeHostMinutes');
  });
});

describe('keepRoundTripping', () => {
  test('keeps what the planner finds equal, drops what it would read differently', () => {
    const live = { ...series, id: SERIES };
    const fields = { ...importableFields(live).fields, title: 'Not the live title' };
    const kept = keepRoundTripping(fields, live, MEETING_FIELDS, { zone: 'Europe/Berlin', nowMs: NOW, env: {} });
    expect(kept.fields.title).toBeUndefined();
    expect(kept.omitted.map((o) => o.field)).toEqual(['title']);
    expect(kept.fields.agenda).toBe('Pipeline');
  });
});

describe('occurrenceOverride', () => {
  const occId = `${SERIES}_20270316T080000Z`;
  const occurrence = {
    ...series,
    id: occId,
    meetingType: 'scheduledMeeting',
    isModified: true,
    recurrence: undefined,
    start: '2027-03-16T09:00:00+01:00',
    end: '2027-03-16T10:00:00+01:00',
    title: 'Weekly Sales Sync (Q1 review)',
    meetingOptions: { ...series.meetingOptions, enabledChat: false },
  };

  test('only what differs from the series: title, the moved end, the changed option', () => {
    const o = occurrenceOverride(series, occurrence, { zone: 'Europe/Berlin', nowMs: NOW, env: {} });
    expect(o.fields).toEqual({ title: 'Weekly Sales Sync (Q1 review)', end: '2027-03-16T10:00:00+01:00', meetingOptions: { enabledChat: false } });
  });

  test('a moved start is written', () => {
    const o = occurrenceOverride(series, { ...occurrence, start: '2027-03-16T09:15:00+01:00' }, { zone: 'Europe/Berlin', nowMs: NOW, env: {} });
    expect(o.fields.start).toBe('2027-03-16T09:15:00+01:00');
  });

  test('an occurrence identical to its series has nothing to override', () => {
    const same = { ...occurrence, title: series.title, end: '2027-03-16T09:30:00+01:00', meetingOptions: series.meetingOptions };
    expect(occurrenceOverride(series, same, { zone: 'Europe/Berlin', nowMs: NOW, env: {} }).fields).toEqual({});
  });

  test('never writes a series-only field', () => {
    const o = occurrenceOverride(series, { ...occurrence, integrationTags: ['X'] }, { zone: 'Europe/Berlin', nowMs: NOW, env: {} });
    const allowed = new Set(OCCURRENCE_FIELDS.map((f) => f.name));
    for (const key of Object.keys(o.fields)) expect(allowed.has(key)).toBe(true);
    expect(o.fields.integrationTags).toBeUndefined();
  });
});

describe('file names', () => {
  test.each([
    ['Weekly Sales Sync', 'weekly-sales-sync'],
    ['  --Hello, World!--  ', 'hello-world'],
    ['../../etc/passwd', 'etc-passwd'],
    ['a/b\\c', 'a-b-c'],
    ['.hidden', 'hidden'],
    ['Réunion d’équipe', 'reunion-d-equipe'],
    ['会议', ''],
    ['x'.repeat(100), 'x'.repeat(60)],
    [`${'ab '.repeat(30)}`, 'ab-'.repeat(20).replace(/-$/, '')],
  ])('slugify(%j) = %j', (title, expected) => {
    const slug = slugify(title);
    expect(slug).toBe(expected);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*)?$/);
  });

  test('a title that leaves nothing falls back to the id; duplicates and reserved names get the id prefix', () => {
    const names = fileBaseNames([
      { id: 'AAAAAAAA1111', title: 'Standup' },
      { id: 'BBBBBBBB2222', title: 'standup' },
      { id: 'CCCCCCCC3333', title: '会议' },
      { id: 'DDDDDDDD4444', title: 'Defaults' },
      { id: 'EEEEEEEE5555', title: 'Unique' },
    ]);
    expect(names).toEqual(['standup-aaaaaaaa', 'standup-bbbbbbbb', 'cccccccc3333', 'defaults-dddddddd', 'unique']);
  });

  test('when the 8-character prefixes clash too, the whole id tells them apart', () => {
    const names = fileBaseNames([
      { id: 'AAAAAAAA1111', title: 'Standup' },
      { id: 'AAAAAAAA2222', title: 'Standup' },
    ]);
    expect(new Set(names).size).toBe(2);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(60);
  });

  test('secret variables are shell-safe names', () => {
    expect(secretVariable('weekly-sales-sync', 'password')).toBe('MEETING_WEEKLY_SALES_SYNC_PASSWORD');
    expect(secretVariable('launch', 'panelistPassword')).toBe('MEETING_LAUNCH_PANELIST_PASSWORD');
  });
});

describe('renderMeetingYaml', () => {
  const text = renderMeetingYaml({
    id: SERIES,
    hostEmail: 'host@example.com',
    fields: importableFields(series).fields,
    secrets: ['password'],
    occurrences: [{ id: `${SERIES}_20270316T080000Z`, fields: { title: 'Q1: review # not a comment', end: '2027-03-16T10:00:00+01:00' } }],
    schemaRef: '../schemas/meeting.schema.json',
    fileBase: 'weekly-sales-sync',
  });

  test('starts with the schema modeline, then id and hostEmail', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schemas/meeting.schema.json');
    expect(lines[1]).toBe(`id: ${SERIES}`);
    expect(lines[2]).toBe('hostEmail: host@example.com');
  });

  test('the secret is a commented reference where the field would be', () => {
    expect(text).toContain('# password: ${env:MEETING_WEEKLY_SALES_SYNC_PASSWORD}\n');
    expect(text.indexOf('# password')).toBeGreaterThan(text.indexOf('agenda:'));
    expect(text.indexOf('# password')).toBeLessThan(text.indexOf('start:'));
  });

  test('parses back to exactly the fields written', () => {
    const data = parse(text);
    const { id, hostEmail, occurrences, ...fields } = data;
    expect(id).toBe(SERIES);
    expect(hostEmail).toBe('host@example.com');
    expect(fields).toEqual(importableFields(series).fields);
    expect(occurrences).toEqual([{ id: `${SERIES}_20270316T080000Z`, title: 'Q1: review # not a comment', end: '2027-03-16T10:00:00+01:00' }]);
  });

  test('each value is its own YAML however often it was written before: 0 and -0, a plain title and the same with a bidi override', () => {
    const render = (fields: Record<string, unknown>) =>
      renderMeetingYaml({ id: SERIES, fields: fields as never, secrets: [], occurrences: [], schemaRef: 'x', fileBase: 'f' }).split('\n').slice(2).join('\n');
    expect(render({ joinBeforeHostMinutes: 0 })).toBe('joinBeforeHostMinutes: 0\n');
    expect(render({ joinBeforeHostMinutes: -0 })).toBe('joinBeforeHostMinutes: -0\n');
    expect(render({ joinBeforeHostMinutes: 0 })).toBe('joinBeforeHostMinutes: 0\n');
    expect(render({ title: 'Sync' })).toBe('title: Sync\n');
    expect(render({ title: 'Sync\u202e' })).toBe('title: "Sync\\u202e"\n');
    expect(render({ title: 'Sync' })).toBe('title: Sync\n');
  });

  test('schemaRefFrom gives a relative posix path', () => {
    expect(schemaRefFrom('/work/repo/meetings', '/work/repo/schemas/meeting.schema.json')).toBe('../schemas/meeting.schema.json');
  });
});

describe('keepValid', () => {
  test('values the schema refuses are left out and named; the rest is kept', () => {
    const live = {
      ...series,
      reminderTime: 2.5,
      integrationTags: ['A', 'B', 'C', 'D'],
      trackingCodes: [{ name: 'Department', value: '' }],
      audioConnectionOptions: { audioConnectionType: 'webexAudioAndVoIP', muteAttendeeUponEntry: true },
      unlockedMeetingJoinSecurity: 'allowJoinWithPassword',
    };
    const fields = importableFields(live).fields;
    const result = keepValid(
      { id: SERIES, fields, occurrences: [{ id: `${SERIES}_20270316T080000Z`, fields: { title: '', agenda: 'Kept' } }] },
      'x.yaml',
    );
    expect(result.problems).toEqual([]);
    const kept = result.content.fields;
    expect(kept.reminderTime).toBeUndefined();
    expect(kept.integrationTags).toBeUndefined();
    expect(kept.trackingCodes).toBeUndefined();
    expect(kept.unlockedMeetingJoinSecurity).toBeUndefined();
    expect(kept.audioConnectionOptions).toEqual({ muteAttendeeUponEntry: true });
    expect(kept.title).toBe('Weekly Sales Sync');
    expect(result.content.occurrences).toEqual([{ id: `${SERIES}_20270316T080000Z`, fields: { agenda: 'Kept' } }]);
    expect(result.omitted.map((o) => o.field).sort()).toEqual(
      expect.arrayContaining(['reminderTime', 'unlockedMeetingJoinSecurity', 'occurrences[0].title']),
    );
  });

  test('a clean document passes untouched', () => {
    const fields = importableFields(series).fields;
    const result = keepValid({ id: SERIES, fields: structuredClone(fields), occurrences: [] }, 'x.yaml');
    expect(result).toEqual({ content: { id: SERIES, fields, occurrences: [] }, omitted: [], problems: [], warnings: [] });
  });
});

describe('selectionFrom: --timezone', () => {
  test('a zone name in the wrong case is refused with its spelling; an alias is taken', () => {
    expect(() => selectionFrom({ out: 'x', all: true, timezone: 'europe/berlin' }, NOW)).toThrow(
      "--timezone 'europe/berlin' is not an IANA time zone name (names are case-sensitive): did you mean Europe/Berlin?",
    );
    expect(selectionFrom({ out: 'x', all: true, timezone: 'US/Eastern' }, NOW).timezone).toBe('US/Eastern');
  });
});
