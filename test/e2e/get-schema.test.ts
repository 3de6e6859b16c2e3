/**
 * Get a Meeting answers a `MeetingSeriesObject` (paths./meetings/{meetingId}.get.responses.200),
 * which has neither `isModified` nor `meetingSeriesId`: only a list item
 * (`MeetingObjectForListMeeting`) has them. The plan must not depend on them being in a GET. The
 * stand-in is a loopback proxy in front of the emulator that removes both from every GET of one
 * meeting, as a server answering to the letter of the schema would.
 */
import { afterEach, expect, test } from 'vitest';
import type { Plan } from '../../core/plan.js';
import { startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { startProxy, type Proxy } from '../support/proxy.js';

let emu: Emulator | undefined;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await emu?.close();
  emu = proxy = undefined;
});

/** The emulator behind a proxy whose GETs of one meeting carry only what MeetingSeriesObject defines. */
async function toTheSchema(e: Emulator): Promise<string> {
  proxy = await startProxy(e.baseUrl, {
    rewrite(req, status, body) {
      const one = req.method === 'GET' && /^\/v1\/meetings\/[^/?]+(\?|$)/.test(req.url ?? '') && !(req.url ?? '').startsWith('/v1/meetings/trackingCodes');
      if (!one || status !== 200) return body;
      const meeting = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      delete meeting.isModified;
      delete meeting.meetingSeriesId;
      return Buffer.from(JSON.stringify(meeting));
    },
  });
  return proxy.baseUrl;
}

const SERIES = 'c4000000000000000000000000000001';
const MOVED = `${SERIES}_20270119T090000Z`;
/** Moved three days on: outside the list around the declared original starts, so read by a GET. */
const FAR = `${SERIES}_20270126T090000Z`;

test("a title-only series change beside a declared modified override: planned the same when a GET does not say isModified (1 update, the overrides unchanged, one of them moved out of the list's window)", async () => {
  const seed: SeedMeeting[] = [
    { id: SERIES, title: 'Weekly', timezone: 'UTC', start: '2027-01-05T09:00:00Z', end: '2027-01-05T09:30:00Z', recurrence: 'FREQ=WEEKLY;COUNT=10', occurrences: [{ id: MOVED, title: 'Moved one' }, { id: FAR, title: 'Far one', start: '2027-01-29T09:00:00Z', end: '2027-01-29T09:30:00Z' }] },
  ];
  emu = await startEmulator({ seed: { now: '2027-01-01T09:00:00Z', meetings: seed }, now: '2027-01-01T09:00:00Z' });
  const dir = writeTree(tempDir(), { 'weekly.yaml': `id: ${SERIES}\ntitle: Weekly renamed\noccurrences:\n  - id: ${MOVED}\n    title: Moved one\n  - id: ${FAR}\n    title: Far one\n    start: 2027-01-29T09:00:00Z\n    end: 2027-01-29T09:30:00Z\n` });
  for (const baseUrl of [emu.baseUrl, await toTheSchema(emu)]) {
    for (const fetch of ['get', 'list']) {
      const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--fetch', fetch], { WEBEX_BASE_URL: baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });
      const plan = JSON.parse(res.stdout) as Plan;
      expect({ baseUrl, fetch, summary: plan.summary }).toEqual({ baseUrl, fetch, summary: expect.objectContaining({ update: 1, noop: 2, error: 0 }) });
      expect(plan.changes.find((c) => c.action === 'update')?.patch).toEqual({ title: 'Weekly renamed' });
    }
  }
});
