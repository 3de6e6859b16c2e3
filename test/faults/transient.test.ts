/**
 * Transient faults during apply (5xx bursts, 423/429 storms, dropped connections), through the
 * built CLI against the emulator. Each scenario checks: one outcome per planned change, no meeting
 * written with two different bodies, the exit code, and that the next run converges.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Plan } from '../../core/plan.js';
import { generateSeed, type Emulator, type RequestLogEntry } from '../../emulator/index.js';
import { runCli, tempDir } from '../support/cli.js';
import { startProxy } from '../support/proxy.js';
import {
  NOW,
  closeAll,
  emulator,
  envFor,
  expectConverged,
  expectNoConflictingWrites,
  expectOneOutcomePerChange,
  parseReport,
  patchesFor,
  retitleAll,
  savePlan,
} from './support.js';

afterEach(closeAll);

async function applySaved(e: Emulator, file: string, concurrency = 4) {
  // --force: every scenario rewrites all of its meetings, past the 30 % guard.
  const res = await runCli(['apply', file, '--force', '--format', 'json', '--concurrency', String(concurrency)], envFor(e));
  expect(res.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  return { res, report: parseReport(res.stdout) };
}

/** No request may start while a Retry-After pause (≥ 1 s) announced by `refusal` is in force. */
function startedDuringPause(log: RequestLogEntry[], refusal: RequestLogEntry): string[] {
  return log
    .filter((r) => r.startedAt > refusal.endedAt + 50 && r.startedAt < refusal.endedAt + 900)
    .map((r) => `${r.method} ${r.path} at +${r.startedAt - refusal.endedAt} ms`);
}

describe('5xx bursts', () => {
  test('a burst shorter than the retry budget: every change applied once, exit 0', async () => {
    const e = await emulator({ seed: generateSeed({ series: 6 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    e.configure({ faultKinds: ['503'], faultNext: 4 });
    const { res, report } = await applySaved(e, file);
    expect(res.code).toBe(0);
    expectOneOutcomePerChange(plan, report);
    expect(report.counts).toMatchObject({ applied: 6, failed: 0 });
    const log = e.requestLog();
    expect(log.filter((r) => r.fault === '503')).toHaveLength(4);
    expectNoConflictingWrites(log);
    for (const c of plan.changes) expect(patchesFor(log, c.id).filter((r) => r.status === 200)).toHaveLength(1);
    await expectConverged(e, dir);
  });

  test('a burst longer than the retry budget fails that change only, with the server message; the next run applies it', async () => {
    const e = await emulator({ seed: generateSeed({ series: 4 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    // One worker, so the six 503s all land on the first PATCH: one try and five retries.
    e.configure({ faultKinds: ['503'], faultNext: 6, faultMethods: ['PATCH'] });
    const { res, report } = await applySaved(e, file, 1);
    expect(res.code).toBe(1);
    expectOneOutcomePerChange(plan, report);
    expect(report.counts).toMatchObject({ applied: 3, failed: 1 });
    const failed = report.outcomes.find((o) => o.status === 'failed')!;
    expect(failed).toMatchObject({ httpStatus: 503, attempts: 6 });
    expect(failed.message).toMatch(/Service Unavailable.*gave up after 6 attempts/);
    expect(failed.trackingId).toMatch(/^EMULATOR_/);
    expectNoConflictingWrites(e.requestLog());

    const again = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', 'json'], envFor(e));
    expect(again.code).toBe(0);
    expect(parseReport(again.stdout).counts).toMatchObject({ applied: 1, unchanged: 3, failed: 0 });
    await expectConverged(e, dir);
  });
});

describe('423 and 429 storms', () => {
  test.each([
    ['429 with Retry-After', 1],
    ['429 without Retry-After', null],
  ] as const)('%s: every worker waits the pause out, everything is applied', async (_name, retryAfter) => {
    const e = await emulator({ seed: generateSeed({ series: 8 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    e.configure({ faultKinds: ['429'], faultRetryAfter: retryAfter, faultNext: 2 });
    const { res, report } = await applySaved(e, file, 4);
    expect(res.code).toBe(0);
    expectOneOutcomePerChange(plan, report);
    expect(report.counts.applied).toBe(8);
    const log = e.requestLog();
    const refusals = log.filter((r) => r.fault === '429');
    expect(refusals).toHaveLength(2);
    // Without the header the client pauses its own default (1 s): a storm is never answered by hammering.
    for (const refusal of refusals) expect(startedDuringPause(log, refusal)).toEqual([]);
    expectNoConflictingWrites(log);
    await expectConverged(e, dir);
  });

  // A 423 locks one resource (paths./meetings/{meetingId}.patch.responses.423), so it holds back only its own request.
  test.each([
    ['423 with Retry-After', 2],
    ['423 without Retry-After', null],
  ] as const)('%s on one PATCH: it waits the pause out alone while the other workers write every other meeting', async (_name, retryAfter) => {
    const e = await emulator({ seed: generateSeed({ series: 8 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    e.configure({ faultKinds: ['423'], faultRetryAfter: retryAfter, faultNext: 1, faultMethods: ['PATCH'] });
    const { res, report } = await applySaved(e, file, 4);
    expect(res.code).toBe(0);
    expectOneOutcomePerChange(plan, report);
    expect(report.counts.applied).toBe(8);
    const log = e.requestLog();
    const [refusal, ...more] = log.filter((r) => r.fault === '423');
    expect(more).toEqual([]);
    const resend = log.find((r) => r.seq > refusal.seq && r.method === 'PATCH' && r.path === refusal.path)!;
    expect(resend.status).toBe(200);
    // Its own Retry-After (without the header the client's default, 1 s) before it is sent again ...
    expect(resend.startedAt - refusal.endedAt).toBeGreaterThanOrEqual((retryAfter ?? 1) * 1000 - 50);
    // ... while the seven other meetings were written (order only: all of them before the resend).
    const others = log.filter((r) => r.method === 'PATCH' && r.status === 200 && r.path !== refusal.path);
    expect(others).toHaveLength(7);
    for (const r of others) expect(r.endedAt).toBeLessThan(resend.startedAt);
    expectNoConflictingWrites(log);
    await expectConverged(e, dir);
  });

  test('a token-bucket 429 storm (Retry-After from the limiter): all applied, each meeting written once', async () => {
    const e = await emulator({ seed: generateSeed({ series: 12 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    e.configure({ rateLimit: 6 });
    const { res, report } = await applySaved(e, file, 8);
    expect(res.code).toBe(0);
    expectOneOutcomePerChange(plan, report);
    expect(report.counts.applied).toBe(12);
    const log = e.requestLog();
    expect(log.some((r) => r.status === 429)).toBe(true);
    for (const c of plan.changes) expect(patchesFor(log, c.id).filter((r) => r.status === 200)).toHaveLength(1);
    e.configure({ rateLimit: 0 });
    await expectConverged(e, dir);
  });
});

describe('connections dropped', () => {
  test.each(['dropped', 'droppedAfterHeaders', 'droppedMidBody'] as const)(
    'PATCH %s twice: the change is resent with the same body and applied once in effect',
    async (kind) => {
      const e = await emulator({ seed: generateSeed({ series: 3 }) });
      const { dir } = retitleAll(e, ' (v2)');
      const { file, plan } = await savePlan(e, dir);
      e.clearRequestLog();
      e.configure({ faultKinds: [kind], faultNext: 2, faultMethods: ['PATCH'] });
      const { res, report } = await applySaved(e, file, 1);
      expect(res.code).toBe(0);
      expectOneOutcomePerChange(plan, report);
      expect(report.counts.applied).toBe(3);
      const log = e.requestLog();
      const first = plan.changes.find((c) => patchesFor(log, c.id).some((r) => r.fault === kind))!;
      expect(patchesFor(log, first.id).map((r) => r.fault ?? r.status)).toEqual([kind, kind, 200]);
      expect(report.outcomes.find((o) => o.id === first.id)?.attempts).toBe(3);
      expectNoConflictingWrites(log);
      await expectConverged(e, dir);
    },
  );

  test('every answer to a PATCH lost, though the server carried it out: read back, the change is applied (not "failed"), and its report says how it knows', async () => {
    const e = await emulator({ seed: generateSeed({ series: 2 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    // One worker: the six cuts (one try, five retries) all land on the first change, each after the write.
    e.configure({ faultKinds: ['droppedAfterHeaders'], faultNext: 6, faultMethods: ['PATCH'] });
    const { res, report } = await applySaved(e, file, 1);
    expect(res.code).toBe(0);
    expectOneOutcomePerChange(plan, report);
    expect(report.counts).toMatchObject({ applied: 2, failed: 0 });
    const log = e.requestLog();
    const first = plan.changes.find((c) => patchesFor(log, c.id).some((r) => r.fault !== undefined))!;
    expect(patchesFor(log, first.id)).toHaveLength(6);
    expect(report.outcomes.find((o) => o.id === first.id)).toMatchObject({ status: 'applied', attempts: 6, message: 'the answer was lost; read back, the meeting carries the planned values' });
    await expectConverged(e, dir);
  });

  test('a PATCH carried out whose 200 answer cannot be read (HTML, a cut body) is read back and applied, never sent again', async () => {
    const e = await emulator({ seed: generateSeed({ series: 2 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const unreadable = ['<html><body>502 Bad Gateway</body></html>', '{"id":"cut sh'];
    let readBacks = 0;
    const proxy = await startProxy(e.baseUrl, {
      rewrite: (req, status, body) => {
        if (req.method === 'PATCH' && status === 200) return Buffer.from(unreadable.shift() ?? body.toString('utf8'));
        // The first read-back shows the title as a server that normalises it would: stored otherwise than sent.
        if (req.method === 'GET' && /\/meetings\/[0-9a-f]{32}\?/.test(req.url ?? '') && unreadable.length < 2 && readBacks++ === 0) {
          const meeting = JSON.parse(body.toString('utf8')) as { title: string };
          return Buffer.from(JSON.stringify({ ...meeting, title: meeting.title.toUpperCase() }));
        }
        return body;
      },
    });
    try {
      const env = { ...envFor(e), WEBEX_BASE_URL: proxy.baseUrl };
      const file = join(tempDir('meetctl-faults-plan-'), 'plan.json');
      expect((await runCli(['plan', '--dir', dir, '--send-email', '--out', file], env)).code).toBe(0);
      const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
      e.clearRequestLog();
      const res = await runCli(['apply', file, '--force', '--format', 'json', '--concurrency', '1'], env);
      expect(res.code, res.stderr).toBe(0);
      const report = parseReport(res.stdout);
      expect(report.counts).toMatchObject({ applied: 2, failed: 0 });
      for (const o of report.outcomes) expect(o).toMatchObject({ status: 'applied', message: 'the server answered success with a body that is no meeting; read back, the change is applied' });
      // What the read-back shows stored otherwise is a warning, as for a readable answer; never a resend.
      expect(report.outcomes.flatMap((o) => o.warnings)).toEqual([expect.stringMatching(/^title: the server stored ".*\(V2\)" instead of ".*\(v2\)"; the next plan will show it$/)]);
      // Each sent once (with --send-email, never again blind).
      for (const c of plan.changes) expect(patchesFor(e.requestLog(), c.id), c.id).toHaveLength(1);
    } finally {
      await proxy.close();
    }
    await expectConverged(e, dir);
  });

  test('with --send-email a PATCH whose answer was lost is read back, not sent again blind: invitees are emailed once', async () => {
    const e = await emulator({ seed: generateSeed({ series: 2 }) });
    const { dir } = retitleAll(e, ' (v2)');
    const file = join(tempDir('meetctl-faults-plan-'), 'plan.json');
    expect((await runCli(['plan', '--dir', dir, '--send-email', '--out', file], envFor(e))).code).toBe(0);
    const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
    e.clearRequestLog();
    e.configure({ faultKinds: ['droppedAfterHeaders'], faultNext: 1, faultMethods: ['PATCH'] });
    const { res, report } = await applySaved(e, file, 1);
    expect(res.code).toBe(0);
    expect(report.counts).toMatchObject({ applied: 2, failed: 0 });
    const log = e.requestLog();
    // One PATCH per change, each carried out once: the cut one was read back, not repeated.
    for (const c of plan.changes) expect(patchesFor(log, c.id).map((r) => r.fault ?? r.status), c.id).toHaveLength(1);
    // A write cut before the server took it (a 503) is sent again after the read-back shows it missing.
    e.configure({ faultKinds: ['503'], faultNext: 1, faultMethods: ['PATCH'] });
    const { dir: dir3 } = retitleAll(e, ' (v3)');
    const file3 = join(tempDir('meetctl-faults-plan-'), 'plan.json');
    e.configure({ faultNext: 0 });
    expect((await runCli(['plan', '--dir', dir3, '--send-email', '--out', file3], envFor(e))).code).toBe(0);
    e.clearRequestLog();
    e.configure({ faultKinds: ['503'], faultNext: 1, faultMethods: ['PATCH'] });
    const again = await applySaved(e, file3, 1);
    expect(again.res.code).toBe(0);
    expect(again.report.counts).toMatchObject({ applied: 2, failed: 0 });
    const log3 = e.requestLog();
    const refused = log3.find((r) => r.fault === '503')!;
    const id = decodeURIComponent(refused.path.split('?')[0].split('/').pop()!);
    expect(log3.filter((r) => r.path.split('?')[0] === `/v1/meetings/${encodeURIComponent(id)}`).map((r) => `${r.method} ${r.fault ?? r.status}`)).toEqual(['GET 200', 'PATCH 503', 'GET 200', 'PATCH 200']);
  });

  test('reads dropped while planning are retried: the plan is complete', async () => {
    const e = await emulator({ seed: generateSeed({ series: 5 }), faultKinds: ['dropped', 'droppedMidBody', '503'], faultNext: 4, faultMethods: ['GET'] });
    const { dir } = retitleAll(e, ' (v2)');
    const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode', '--fetch', 'get'], envFor(e));
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout).summary).toMatchObject({ update: 5, error: 0 });
    expect(e.requestLog().filter((r) => r.fault !== undefined)).toHaveLength(4);
  });

  test('random faults of every kind at 30 %: one outcome per change, no conflicting writes, convergence', async () => {
    const e = await emulator({ seed: generateSeed({ series: 20 }), now: NOW });
    const { dir } = retitleAll(e, ' (v3)');
    const { file, plan } = await savePlan(e, dir);
    e.clearRequestLog();
    e.configure({ faultKinds: ['503', 'dropped', 'droppedAfterHeaders', 'droppedMidBody'], faultRate: 0.3 });
    const { res, report } = await applySaved(e, file, 4);
    expectOneOutcomePerChange(plan, report);
    // With five retries a change fails only after six faults in a row (0.3^6): rare, but then exit 1 says so.
    expect(res.code).toBe(report.counts.failed === 0 && report.counts.stale === 0 ? 0 : 1);
    expectNoConflictingWrites(e.requestLog());
    e.configure({ faultRate: 0 });
    const again = await runCli(['apply', '--dir', dir, '--auto-approve', '--force', '--format', 'json'], envFor(e));
    expect(again.code).toBe(0);
    await expectConverged(e, dir);
  });
});
