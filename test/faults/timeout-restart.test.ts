/**
 * The two faults a retry cannot see through: a response that never comes (the write may still
 * land after the client gave up) and a server that restarts in the middle of an apply.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { executePlan } from '../../core/executor.js';
import { generateSeed, startEmulator, type Emulator } from '../../emulator/index.js';
import { createWebexApplier } from '../../meetings/send/index.js';
import { createWebexClient } from '../../meetings/client.js';
import { runCli } from '../support/cli.js';
import {
  closeAll,
  emulator,
  envFor,
  expectConverged,
  expectNoConflictingWrites,
  expectOneOutcomePerChange,
  exportSeed,
  parseReport,
  retitleAll,
  savePlan,
  waitForRequests,
} from './support.js';

afterEach(closeAll);

describe('a response that never comes', () => {
  // The CLI has no flag or variable for the request timeout (30 s), so this drives the same
  // client and executor the CLI wires together, with a short timeout.
  test('every change times out and is reported failed once; the writes that landed late converge on the next run', async () => {
    const e = await emulator({ seed: generateSeed({ series: 3 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const { plan } = await savePlan(e, dir);
    e.clearRequestLog();
    e.configure({ latencyMs: 1500 });
    const client = createWebexClient({ baseUrl: e.baseUrl, token: e.adminToken, requestTimeoutMs: 250, maxRetries: 1, concurrency: 4 });
    try {
      const applier = createWebexApplier({ client, env: {}, sendEmail: false });
      const report = await executePlan({ changes: plan.changes, send: applier.send, limit: client.limit, baseUrl: plan.baseUrl, controls: { sendEmail: false } });
      expectOneOutcomePerChange(plan, report);
      expect(report.counts.failed).toBe(3);
      for (const o of report.outcomes) {
        expect(o.message).toMatch(/no complete response within 250 ms \(gave up after 2 attempts\)/);
        expect(o.attempts).toBe(2);
      }
    } finally {
      await client.close();
    }
    // The server was only slow: the abandoned PATCHes still commit. Same body each time, so no harm.
    await waitForRequests(e, (r) => r.method === 'PATCH', 6);
    expectNoConflictingWrites(e.requestLog());
    e.configure({ latencyMs: 0 });
    const again = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], envFor(e));
    expect(again.code).toBe(0);
    await expectConverged(e, dir);
  });
});

describe('a server that restarts mid-apply', () => {
  test('in-flight requests fail over to the new server on the same port; every change has one outcome; convergence', async () => {
    const generated = generateSeed({ series: 24 });
    const first = await startEmulator({ seed: generated, now: '2027-01-15T09:00:00Z', latencyMs: 40 });
    let second: Emulator | undefined;
    try {
      const { dir } = retitleAll(first, ' (v2)');
      const { file, plan } = await savePlan(first, dir);
      first.clearRequestLog();
      const port = Number(new URL(first.baseUrl).port);
      const running = runCli(['apply', file, '--force', '--format', 'json', '--concurrency', '4'], envFor(first));
      await waitForRequests(first, (r) => r.method === 'PATCH' && r.status === 200, 6);
      // Restart while the server holds requests (in their latency), so that the restart cuts some.
      for (const until = Date.now() + 5000; first.inFlight() === 0 && Date.now() < until; ) await new Promise((r) => setImmediate(r));
      // Close first (every open socket is cut), then carry the state over: what a client was told
      // succeeded happened before the cut, so it is in the state that moves.
      await first.close();
      // A view's `timezone` is the read's (UTC), not the zone the series was scheduled in, which its rule is
      // laid out in (and its start placed by): that comes from the seed, as Webex keeps it across a restart.
      const zones = new Map(generated.meetings!.map((m) => [m.id, m.timezone]));
      const meetings = exportSeed(first).map((m) => ({ ...m, timezone: zones.get(m.id) }));
      second = await startEmulator({ port, seed: { meetings }, now: first.clock.now().toISOString() });
      const res = await running;
      // Requests cut by the restart are logged with status 0.
      const firstLog = first.requestLog();
      expect(firstLog.some((r) => r.status === 0)).toBe(true);
      expect(res.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
      const report = parseReport(res.stdout);
      expectOneOutcomePerChange(plan, report);
      // Nothing lost, nothing failed: a cut request is retried against the new server.
      expect(report.counts.applied + report.counts.unchanged).toBe(24);
      expect(res.code).toBe(0);
      expect(second.requestLog().length).toBeGreaterThan(0);
      expectNoConflictingWrites([...firstLog, ...second.requestLog()]);
      await expectConverged(second, dir, envFor(second));
    } finally {
      await first.close();
      await second?.close();
    }
  });
});
