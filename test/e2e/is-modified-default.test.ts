/**
 * List Meetings' `isModified`: its description says a list without it holds every scheduled
 * meeting; its schema says the default is `false` (unmodified ones only). The plan must not depend
 * on which: a stand-in that answers to the schema's default gives the same plan.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { EXAMPLES, runCli } from '../support/cli.js';
import { startProxy, type Proxy } from '../support/proxy.js';

let emu: Emulator;
let proxy: Proxy;
let filtered = 0;
beforeAll(async () => {
  emu = await startEmulator();
  // Applied once, the examples' override of the sales sync is a modified scheduled meeting.
  const applied = await runCli(['apply', '--dir', EXAMPLES, '--auto-approve', '--force'], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'x-Passw0rd' });
  expect(applied.code, applied.stderr).toBe(0);
  proxy = await startProxy(emu.baseUrl, {
    rewrite(req, status, body) {
      const url = new URL(req.url ?? '/', 'http://x');
      if (status !== 200 || url.pathname !== '/v1/meetings' || url.searchParams.get('meetingType') !== 'scheduledMeeting' || url.searchParams.has('isModified')) return body;
      const page = JSON.parse(body.toString()) as { items: { isModified?: boolean }[] };
      filtered += page.items.filter((m) => m.isModified !== false).length;
      return Buffer.from(JSON.stringify({ ...page, items: page.items.filter((m) => m.isModified === false) }));
    },
  });
});
afterAll(async () => {
  await proxy.close();
  await emu.close();
});

const plan = async (baseUrl: string) => {
  const res = await runCli(['plan', '--dir', EXAMPLES, '--format', 'json'], { WEBEX_BASE_URL: baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'x-Passw0rd' });
  expect(res.code, res.stderr).toBe(0);
  const { changes, summary } = JSON.parse(res.stdout) as { changes: unknown[]; summary: unknown };
  return { changes, summary };
};

describe('a list without isModified', () => {
  test("answered to the schema's default (unmodified scheduled meetings only): the same plan as with every one", async () => {
    const every = await plan(emu.baseUrl);
    const unmodifiedOnly = await plan(proxy.baseUrl);
    // The stand-in did leave out the modified scheduled meeting the examples declare.
    expect(filtered).toBeGreaterThan(0);
    expect(unmodifiedOnly).toEqual(every);
    expect(every.changes.filter((c) => (c as { kind: string; action: string }).kind === 'scheduledMeeting').map((c) => (c as { action: string }).action)).toEqual(['noop']);
  });
});
