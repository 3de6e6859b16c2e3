/**
 * The emulator's responses validate against the official Webex schemas (structure copied from
 * the OpenAPI document, see SOURCE.md). A second, closed variant of each schema also refuses any
 * property the official document does not declare, so the emulator cannot invent fields.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, test } from 'vitest';
import { BOARD, SALES, WEBINAR, call, emulator, get, patch } from '../emulator/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const document = JSON.parse(readFileSync(join(here, 'webex-schemas.json'), 'utf8')) as { definitions: Record<string, unknown> };

/** OpenAPI 3.0 `nullable: true` → JSON Schema `type: [t, 'null']`. */
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable') out[k] = convertNullable(v);
  const o = node as Record<string, unknown>;
  if (o.nullable === true && typeof o.type === 'string') out.type = [o.type, 'null'];
  return out;
}

/** Every object schema with declared properties refuses others. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v);
  if ((node as Record<string, unknown>).properties !== undefined) out.additionalProperties = false;
  return out;
}

function compiler(transform: (n: unknown) => unknown, id: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: id, definitions: transform(convertNullable(document.definitions)) });
  ajv.addSchema({ $id: `${id}-list`, type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: `${id}#/definitions/MeetingObjectForListMeeting` } } } });
  return (name: string): ValidateFunction => (name === 'list' ? ajv.getSchema(`${id}-list`)! : ajv.getSchema(`${id}#/definitions/${name}`)!);
}

const open = compiler((n) => n, 'webex');
const strict = compiler(closed, 'webex-closed');

function expectValid(name: 'MeetingSeriesObject' | 'MeetingObjectForListMeeting' | 'MeetingTrackingCodesObject' | 'CreateMeetingObject' | 'list', value: unknown): void {
  for (const schema of [open(name), strict(name)]) {
    const ok = schema(value);
    expect(ok ? [] : schema.errors).toEqual([]);
  }
}

describe('responses validate against the official Webex schemas', () => {
  test('the schemas refuse a broken meeting and an invented field (the check can fail)', async () => {
    expect(open('MeetingSeriesObject')({ id: 'x' })).toBe(false);
    const e = await emulator();
    const body = (await get(e, SALES)).body;
    expect(strict('MeetingSeriesObject')(body)).toBe(true);
    expect(strict('MeetingSeriesObject')({ ...body, invented: 1 })).toBe(false);
    expect(open('MeetingSeriesObject')({ ...body, state: 'sleeping' })).toBe(false);
  });

  test('GET of a series (meeting, webinar, one-off) is a MeetingSeriesObject', async () => {
    const e = await emulator();
    for (const id of [SALES, WEBINAR, BOARD]) expectValid('MeetingSeriesObject', (await get(e, id)).body);
  });

  test('GET of a scheduled meeting is a MeetingSeriesObject (paths./meetings/{meetingId}.get.responses.200)', async () => {
    const e = await emulator();
    expectValid('MeetingSeriesObject', (await get(e, `${SALES}_20270316T080000Z`)).body);
  });

  test('a list of series is {items: MeetingObjectForListMeeting[]}', async () => {
    const e = await emulator();
    const r = await call(e, 'GET', '/meetings?meetingType=meetingSeries&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100');
    expect(r.body.items).toHaveLength(3);
    expectValid('list', r.body);
  });

  test('a list of scheduled meetings of a series is {items: MeetingObjectForListMeeting[]}', async () => {
    const e = await emulator();
    await patch(e, `${SALES}_20270316T080000Z`, { title: 'Q1 review' });
    const r = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&meetingType=scheduledMeeting&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100`);
    expect(r.body.items).toHaveLength(20);
    expectValid('list', r.body);
  });

  test('PATCH and PUT responses are MeetingObjectForListMeeting', async () => {
    const e = await emulator();
    const p = await patch(e, BOARD, { title: 'Board', enabledVisualWatermark: true, visualWatermarkOpacity: 20, trackingCodes: [{ name: 'Department', value: 'Board' }] });
    expect(p.status).toBe(200);
    expectValid('MeetingObjectForListMeeting', p.body);
    const w = await patch(e, WEBINAR, { requireAttendeeLogin: true, enabledBreakoutSessions: true, integrationTags: ['LAUNCH'] });
    expect(w.status).toBe(200);
    expectValid('MeetingObjectForListMeeting', w.body);
    const put = await call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'Weekly Sales Sync', start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T09:30:00+01:00' } });
    expect(put.status).toBe(200);
    expectValid('MeetingObjectForListMeeting', put.body);
  });

  // current (list default true, get default false) and the timezone header (UTC without it) change start, end and timezone: each combination validates.
  for (const current of [undefined, 'true', 'false'] as const) {
    for (const zone of [undefined, 'America/New_York'] as const) {
      const label = `current=${current ?? '(absent)'}, timezone header ${zone ?? '(absent)'}`;
      const headers: Record<string, string> = zone === undefined ? {} : { timezone: zone };
      const query = current === undefined ? '' : `current=${current}`;

      test(`paths./meetings.get with ${label}: a series list is {items: MeetingObjectForListMeeting[]} in that zone`, async () => {
        const e = await emulator();
        e.clock.set('2027-03-10T00:00:00Z');
        const r = await call(e, 'GET', `/meetings?from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100&${query}`, { headers });
        expect(r.body.items).toHaveLength(3);
        expectValid('list', r.body);
        const sales = r.body.items.find((m: { id: string }) => m.id === SALES);
        expect(sales.timezone).toBe(zone ?? 'UTC');
        expect(sales.start).toBe(current === 'false' ? (zone ? '2027-03-02T03:00:00-05:00' : '2027-03-02T08:00:00Z') : zone ? '2027-03-16T04:00:00-04:00' : '2027-03-16T08:00:00Z');
        const occurrences = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100&${query}`, { headers });
        expect(occurrences.body.items).toHaveLength(20);
        expectValid('list', occurrences.body);
      });

      test(`paths./meetings/{meetingId}.get with ${label}: a series and its current scheduled meeting are MeetingSeriesObjects`, async () => {
        const e = await emulator();
        e.clock.set('2027-03-10T00:00:00Z');
        for (const id of [SALES, WEBINAR, BOARD]) {
          const r = await call(e, 'GET', `/meetings/${id}?${query}`, { headers });
          expect(r.status).toBe(200);
          expect(r.body.timezone).toBe(zone ?? 'UTC');
          if (current === 'true') {
            expect(r.body.meetingType).toBe('scheduledMeeting');
            expectValid('MeetingSeriesObject', r.body);
          } else {
            expect(r.body.meetingType).toBe('meetingSeries');
            expectValid('MeetingSeriesObject', r.body);
          }
        }
      });
    }
  }

  test('GET /meetings/trackingCodes is {items: MeetingTrackingCodesObject[]}', async () => {
    const e = await emulator({
      seed: { meetings: [], trackingCodes: [{ name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Design', defaultValue: true }] }, { name: 'Project' }] },
    });
    const r = await call(e, 'GET', '/meetings/trackingCodes?service=MeetingCenter');
    expect(r.body.items).toHaveLength(2);
    for (const item of r.body.items) expectValid('MeetingTrackingCodesObject', item);
  });

  test('generated seeds validate too', async () => {
    const { generateSeed } = await import('../../emulator/index.js');
    const e = await emulator({ seed: generateSeed({ series: 40, seed: 7 }) });
    const r = await call(e, 'GET', '/meetings?meetingType=scheduledMeeting&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100');
    expect(r.body.items.length).toBe(100);
    expectValid('list', r.body);
    for (const id of e.listSeriesIds().slice(0, 10)) expectValid('MeetingSeriesObject', (await get(e, id)).body);
  });
});

describe('the lifecycle (createMeeting, deleteMeeting) against the official schemas', () => {
  const oneOff = { title: 'Design Review', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' };
  const bodies: Record<string, unknown>[] = [
    oneOff,
    { ...oneOff, timezone: 'Europe/Berlin', start: '2027-02-02T09:00:00', end: '2027-02-02T09:30:00', recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10' },
    { ...oneOff, scheduledType: 'webinar', sessionTypeId: 9, requireAttendeeLogin: true, enabledBreakoutSessions: true },
    {
      ...oneOff,
      agenda: 'Numbers',
      integrationTags: ['meetctl:design'],
      trackingCodes: [{ name: 'Department', value: 'Design' }],
      enabledVisualWatermark: true,
      invitees: [{ email: 'carol@example.com', displayName: 'Carol', coHost: false, panelist: false }],
      sendEmail: false,
      hostEmail: 'host@example.com',
    },
  ];

  test('the create bodies sent here are CreateMeetingObjects (the check can fail)', () => {
    for (const body of bodies) expectValid('CreateMeetingObject', body);
    expect(open('CreateMeetingObject')({ title: 'no times' })).toBe(false);
    expect(strict('CreateMeetingObject')({ ...oneOff, invented: 1 })).toBe(false);
  });

  for (const zone of [undefined, 'America/New_York'] as const) {
    test(`paths./meetings.post.responses.200 is a MeetingSeriesObject (one-off, recurring, webinar, with tags and codes), timezone header ${zone ?? '(absent)'}`, async () => {
      const e = await emulator();
      const headers: Record<string, string> = zone === undefined ? {} : { timezone: zone };
      for (const body of bodies) {
        const r = await call(e, 'POST', '/meetings', { body, headers });
        expect(r.status).toBe(200);
        // A create answers in the zone the meeting is scheduled in, as the 200 example does; only the GET takes the header.
        expect(r.body.timezone).toBe(body.timezone ?? 'UTC');
        expectValid('MeetingSeriesObject', r.body);
        const read = (await call(e, 'GET', `/meetings/${r.body.id}`, { headers })).body;
        expect(read.timezone).toBe(zone ?? 'UTC');
        expectValid('MeetingSeriesObject', read);
      }
      const listed = await call(e, 'GET', '/meetings?meetingType=scheduledMeeting&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100', { headers });
      expectValid('list', listed.body);
    });
  }

  test('paths./meetings/{meetingId}.delete.responses.204: no content, for a series and for a scheduled meeting', async () => {
    const e = await emulator();
    for (const id of [`${SALES}_20270316T080000Z`, BOARD]) {
      const r = await call(e, 'DELETE', `/meetings/${id}`);
      expect(r.status).toBe(204);
      expect(r.body).toBeUndefined();
      expect(r.headers['content-type']).toBeUndefined();
    }
    const occurrences = await call(e, 'GET', `/meetings?meetingSeriesId=${SALES}&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&max=100`);
    expect(occurrences.body.items).toHaveLength(19);
    expectValid('list', occurrences.body);
  });
});
