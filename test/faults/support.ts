/**
 * Shared checks of the fault suite. Every scenario ends with the same questions: did each planned
 * change get exactly one outcome, was any meeting written with two different bodies, and does a
 * second run converge?
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Plan } from '../../core/plan.js';
import type { ApplyReport } from '../../core/report.js';
import { startEmulator, type Emulator, type EmulatorOptions, type RequestLogEntry, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

export const NOW = '2027-01-15T09:00:00Z';

const running: Emulator[] = [];

export async function emulator(options: EmulatorOptions): Promise<Emulator> {
  const e = await startEmulator({ now: NOW, ...options });
  running.push(e);
  return e;
}

export async function closeAll(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.close()));
}

export function envFor(e: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return { WEBEX_BASE_URL: e.baseUrl, WEBEX_ACCESS_TOKEN: e.adminToken, ...extra };
}

/** Desired files for every series: the live title plus a suffix, so each series needs one PATCH. */
export function retitleAll(e: Emulator, suffix: string): { dir: string; ids: string[] } {
  const ids = e.listSeriesIds();
  const files: Record<string, string> = {};
  for (const id of ids) {
    const title = String(e.getMeeting(id)?.title ?? id).slice(0, 100);
    files[`${id}.yaml`] = `id: ${id}\ntitle: ${JSON.stringify(`${title}${suffix}`)}\n`;
  }
  return { dir: writeTree(tempDir('meetctl-faults-'), files), ids };
}

/** `plan --out`: the plan the apply under test must account for, change by change. */
export async function savePlan(e: Emulator, dir: string, env: Record<string, string> = envFor(e)): Promise<{ file: string; plan: Plan }> {
  const file = join(tempDir('meetctl-faults-plan-'), 'plan.json');
  const res = await runCli(['plan', '--dir', dir, '--out', file], env);
  expect(res.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  expect(res.code).toBe(0);
  return { file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan };
}

export function parseReport(stdout: string): ApplyReport {
  return JSON.parse(stdout) as ApplyReport;
}

/** Every change of the plan has exactly one outcome, and no outcome is for a change the plan does not hold. */
export function expectOneOutcomePerChange(plan: Plan, report: ApplyReport): void {
  const key = (c: { id: string; kind: string }) => `${c.kind} ${c.id}`;
  expect(report.outcomes.map(key).sort()).toEqual(plan.changes.map(key).sort());
}

const comparable = (body: unknown) => JSON.stringify(body, Object.keys((body ?? {}) as object).sort());

/**
 * No meeting was written twice with different bodies: retries (after a drop, a 5xx, a timeout)
 * resend the same merge patch, so a repeated write is harmless. Dropped requests count: the
 * server may have committed them.
 */
export function expectNoConflictingWrites(log: RequestLogEntry[]): void {
  const bodies = new Map<string, Set<string>>();
  for (const r of log) {
    if (r.method !== 'PATCH' && r.method !== 'PUT') continue;
    const path = r.path.split('?')[0];
    const set = bodies.get(path) ?? new Set<string>();
    set.add(comparable(r.body));
    bodies.set(path, set);
  }
  for (const [path, set] of bodies) expect({ path, bodies: [...set] }).toEqual({ path, bodies: [...set].slice(0, 1) });
}

/** The writes that reached the server for one meeting (all attempts). */
export function patchesFor(log: RequestLogEntry[], id: string): RequestLogEntry[] {
  return log.filter((r) => r.method === 'PATCH' && r.path.split('?')[0] === `/v1/meetings/${encodeURIComponent(id)}`);
}

/** A second `plan` right after: exit 0 and no updates (or only the named changes that cannot be made). */
export async function expectConverged(e: Emulator, dir: string, env: Record<string, string> = envFor(e)): Promise<Plan> {
  const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], env);
  const plan = JSON.parse(res.stdout) as Plan;
  expect(plan.summary.update).toBe(0);
  expect(res.code).toBe(plan.summary.error > 0 ? 1 : 0);
  return plan;
}

/** What a restarted server would load: every series as the old one served it (a series view is a valid seed entry). */
export function exportSeed(e: Emulator): SeedMeeting[] {
  return e.listSeriesIds().map((id) => ({ ...e.getMeeting(id)! }) as SeedMeeting);
}

/** Resolves once the emulator has logged `n` requests matching `pred` (polled: the log is in-process). */
export async function waitForRequests(e: Emulator, pred: (r: RequestLogEntry) => boolean, n: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (e.requestLog().filter(pred).length < n) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${n} matching requests`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
