/**
 * Emulator throughput: GETs of meetings by id over keep-alive connections, latency off.
 * Run `npm run build && node dist/bench/emulator.js [requests] [connections]`.
 */
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { generateSeed, startEmulator } from '../emulator/index.js';

export interface EmulatorBenchResult {
  requests: number;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  failures: number;
}

export async function runEmulatorBench(options: { requests?: number; connections?: number; series?: number } = {}): Promise<EmulatorBenchResult> {
  const requests = options.requests ?? 20_000;
  const connections = options.connections ?? 32;
  const emulator = await startEmulator({ seed: generateSeed({ series: options.series ?? 200 }), now: '2027-01-15T09:00:00Z' });
  const ids = emulator.listSeriesIds();
  const origin = new URL(emulator.baseUrl).origin;
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const headers = { authorization: `Bearer ${emulator.adminToken}` };
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const i = next++;
      const res = await pool.request({ method: 'GET', path: `/v1/meetings/${ids[i % ids.length]}`, headers });
      await res.body.text();
      if (res.statusCode !== 200) failures++;
    }
  };
  // Warm up the view caches and the connections first, so the figure is the steady state.
  await Promise.all(ids.map((id) => pool.request({ method: 'GET', path: `/v1/meetings/${id}`, headers }).then((r) => r.body.text())));
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  await emulator.close();
  return { requests, connections, seconds, requestsPerSecond: requests / seconds, failures };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const requests = process.argv[2] ? Number(process.argv[2]) : undefined;
  const connections = process.argv[3] ? Number(process.argv[3]) : undefined;
  const r = await runEmulatorBench({ requests, connections });
  process.stdout.write(
    `emulator GET /v1/meetings/{id}: ${r.requests} requests, ${r.connections} keep-alive connections, ` +
      `${r.seconds.toFixed(2)} s, ${Math.round(r.requestsPerSecond)} requests/s, ${r.failures} failures\n`,
  );
}
