import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { generateSeed, startEmulator, type Emulator, type RequestLogEntry } from '../../emulator/index.js';
import { EXAMPLES, runCli, tempDir, writeTree } from '../support/cli.js';
import { pauseViolations } from '../client/log-analysis.js';

const NOW = '2027-01-15T09:00:00Z';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Desired files for every series of the emulator: the live title plus a suffix, so each one needs one PATCH. */
function retitleAll(e: Emulator, suffix: string): { dir: string; ids: string[] } {
  const ids = e.listSeriesIds();
  const files: Record<string, string> = {};
  for (const id of ids) {
    const title = String(e.getMeeting(id)?.title ?? id).slice(0, 100);
    files[`${id}.yaml`] = `id: ${id}\ntitle: ${JSON.stringify(`${title}${suffix}`)}\n`;
  }
  return { dir: writeTree(tempDir(), files), ids };
}

function envFor(e: Emulator) {
  return { WEBEX_BASE_URL: e.baseUrl, WEBEX_ACCESS_TOKEN: e.adminToken };
}

function maxInFlight(log: RequestLogEntry[]): number {
  const events: [number, number][] = [];
  for (const r of log) events.push([r.startedAt, 1], [r.endedAt, -1]);
  // Ends sort before starts at the same millisecond: a slot freed and reused at once is not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (cur += d));
  return max;
}

const transient = (r: RequestLogEntry) => r.status === 0 || r.status === 429 || r.status === 423 || r.status >= 500;


/**
 * SIGINT to the child once the emulator has seen `patches` PATCHes, and when the child said it was
 * interrupted, as seen from here: on a loaded machine the signal can take long to be handled, so the
 * moment it was sent says nothing about when sending had to stop.
 */
function interruptAfterPatches(e: Emulator, patches: number) {
  let acknowledgedAt = 0;
  return {
    acknowledgedAt: () => acknowledgedAt,
    onSpawn: (child: ChildProcess) => {
      const timer = setInterval(() => {
        if (e.requestLog().filter((r) => r.method === 'PATCH').length >= patches) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 5);
      child.stderr?.on('data', (chunk: string | Buffer) => {
        if (acknowledgedAt === 0 && String(chunk).includes('Interrupted')) acknowledgedAt = Date.now();
      });
      child.on('close', () => clearInterval(timer));
    },
  };
}

describe('meetctl apply', () => {
  test('500 meetings converge under rate limits, faults and latency, within the rules of the road', async () => {
    emu = await startEmulator({ seed: generateSeed({ series: 500 }), now: NOW, latencyMs: 5, rateLimit: 150, faultRate: 0.05 });
    const { dir, ids } = retitleAll(emu, ' (v2)');
    const concurrency = 8;
    const res = await runCli(['apply', '--dir', dir, '--auto-approve', '--force', '--concurrency', String(concurrency), '--format', 'json'], envFor(emu));
    expect(res.stderr).not.toMatch(/Error:|at .*\.js:\d+/);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.counts.applied).toBe(500);
    expect(report.counts.failed).toBe(0);

    const log = emu.requestLog();
    // No more than --concurrency requests in flight at once.
    expect(maxInFlight(log)).toBeLessThanOrEqual(concurrency);
    // No request started while a Retry-After pause (at least one second) was in force: after a 429 none
    // at all, after a 423 (one resource locked) not that request again.
    const violations = pauseViolations(log, () => 1, { graceMs: 50 });
    expect(violations.map(({ refusal, offender }) => `${offender.method} ${offender.path} at +${offender.startedAt - refusal.endedAt}ms`)).toEqual([]);
    // Each meeting patched once, plus retries of transient failures only.
    const patches = log.filter((r) => r.method === 'PATCH');
    for (const id of ids) {
      const mine = patches.filter((r) => r.path.startsWith(`/v1/meetings/${id}`));
      const ok = mine.filter((r) => r.status === 200).length;
      expect(ok).toBeGreaterThanOrEqual(1);
      expect(ok).toBeLessThanOrEqual(1 + mine.filter(transient).length);
      expect(mine.every((r) => r.status === 200 || transient(r))).toBe(true);
    }
    expect(log.some(transient)).toBe(true); // the faults really happened

    emu.configure({ faultRate: 0, rateLimit: 0, latencyMs: 0 });
    const again = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], envFor(emu));
    expect(again.stdout).toMatch(/No changes/);
    expect(again.code).toBe(0);
  });

  test('a stale plan: the meeting edited after plan --out is skipped and named, the others are applied', async () => {
    emu = await startEmulator({ seed: generateSeed({ series: 5 }), now: NOW });
    const { dir, ids } = retitleAll(emu, ' (v2)');
    const planFile = join(tempDir(), 'plan.json');
    const planned = await runCli(['plan', '--dir', dir, '--out', planFile], envFor(emu));
    expect(planned.code).toBe(0);
    emu.editMeeting(ids[2], { agenda: 'edited by hand in the Webex UI' });
    const res = await runCli(['apply', planFile, '--format', 'json'], envFor(emu));
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report.counts).toMatchObject({ applied: 4, stale: 1 });
    const stale = report.outcomes.find((o: { status: string }) => o.status === 'stale');
    expect(stale.id).toBe(ids[2]);
    expect(stale.message).toMatch(/changed since the plan/);
  });

  test('a saved plan with an occurrence under a changing series applies whole: our own series change is not staleness', async () => {
    emu = await startEmulator({ now: NOW });
    const env = { ...envFor(emu), SALES_SYNC_PASSWORD: 'Demo-Passw0rd!' };
    const planFile = join(tempDir(), 'plan.json');
    expect((await runCli(['plan', '--dir', EXAMPLES, '--out', planFile], env)).code).toBe(0);
    const res = await runCli(['apply', planFile, '--format', 'json'], env);
    const report = JSON.parse(res.stdout);
    expect(report.counts).toMatchObject({ applied: 4, stale: 0, failed: 0 });
    expect(res.code).toBe(0);
    // Re-applying the same plan finds every meeting already carrying its values.
    const again = await runCli(['apply', planFile, '--format', 'json'], env);
    expect(JSON.parse(again.stdout).counts).toMatchObject({ applied: 0, unchanged: 4, stale: 0 });
    expect(again.code).toBe(0);
  });

  test('a saved plan for another base URL, another format version, too old or from the future (by the server\'s clock) is refused whole', async () => {
    emu = await startEmulator({ seed: generateSeed({ series: 2 }), now: NOW });
    const { dir } = retitleAll(emu, ' (v2)');
    const planFile = join(tempDir(), 'plan.json');
    await runCli(['plan', '--dir', dir, '--out', planFile], envFor(emu));
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));

    const other = await runCli(['apply', planFile], { ...envFor(emu), WEBEX_BASE_URL: 'http://127.0.0.2:1/v1' });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/made for http:\/\/127\.0\.0\.1/);

    writeFileSync(planFile, JSON.stringify({ ...plan, formatVersion: 99 }));
    const version = await runCli(['apply', planFile], envFor(emu));
    expect(version.code).toBe(1);
    expect(version.stderr).toMatch(/format version/);

    writeFileSync(planFile, JSON.stringify({ ...plan, createdAt: '2000-01-01T00:00:00Z' }));
    const old = await runCli(['apply', planFile], envFor(emu));
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/max-plan-age/);

    // Age is measured by the server's clock (pinned to NOW, months ahead of this machine's): a plan
    // 25 h older than the server's time is too old although the local clock sees it in the future,
    // and a plan from after the server's time was not made against it.
    const serverNow = Date.parse(plan.createdAt);
    writeFileSync(planFile, JSON.stringify({ ...plan, createdAt: new Date(serverNow - 25 * 3600_000).toISOString() }));
    const day = await runCli(['apply', planFile], envFor(emu));
    expect(day.code).toBe(1);
    expect(day.stderr).toMatch(/longer ago than --max-plan-age \(24h\) by the server's clock/);
    writeFileSync(planFile, JSON.stringify({ ...plan, createdAt: new Date(serverNow + 3600_000).toISOString() }));
    const future = await runCli(['apply', planFile], envFor(emu));
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/after the server's time now/);
    expect(emu.requestLog().filter((r) => r.method === 'PATCH')).toEqual([]);

    // The same plan, 23 h old by the server's clock, is still applied.
    writeFileSync(planFile, JSON.stringify({ ...plan, createdAt: new Date(serverNow - 23 * 3600_000).toISOString() }));
    const fresh = await runCli(['apply', planFile], envFor(emu));
    expect(fresh.stderr).not.toMatch(/max-plan-age|server's time/);
    expect(emu.requestLog().filter((r) => r.method === 'PATCH').length).toBeGreaterThan(0);
  });

  test('guards: --max-changes, the 30 % rule without --force, and no TTY without --auto-approve', async () => {
    emu = await startEmulator({ seed: generateSeed({ series: 12 }), now: NOW });
    const { dir } = retitleAll(emu, ' (v2)');
    const max = await runCli(['apply', '--dir', dir, '--auto-approve', '--force', '--max-changes', '5'], envFor(emu));
    expect(max.code).toBe(1);
    expect(max.stderr).toMatch(/more than --max-changes 5/);
    const share = await runCli(['apply', '--dir', dir, '--auto-approve'], envFor(emu));
    expect(share.code).toBe(1);
    expect(share.stderr).toMatch(/12 of 12 managed meetings \(100%\).*--force/);
    const noTty = await runCli(['apply', '--dir', dir, '--force'], envFor(emu));
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toMatch(/--auto-approve/);
    expect(emu.requestLog().filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  test('SIGINT stops new requests, lets in-flight ones finish, and reports what was and was not applied', async () => {
    emu = await startEmulator({ seed: generateSeed({ series: 60 }), now: NOW, latencyMs: 40 });
    const { dir } = retitleAll(emu, ' (v4)');
    const e = emu;
    const interrupt = interruptAfterPatches(e, 6);
    const res = await runCli(['apply', '--dir', dir, '--auto-approve', '--force', '--concurrency', '2', '--format', 'json'], envFor(e), interrupt);
    const acknowledgedAt = interrupt.acknowledgedAt();
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Interrupted/);
    const report = JSON.parse(res.stdout);
    expect(report.interrupted).toBe(true);
    expect(report.counts.applied).toBeGreaterThanOrEqual(6);
    expect(report.counts.applied + report.counts.skipped).toBe(60);
    const patches = e.requestLog().filter((r) => r.method === 'PATCH' && r.status === 200);
    // Every PATCH the server accepted is reported as applied: nothing in flight was lost or left unreported.
    expect(patches.length).toBe(report.counts.applied);
    // Nothing new was sent once the child had handled the signal (requests in flight then started before it;
    // the margin covers a request and the message read in the same turn of this process's event loop).
    expect(acknowledgedAt).toBeGreaterThan(0);
    expect(patches.filter((r) => r.startedAt > acknowledgedAt + 50)).toEqual([]);
  });

  test('SIGINT during a 429 storm: no change is sent again, the report says interrupted', async () => {
    emu = await startEmulator({ seed: generateSeed({ series: 6 }), now: NOW });
    const { dir } = retitleAll(emu, ' (v6)');
    const e = emu;
    const planFile = join(tempDir(), 'plan.json');
    expect((await runCli(['plan', '--dir', dir, '--out', planFile], envFor(e))).code).toBe(0);
    // Every PATCH refused with Retry-After: 2: each change waits, then tries again, up to 20 times.
    e.configure({ faultRate: 1, faultMethods: ['PATCH'], faultKinds: ['429'], faultRetryAfter: 2 });
    const interrupt = interruptAfterPatches(e, 2);
    const res = await runCli(['apply', planFile, '--force', '--concurrency', '2', '--format', 'json'], envFor(e), interrupt);
    const acknowledgedAt = interrupt.acknowledgedAt();
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { interrupted: boolean; counts: Record<string, number>; outcomes: { status: string; message?: string }[] };
    expect(report.interrupted).toBe(true);
    expect(report.counts.applied).toBe(0);
    expect(report.counts.failed + report.counts.skipped).toBe(6);
    for (const o of report.outcomes.filter((x) => x.status === 'failed')) expect(o.message).toMatch(/^Too many requests .*Retry-After; the run was interrupted: not sent again after \d+ attempts?$/);
    // The waits were cut short: nothing left after the child had handled the signal.
    expect(acknowledgedAt).toBeGreaterThan(0);
    expect(e.requestLog().filter((r) => r.method === 'PATCH' && r.startedAt > acknowledgedAt + 50)).toEqual([]);
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 1],
  ] as const)('SIGINT, then %s: a second Ctrl-C exits at once (130) saying what that leaves unknown; a SIGTERM (a CI cancel) waits and reports; apply again converges', async (second, code) => {
    emu = await startEmulator({ seed: generateSeed({ series: 20 }), now: NOW });
    const { dir } = retitleAll(emu, ' (v5)');
    const e = emu;
    // Planned fast, then applied slowly: the requests in flight when the signals come take 1.5 s.
    const planFile = join(tempDir(), 'plan.json');
    expect((await runCli(['plan', '--dir', dir, '--out', planFile], envFor(e))).code).toBe(0);
    e.configure({ latencyMs: 1500 });
    let sent = 0;
    const res = await runCli(['apply', planFile, '--force', '--concurrency', '2', '--format', 'json'], envFor(e), {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (sent === 0 && e.requestLog().some((r) => r.method === 'PATCH')) {
            sent = 1;
            child.kill('SIGINT');
          }
        }, 5);
        child.stderr?.on('data', (chunk: string | Buffer) => {
          // Once the first is handled (the requests in flight still take 1.5 s), the second.
          if (sent === 1 && String(chunk).includes('Interrupted:')) {
            sent = 2;
            child.kill(second);
          }
        });
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(res.code, res.stderr).toBe(code);
    if (second === 'SIGINT') {
      expect(res.stderr).toMatch(/Interrupted again: exiting now, without waiting and without a report\. The requests in flight may have been carried out: run meetctl plan/);
      expect(res.stdout).toBe('');
    } else {
      expect(res.stderr).not.toMatch(/Interrupted again/);
      expect(JSON.parse(res.stdout).interrupted).toBe(true);
    }
    e.configure({ latencyMs: 0 });
    const again = await runCli(['apply', '--dir', dir, '--auto-approve', '--force'], envFor(e));
    expect(again.code).toBe(0);
    expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], envFor(e))).code).toBe(0);
  });

  test('apply killed half way (SIGKILL) and run again converges', async () => {
    emu = await startEmulator({ seed: generateSeed({ series: 200 }), now: NOW, latencyMs: 20 });
    const { dir } = retitleAll(emu, ' (v3)');
    const env = envFor(emu);
    const e = emu;
    const first = await runCli(['apply', '--dir', dir, '--auto-approve', '--force', '--concurrency', '2'], env, {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (e.requestLog().filter((r) => r.method === 'PATCH').length >= 40) {
            clearInterval(timer);
            child.kill('SIGKILL');
          }
        }, 5);
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(first.signal).toBe('SIGKILL');
    const patchedBefore = e.requestLog().filter((r) => r.method === 'PATCH' && r.status === 200).length;
    expect(patchedBefore).toBeGreaterThan(0);
    expect(patchedBefore).toBeLessThan(200);
    const second = await runCli(['apply', '--dir', dir, '--auto-approve', '--force', '--format', 'json'], env);
    expect(second.code).toBe(0);
    const final = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(final.code).toBe(0);
    expect(final.stdout).toMatch(/No changes/);
  });
});
