import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { builtinSeed, generateSeed, startEmulator } from '../../emulator/index.js';
import { STATE_FIELDS } from '../../emulator/fields.js';
import seedSchema from '../../schemas/seed.schema.json' with { type: 'json' };
import { call, emulator, get } from './helpers.js';

const YAML_SEED = `
now: 2027-01-15T09:00:00Z
tokens:
  - { token: t-admin, admin: true, label: admin }
  - { token: t-alice, hostEmail: alice@example.com }
meetings:
  - id: 1d824a4a205042eba9574e00b711b226
    title: Team Sync
    hostEmail: alice@example.com
    timezone: Europe/Berlin
    start: 2027-03-02T09:00:00+01:00
    end: 2027-03-02T09:30:00+01:00
    recurrence: FREQ=WEEKLY;BYDAY=TU;COUNT=5
    meetingOptions: { enabledChat: false }
    occurrences:
      - { id: 1d824a4a205042eba9574e00b711b226_20270316T080000Z, title: Special, end: 2027-03-16T10:00:00+01:00 }
      - { originalStart: 2027-03-09T08:00:00Z, state: ended }
  - id: aa00bb11
    title: Other
    start: 2027-02-01T10:00:00Z
    end: 2027-02-01T10:30:00Z
`;

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'emulator-seed-')), name);
  writeFileSync(path, text);
  return path;
}

describe('seeds', () => {
  test('a YAML seed file: tokens, series, occurrence overrides keyed by id or original start', async () => {
    const e = await emulator({ seed: tempFile('seed.yaml', YAML_SEED), now: undefined });
    expect(e.adminToken).toBe('t-admin');
    expect((await get(e, '1d824a4a205042eba9574e00b711b226', 't-alice')).body).toMatchObject({ title: 'Team Sync', meetingOptions: { enabledChat: false }, hostDisplayName: 'Alice' });
    expect((await get(e, 'aa00bb11', 't-alice')).status).toBe(403);
    expect(e.getMeeting('1d824a4a205042eba9574e00b711b226_20270316T080000Z')).toMatchObject({ title: 'Special', isModified: true, end: '2027-03-16T09:00:00Z' });
    expect(e.getMeeting('1d824a4a205042eba9574e00b711b226_20270309T080000Z')).toMatchObject({ state: 'ended', isModified: false, title: 'Team Sync' });
    expect(e.clock.now().toISOString()).toMatch(/^2027-01-15T09:00/);
  });

  test('a seed file\'s tokens may name their integration (clientId): a seed\'s tags are the shared client\'s, not another\'s', async () => {
    const path = tempFile('seed.json', JSON.stringify({
      tokens: [{ token: 'ci', admin: true }, { token: 'laptop', admin: true, clientId: 'personal-token' }],
      meetings: [{ id: 'm1', start: '2030-02-01T10:00:00Z', end: '2030-02-01T11:00:00Z', integrationTags: ['meetctl:m1'] }],
    }));
    const e = await emulator({ seed: path, now: '2029-06-01T00:00:00Z' });
    expect((await get(e, 'm1', 'ci')).body.integrationTags).toEqual(['meetctl:m1']);
    expect((await get(e, 'm1', 'laptop')).body.integrationTags).toBeUndefined();
  });

  test('a JSON seed file, and --now wins over the seed', async () => {
    const path = tempFile('seed.json', JSON.stringify({ now: '2030-01-01T00:00:00Z', meetings: [{ id: 'm1', start: '2030-02-01T10:00:00Z', end: '2030-02-01T11:00:00Z' }] }));
    const e = await emulator({ seed: path, now: '2029-06-01T00:00:00Z' });
    expect(e.clock.now().toISOString()).toMatch(/^2029-06-01T00:00/);
    expect(e.getMeeting('m1')).toMatchObject({ hostEmail: 'host@example.com', timezone: 'UTC', start: '2030-02-01T10:00:00Z' });
  });

  test('a broken seed is refused with a message', async () => {
    await expect(startEmulator({ seed: { meetings: [{ id: 'x', start: 'soon', end: 'later' }] } })).rejects.toThrow(/seed meeting x: start and end/);
    await expect(startEmulator({ seed: { meetings: [{ id: 'x', timezone: 'Nowhere/City', start: '2027-01-01T00:00:00Z', end: '2027-01-01T01:00:00Z' }] } })).rejects.toThrow(/unknown time zone/);
    await expect(startEmulator({ seed: tempFile('bad.yaml', 'meetings: [') })).rejects.toThrow(/seed .*bad\.yaml/);
  });

  test('the built-in seed: the example meetings before meetctl manages them', async () => {
    const e = await emulator({ seed: undefined, now: undefined });
    expect(e.clock.now().toISOString()).toMatch(/^2027-01-15T09:00/);
    expect(e.listSeriesIds()).toEqual(['1d824a4a205042eba9574e00b711b226', '4a2f7c9e8b1d4e6fa3c5b7d9e1f2a3b4', '9c3e5a7b1d2f4e6a8b0c2d4e6f8a0b1c']);
    const sales = e.getMeeting('1d824a4a205042eba9574e00b711b226')!;
    expect(sales).toMatchObject({ title: 'Sales Sync', enabledJoinBeforeHost: false, joinBeforeHostMinutes: 0, meetingOptions: { enabledChat: true }, recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20' });
    expect(sales.integrationTags).toBeUndefined();
    expect(sales.trackingCodes).toBeUndefined();
    expect(e.getMeeting('4a2f7c9e8b1d4e6fa3c5b7d9e1f2a3b4')).toMatchObject({ scheduledType: 'webinar', start: '2027-04-20T15:00:00Z' });
    expect(e.getMeeting('9c3e5a7b1d2f4e6a8b0c2d4e6f8a0b1c')).toMatchObject({ enabledVisualWatermark: false, start: '2027-05-14T07:00:00Z' });
    expect(e.getMeeting('1d824a4a205042eba9574e00b711b226_20270316T080000Z')).toMatchObject({ isModified: false });
  });
});

describe('generateSeed', () => {
  test('is deterministic for a seed number and varies with it', () => {
    expect(generateSeed({ series: 20, seed: 5 })).toEqual(generateSeed({ series: 20, seed: 5 }));
    expect(generateSeed({ series: 20, seed: 5 })).not.toEqual(generateSeed({ series: 20, seed: 6 }));
  });

  test('makes N varied series: a quarter recurring with 0-2 modified occurrences, webinars, tags, tracking codes, zones', async () => {
    const seed = generateSeed({ series: 100 });
    const meetings = seed.meetings!;
    expect(meetings).toHaveLength(100);
    expect(new Set(meetings.map((m) => m.id)).size).toBe(100);
    expect(meetings.filter((m) => m.recurrence).length).toBe(25);
    expect(meetings.filter((m) => m.scheduledType === 'webinar').length).toBeGreaterThan(5);
    expect(meetings.filter((m) => m.integrationTags).length).toBeGreaterThan(10);
    expect(meetings.filter((m) => m.trackingCodes).length).toBeGreaterThan(10);
    expect(new Set(meetings.map((m) => m.timezone)).size).toBeGreaterThanOrEqual(5);
    const modified = meetings.flatMap((m) => m.occurrences ?? []);
    expect(modified.length).toBeGreaterThan(0);
    expect(meetings.every((m) => (m.occurrences ?? []).length <= 2)).toBe(true);

    const e = await emulator({ seed });
    expect(e.listSeriesIds()).toHaveLength(100);
    for (const o of modified) expect(e.getMeeting(o.id!)).toMatchObject({ isModified: true, title: o.title });
    const r = await call(e, 'GET', `/meetings?meetingType=scheduledMeeting&isModified=true&from=2027-01-01T00:00:00Z&to=2028-06-01T00:00:00Z&max=100`);
    expect(r.body.items).toHaveLength(modified.length);
  });
});

describe('the seed format (schemas/seed.schema.json)', () => {
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(seedSchema);

  test('holds the seeds that already exist: the built-in one, generated ones, the YAML of these tests', () => {
    for (const seed of [builtinSeed(), generateSeed({ series: 200, seed: 3 }), JSON.parse(JSON.stringify(parseYaml(YAML_SEED)))]) {
      expect(validate(seed), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  test('knows every setting the emulator stores, on a meeting and on an occurrence', () => {
    const meeting = Object.keys(seedSchema.definitions.meeting.properties);
    const occurrence = Object.keys(seedSchema.definitions.occurrence.properties);
    for (const name of Object.keys(STATE_FIELDS)) {
      expect(meeting).toContain(name);
      if (name !== 'recurrence' && name !== 'integrationTags') expect(occurrence).toContain(name);
    }
  });

  test('a seed file that does not match is refused, naming the file and the JSON path of each problem', async () => {
    const path = tempFile(
      'bad.json',
      JSON.stringify({ now: 'yesterday', tokenz: [], meetings: [{ id: 'm1', start: '2027-02-01T10:00:00Z', end: '2027-02-01T10:30:00Z', meetingOptions: { enabledChat: 'yes' }, occurrences: [{ id: 'm1_x', isModified: 1 }] }] }),
    );
    const refused = startEmulator({ seed: path });
    await expect(refused).rejects.toThrow(`seed ${path} does not match schemas/seed.schema.json`);
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toContain("(top level): unknown field 'tokenz'");
    expect(message).toContain('now: must match pattern');
    expect(message).toContain('meetings[0].meetingOptions.enabledChat: must be boolean,null');
    expect(message).toContain('meetings[0].occurrences[0].isModified: must be boolean');
  });

  test('a setting written ${env:NAME} is read from the environment; an unset variable stops the start', async () => {
    const seed = {
      now: '2027-01-15T09:00:00Z',
      meetings: [{ id: 'm1', start: '2027-03-02T09:00:00Z', end: '2027-03-02T09:30:00Z', recurrence: 'FREQ=WEEKLY;COUNT=3', password: '${env:SEED_PW}', occurrences: [{ id: 'm1_20270309T090000Z', password: '${env:OCC_PW}' }] }],
    };
    const path = tempFile('env.json', JSON.stringify(seed));
    const e = await startEmulator({ seed: path, env: { SEED_PW: 'From-Env-1', OCC_PW: 'From-Env-2' } });
    try {
      expect(e.getMeeting('m1')).toMatchObject({ password: 'From-Env-1' });
      expect(e.getMeeting('m1_20270309T090000Z')).toMatchObject({ password: 'From-Env-2', isModified: true });
      expect(e.getMeeting('m1_20270316T090000Z')).toMatchObject({ password: 'From-Env-1', isModified: false });
      expect(e.clock.now().toISOString()).toMatch(/^2027-01-15T09:00/);
    } finally {
      await e.close();
    }
    await expect(startEmulator({ seed: path, env: { SEED_PW: 'x' } })).rejects.toThrow(`seed ${path}: meetings[0].occurrences[0].password: environment variable OCC_PW is not set`);
    expect(readFileSync(path, 'utf8')).toContain('${env:SEED_PW}');
  });
});
