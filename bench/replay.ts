/**
 * The network floor of a run: the same read requests sent again by a client that does nothing else.
 * A list is a chain of pages (each page's `Link: rel="next"` names the next), so the floor is set by
 * the longest chain and the emulator's time per page, which the bound (count ÷ rate, count × latency
 * ÷ concurrency) does not see. Every chain starts at once, so this is below what any client sending
 * these requests can reach, meetctl's preflight-first order included.
 */
import { Pool } from 'undici';
import type { RequestLogEntry } from '../emulator/index.js';
import { walkChain } from './chain.js';

export interface ReplayFigures {
  /** Chains walked: first pages of lists, and single GETs. */
  chains: number;
  requests: number;
  /** Pages of the longest chain. */
  longest: number;
  /** First request sent → last response, ms. */
  wallMs: number;
  /** Mean ms a page of the longest chain took (latency, the emulator's own time, the transfer). */
  msPerPage: number;
}

/** The requests of `log` that begin a chain: the first page of a list (no cursor yet), or a GET of one thing. */
function chainStarts(log: readonly RequestLogEntry[]): string[] {
  return log.filter((e) => e.method === 'GET' && e.status === 200 && !new URL(e.path, 'http://x').searchParams.has('cursor')).map((e) => e.path);
}

/** Walks every chain the GETs of `log` began, side by side, over `connections` keep-alive connections. */
export async function replayReads(target: { baseUrl: string; token: string }, log: readonly RequestLogEntry[], connections: number): Promise<ReplayFigures> {
  const origin = new URL(target.baseUrl).origin;
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const headers = { authorization: `Bearer ${target.token}`, timezone: 'UTC' };
  const walk = async (first: string): Promise<{ pages: number; ms: number }> => {
    const started = performance.now();
    // A client reads what it fetched.
    const pages = await walkChain(pool, origin, headers, first, (text) => void JSON.parse(text));
    return { pages, ms: performance.now() - started };
  };
  try {
    const starts = chainStarts(log);
    const started = performance.now();
    const walks = await Promise.all(starts.map(walk));
    const wallMs = performance.now() - started;
    const longest = walks.reduce((a, b) => (b.pages > a.pages ? b : a), { pages: 0, ms: 0 });
    return {
      chains: starts.length,
      requests: walks.reduce((n, w) => n + w.pages, 0),
      longest: longest.pages,
      wallMs,
      msPerPage: longest.pages > 0 ? longest.ms / longest.pages : 0,
    };
  } finally {
    await pool.close();
  }
}
