import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SALES, WEBINAR, emulator, get, patch } from './helpers.js';

const OCC = `${SALES}_20270316T080000Z`;

async function control(baseUrl: string, method: string, path: string, body?: unknown) {
  const res = await request(`${new URL(baseUrl).origin}/_emulator/${path}`, {
    method: method as 'GET',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text === '' ? undefined : JSON.parse(text) };
}

describe('HTTP control endpoints (no auth, never logged nor rate limited)', () => {
  test('GET and DELETE /_emulator/requests', async () => {
    const e = await emulator();
    await get(e, SALES);
    const log = await control(e.baseUrl, 'GET', 'requests');
    expect(log.body.map((r: { path: string }) => r.path)).toEqual([`/v1/meetings/${SALES}`]);
    expect((await control(e.baseUrl, 'DELETE', 'requests')).status).toBe(204);
    expect(e.requestLog()).toEqual([]);
  });

  test('POST /_emulator/clock sets the clock', async () => {
    const e = await emulator();
    const r = await control(e.baseUrl, 'POST', 'clock', { now: '2027-06-01T12:00:00Z' });
    expect(r.body.now).toMatch(/^2027-06-01T12:00:0/);
    expect((await get(e, SALES)).headers.date).toBe('Tue, 01 Jun 2027 12:00:00 GMT');
    expect((await control(e.baseUrl, 'POST', 'clock', { now: 'soon' })).status).toBe(400);
  });

  test('POST /_emulator/config changes latency, rate limit and faults', async () => {
    const e = await emulator();
    expect((await control(e.baseUrl, 'POST', 'config', { rateLimit: 1 })).body).toMatchObject({ rateLimit: 1, latencyMs: 0, faultRate: 0 });
    await get(e, SALES);
    expect((await get(e, SALES)).status).toBe(429);
    expect((await control(e.baseUrl, 'POST', 'config', { faultRate: 7 })).status).toBe(400);
  });

  test('POST /_emulator/meetings/{id} edits behind the API (= editMeeting), {patch} or the bare patch', async () => {
    const e = await emulator();
    expect((await control(e.baseUrl, 'POST', `meetings/${SALES}`, { patch: { title: 'Changed in Webex' } })).status).toBe(200);
    expect(e.getMeeting(SALES)?.title).toBe('Changed in Webex');
    await control(e.baseUrl, 'POST', `meetings/${SALES}`, { agenda: 'Bare patch' });
    expect(e.getMeeting(SALES)?.agenda).toBe('Bare patch');
    expect((await control(e.baseUrl, 'POST', 'meetings/nope', { title: 'x' })).status).toBe(404);
    expect(e.requestLog()).toEqual([]);
  });

  test('POST /_emulator/meetings/{id}/state sets a state', async () => {
    const e = await emulator();
    await control(e.baseUrl, 'POST', `meetings/${OCC}/state`, { state: 'ended' });
    expect(e.getMeeting(OCC)?.state).toBe('ended');
    expect((await control(e.baseUrl, 'POST', `meetings/${SALES}/state`, { state: 'ended' })).status).toBe(400);
  });

  test('control calls do not use up the rate limit', async () => {
    const e = await emulator({ rateLimit: 1 });
    for (let i = 0; i < 5; i++) await control(e.baseUrl, 'GET', 'requests');
    expect((await get(e, SALES)).status).toBe(200);
  });
});

describe('in-process state changes', () => {
  test('editMeeting merges without rules and without logging', async () => {
    const e = await emulator();
    e.editMeeting(SALES, { title: 'x'.repeat(200), meetingOptions: { enabledChat: false }, password: 'Changed-1' });
    const m = e.getMeeting(SALES)!;
    expect(m.title).toHaveLength(200);
    expect(m.meetingOptions).toMatchObject({ enabledChat: false, enabledVideo: true });
    expect(m.password).toBe('Changed-1');
    expect(e.requestLog()).toEqual([]);
  });

  test('editMeeting of a scheduled meeting makes it modified (or not, if told)', async () => {
    const e = await emulator();
    e.editMeeting(OCC, { title: 'Q1 review' });
    expect(e.getMeeting(OCC)).toMatchObject({ title: 'Q1 review', isModified: true });
    e.editMeeting(`${SALES}_20270323T080000Z`, { title: 'Quietly', isModified: false });
    expect(e.getMeeting(`${SALES}_20270323T080000Z`)).toMatchObject({ title: 'Quietly', isModified: false });
    expect(() => e.editMeeting('nope', {})).toThrow(/no meeting nope/);
  });

  test('setState: inProgress series, ended scheduled meeting; invalid states refused', async () => {
    const e = await emulator();
    e.setState(SALES, 'inProgress');
    expect(e.getMeeting(SALES)?.state).toBe('inProgress');
    e.setState(OCC, 'ended');
    expect(e.getMeeting(OCC)?.state).toBe('ended');
    expect(() => e.setState(OCC, 'active')).toThrow(/not a state of a scheduled meeting/);
  });

  test('deleteMeeting removes a series, or cancels one scheduled meeting', async () => {
    const e = await emulator();
    e.deleteMeeting(OCC);
    expect((await get(e, OCC)).status).toBe(404);
    expect(e.getMeeting(`${SALES}_20270323T080000Z`)).toBeDefined();
    e.deleteMeeting(WEBINAR);
    expect((await get(e, WEBINAR)).status).toBe(404);
    expect(e.listSeriesIds()).not.toContain(WEBINAR);
  });

  test('states follow the clock: scheduled, ready shortly before the start, missed after the end, expired series', async () => {
    const e = await emulator({
      seed: { meetings: [{ id: 'once', title: 'Once', start: '2027-02-01T10:00:00Z', end: '2027-02-01T11:00:00Z' }] },
    });
    const occ = 'once_20270201T100000Z';
    expect(e.getMeeting(occ)?.state).toBe('scheduled');
    e.clock.set('2027-02-01T09:50:00Z');
    expect(e.getMeeting(occ)?.state).toBe('ready');
    e.clock.advance(2 * 3600_000);
    expect(e.getMeeting(occ)?.state).toBe('missed');
    expect(e.getMeeting('once')?.state).toBe('expired');
  });

  test('the request log can be mirrored to a JSON-lines file, with secrets masked', async () => {
    const file = join(tmpdir(), `emulator-log-${process.pid}-${Date.now()}.jsonl`);
    const e = await emulator({ requestLogFile: file });
    await patch(e, SALES, { password: 'Top-Secret-9', title: 'T' });
    // An RTMP ingest URL carries the stream key.
    const liveStream = { destination: 'Example', rtmpUrl: 'rtmp://ingest.example/live/KEY-Secret-7', streamUrl: 'https://watch.example/x' };
    await patch(e, SALES, { enabledLiveStream: true, liveStream });
    await get(e, SALES);
    await e.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.method)).toEqual(['PATCH', 'PATCH', 'GET']);
    expect(lines[0].body).toEqual({ password: '[redacted]', title: 'T' });
    expect(lines[1].body).toEqual({ enabledLiveStream: true, liveStream: { ...liveStream, rtmpUrl: '[redacted]' } });
    expect(readFileSync(file, 'utf8')).not.toContain('Top-Secret-9');
    expect(readFileSync(file, 'utf8')).not.toContain('KEY-Secret-7');
  });
});
