/**
 * Local work only, no network: load, validate, normalize and diff a desired-state directory
 * against live state saved as JSON (`{ nowMs, meetings: { id: meeting } }`, series and scheduled
 * meetings alike). Run as its own process: `node dist/bench/local-plan.js DIR LIVE.json`; prints
 * one JSON line with CPU time per phase and peak RSS.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Change } from '../core/plan.js';
import { identifiedAsWritten, loadDesiredState } from '../meetings/desired.js';
import { planOccurrences, planSeries, type Fetched } from '../meetings/planner.js';
import type { Meeting } from '../meetings/client.js';
import { threadCpu, threadsSince, type ThreadSplit } from './threads.js';

export interface LiveSnapshot {
  nowMs: number;
  meetings: Record<string, Meeting>;
}

export interface LocalPlanResult {
  files: number;
  changes: number;
  updates: number;
  loadCpuMs: number;
  planCpuMs: number;
  cpuMs: number;
  /**
   * Of `cpuMs`, the main thread's (meetctl's own work) and the other threads' (V8 compiling hot
   * functions and collecting garbage in the background): Linux only, to 10 ms.
   */
  threads?: ThreadSplit;
  peakRssMB: number;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

export async function localPlan(dir: string, snapshot: LiveSnapshot): Promise<LocalPlanResult> {
  // The reads' result, as a plan holds it (a map of what each read gave): made before the clock starts.
  const reads = new Map<string, Fetched>(Object.entries(snapshot.meetings).map(([id, meeting]) => [id, { ok: true, meeting }]));
  const notFound: Fetched = { ok: false, status: 404, message: 'not found' };
  const fetched = (id: string): Fetched => reads.get(id) ?? notFound;
  const threadsBefore = threadCpu();
  const start = process.cpuUsage();
  const loaded = await loadDesiredState(dir);
  const afterLoad = process.cpuUsage(start);
  const ctx = { nowMs: snapshot.nowMs, env: process.env };
  const changes: Change[] = [];
  for (const desired of loaded.meetings.map(identifiedAsWritten).filter((d) => d !== undefined)) {
    const series = planSeries(desired, fetched(desired.id), ctx);
    const occurrences = new Map(desired.occurrences.map((o) => [o.id, fetched(o.id)] as const));
    changes.push(series.change, ...planOccurrences(series, occurrences, ctx));
  }
  const total = process.cpuUsage(start);
  const threads = threadsSince(threadsBefore);
  return {
    files: loaded.fileCount,
    changes: changes.length,
    updates: changes.filter((c) => c.action === 'update').length,
    loadCpuMs: cpuMs(afterLoad),
    planCpuMs: cpuMs(total) - cpuMs(afterLoad),
    cpuMs: cpuMs(total),
    ...(threads ? { threads } : {}),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, liveFile] = process.argv.slice(2);
  if (!dir || !liveFile) {
    process.stderr.write('usage: node dist/bench/local-plan.js DIR LIVE.json\n');
    process.exit(1);
  }
  // Reading the snapshot is the fetch's work, not plan's: it happens before the clock starts.
  const snapshot = JSON.parse(readFileSync(liveFile, 'utf8')) as LiveSnapshot;
  process.stdout.write(`${JSON.stringify(await localPlan(dir, snapshot))}\n`);
}
