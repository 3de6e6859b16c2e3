/**
 * The benchmark's world: an emulator seed of N series (a quarter recurring, each with one or two
 * overridden scheduled meetings) and a desired-state directory that matches it, except that a
 * tenth of the meetings differ in one field. Deterministic for a given N.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateSeed, type SeedFile, type SeedMeeting } from '../emulator/index.js';
import { DEFAULT_HOST } from '../emulator/generated.js';
import { occurrenceId } from '../emulator/model.js';
import { expandRule } from '../emulator/recurrence.js';
import { parseDateTime } from '../emulator/time.js';

export const BENCH_NOW = '2027-01-15T09:00:00Z';
const DAY_MS = 24 * 3600_000;

export interface Scenario {
  seed: SeedFile;
  seriesIds: string[];
  /** Declared overrides, all series together. */
  occurrenceCount: number;
  /** Series whose file declares at least one override. */
  seriesWithOverrides: number;
  /** Series that declare exactly one / exactly two overrides. */
  withOne: number;
  withTwo: number;
  /** Meetings (series or scheduled) whose file differs from the live state: one PATCH each. */
  differing: number;
  /** Series and declared overrides per host: an admin lists each host's meetings on its own. */
  byHost: Map<string, { series: number; occurrences: number; trackingCodes: boolean }>;
}

/** Every recurring series gets one or two overridden scheduled meetings (the generator leaves some with none). */
export function benchSeed(series: number): SeedFile {
  const seed = generateSeed({ series, seed: 7 });
  for (const [i, m] of (seed.meetings ?? []).entries()) {
    if (!m.recurrence) continue;
    const existing = m.occurrences ?? [];
    const want = existing.length > 0 ? Math.min(existing.length, 2) : i % 8 === 4 ? 2 : 1;
    if (existing.length === want) continue;
    if (existing.length > want) {
      m.occurrences = existing.slice(0, want);
      continue;
    }
    const startMs = parseDateTime(m.start, m.timezone ?? 'UTC')!;
    const starts = expandRule(m.recurrence, startMs, m.timezone ?? 'UTC', startMs + 400 * DAY_MS).slice(1, 1 + want);
    m.occurrences = starts.map((s, k) => ({ id: occurrenceId(m.id, s), title: `${String(m.title)} (special ${k + 1})` }));
  }
  return seed;
}

const SERIES_FIELDS = [
  'title', 'agenda', 'timezone', 'start', 'end', 'recurrence', 'integrationTags', 'trackingCodes',
  'meetingOptions', 'enabledJoinBeforeHost', 'joinBeforeHostMinutes',
] as const;

function desiredDocument(m: SeedMeeting): Record<string, unknown> {
  // Files carry the real host: an admin token sees another host's meetings only by naming the host.
  const doc: Record<string, unknown> = { id: m.id, hostEmail: m.hostEmail ?? DEFAULT_HOST };
  for (const field of SERIES_FIELDS) if (m[field] !== undefined) doc[field] = structuredClone(m[field]);
  if (m.occurrences && m.occurrences.length > 0) {
    doc.occurrences = m.occurrences.map((o) => ({ id: o.id, title: o.title }));
  }
  return doc;
}

/**
 * One file per series, in ten folders. Every tenth meeting differs: its title, or for recurring
 * series the title of its first override (a scheduled-meeting change).
 */
export function writeDesiredState(seed: SeedFile, dir: string): Scenario {
  const meetings = seed.meetings ?? [];
  let occurrenceCount = 0;
  let withOne = 0;
  let withTwo = 0;
  let differing = 0;
  const byHost = new Map<string, { series: number; occurrences: number; trackingCodes: boolean }>();
  for (let f = 0; f < 10; f++) mkdirSync(join(dir, `team-${f}`), { recursive: true });
  meetings.forEach((m, i) => {
    const doc = desiredDocument(m);
    const occurrences = (doc.occurrences as { id: string; title: string }[] | undefined) ?? [];
    occurrenceCount += occurrences.length;
    const host = byHost.get(String(doc.hostEmail)) ?? { series: 0, occurrences: 0, trackingCodes: false };
    host.series += 1;
    host.occurrences += occurrences.length;
    host.trackingCodes ||= doc.trackingCodes !== undefined;
    byHost.set(String(doc.hostEmail), host);
    if (occurrences.length === 1) withOne++;
    if (occurrences.length === 2) withTwo++;
    if (i % 10 === 9) {
      differing++;
      if (occurrences.length > 0 && i % 20 === 19) occurrences[0].title = `${occurrences[0].title} (moved room)`;
      else doc.title = `${String(doc.title)} (v2)`;
    }
    writeFileSync(join(dir, `team-${i % 10}`, `${m.id}.yaml`), stringify(doc));
  });
  return {
    seed,
    seriesIds: meetings.map((m) => m.id),
    occurrenceCount,
    seriesWithOverrides: withOne + withTwo,
    withOne,
    withTwo,
    differing,
    byHost,
  };
}
