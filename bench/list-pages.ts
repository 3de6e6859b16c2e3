/**
 * Emulator list paging alone: the two listings a plan of the bench scenario walks (the series and
 * the modified scheduled meetings of the default host), page after page through `Link: rel="next"`,
 * latency and rate limit off. The first walk fills the emulator's caches; the later ones are the
 * steady state. Run `npm run build && node dist/bench/list-pages.js [series] [walks]` (default
 * 10,000 series, 4 walks) for an emulator in this process; `npm run bench` walks its own.
 */
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { startEmulator } from '../emulator/index.js';
import { DEFAULT_HOST } from '../emulator/generated.js';
import { BENCH_NOW, benchSeed } from './scenario.js';
import { walkChain } from './chain.js';

const DAY = 24 * 3600_000;
// The plan's window: from a day before now to ten years and a day ahead.
const now = Date.parse(BENCH_NOW);
const at = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const WINDOW = `from=${at(now - DAY)}&to=${at(now + 3653 * DAY + DAY)}&hostEmail=${encodeURIComponent(DEFAULT_HOST)}`;
export const LISTINGS = {
  series: `/v1/meetings?meetingType=meetingSeries&max=100&${WINDOW}&current=false`,
  modified: `/v1/meetings?meetingType=scheduledMeeting&isModified=true&max=100&${WINDOW}`,
} as const;

export interface WalkFigures {
  pages: number;
  bytes: number;
  /** ms per page of the first walk (caches filling) and the median of the later ones. */
  firstMsPerPage: number;
  warmMsPerPage: number;
  /** CPU ms of this process per page of the later walks (steadier than wall time on a busy machine). */
  warmCpuMsPerPage: number;
}

export type ListPagesResult = Record<keyof typeof LISTINGS, WalkFigures>;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `walks` (at least 2) times each listing, one request at a time over one keep-alive connection. */
export async function walkListings(target: { baseUrl: string; token: string }, walks = 4): Promise<ListPagesResult> {
  const origin = new URL(target.baseUrl).origin;
  const pool = new Pool(origin, { connections: 1, pipelining: 1 });
  const headers = { authorization: `Bearer ${target.token}` };
  const walk = async (first: string): Promise<{ pages: number; bytes: number; ms: number; cpuMs: number }> => {
    let bytes = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const pages = await walkChain(pool, origin, headers, first, (text) => (bytes += Buffer.byteLength(text)));
    const used = process.cpuUsage(cpu);
    return { pages, bytes, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
  try {
    const out = {} as ListPagesResult;
    for (const [name, path] of Object.entries(LISTINGS) as [keyof typeof LISTINGS, string][]) {
      const runs: { pages: number; bytes: number; ms: number; cpuMs: number }[] = [];
      for (let i = 0; i < Math.max(2, walks); i++) runs.push(await walk(path));
      const { pages, bytes } = runs[0];
      const warm = runs.slice(1);
      out[name] = {
        pages,
        bytes,
        firstMsPerPage: runs[0].ms / pages,
        warmMsPerPage: median(warm.map((r) => r.ms)) / pages,
        warmCpuMsPerPage: median(warm.map((r) => r.cpuMs)) / pages,
      };
    }
    return out;
  } finally {
    await pool.close();
  }
}

/** The bench seed's emulator in this process, so the CPU figure is the client's and the emulator's together. */
export async function runListPagesBench(options: { series?: number; walks?: number } = {}): Promise<ListPagesResult> {
  const emulator = await startEmulator({ seed: benchSeed(options.series ?? 10_000), now: BENCH_NOW });
  try {
    return await walkListings({ baseUrl: emulator.baseUrl, token: emulator.adminToken }, options.walks);
  } finally {
    await emulator.close();
  }
}

export function describeListPages(r: ListPagesResult, o: { cpu: boolean; first: boolean }): string[] {
  return (Object.entries(r) as [string, WalkFigures][]).map(
    ([name, f]) =>
      `  ${name === 'series' ? 'series:                 ' : 'modified scheduled:     '}${f.pages} pages of up to 100 (${(f.bytes / f.pages / 1024).toFixed(0)} KB each), ` +
      `${f.warmMsPerPage.toFixed(2)} ms a page` +
      (o.cpu ? `, ${f.warmCpuMsPerPage.toFixed(2)} ms CPU` : '') +
      (o.first ? ` (first walk ${f.firstMsPerPage.toFixed(2)} ms)` : ''),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const series = process.argv[2] ? Number(process.argv[2]) : undefined;
  const walks = process.argv[3] ? Number(process.argv[3]) : undefined;
  const r = await runListPagesBench({ series, walks });
  process.stdout.write(`emulator GET /v1/meetings list pages (latency off; client in the same process)\n${describeListPages(r, { cpu: true, first: true }).join('\n')}\n`);
}
