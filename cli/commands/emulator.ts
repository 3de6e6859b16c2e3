/** `meetctl emulator` (its options: cli/definitions.ts). */
import type { EmulatorOptions } from '../../emulator/index.js';
import { loggerFor } from '../pipeline.js';
import type { Io } from '../io.js';

export interface EmulatorFlags {
  port?: string;
  seed?: string;
  latency?: string;
  rateLimit?: string;
  faultRate?: string;
  now?: string;
  requestLog?: string;
  logLevel?: string;
  createQuota?: boolean;
}

type Parsed = { ok: true; options: EmulatorOptions } | { ok: false; message: string };

function number(flag: string, text: string | undefined, check: (n: number) => boolean, rule: string): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && check(n) ? n : `${flag} must be ${rule}; got '${text}'`;
}

/** Flags to emulator options, refusing anything out of range before a port is opened. */
export function parseEmulatorFlags(flags: EmulatorFlags): Parsed {
  const port = number('--port', flags.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer from 0 to 65535');
  const latencyMs = number('--latency', flags.latency, (n) => n >= 0, 'a number of milliseconds >= 0');
  const rateLimit = number('--rate-limit', flags.rateLimit, (n) => n >= 0, 'a number of requests per second >= 0');
  const faultRate = number('--fault-rate', flags.faultRate, (n) => n >= 0 && n <= 1, 'a probability from 0 to 1');
  for (const v of [port, latencyMs, rateLimit, faultRate]) if (typeof v === 'string') return { ok: false, message: v };
  if (flags.now !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(flags.now) || !Number.isFinite(Date.parse(flags.now))))
    return { ok: false, message: `--now must be an ISO 8601 instant such as 2027-01-15T09:00:00Z; got '${flags.now}'` };
  return {
    ok: true,
    options: {
      port: port as number | undefined,
      seed: flags.seed,
      latencyMs: latencyMs as number | undefined,
      rateLimit: rateLimit as number | undefined,
      faultRate: faultRate as number | undefined,
      now: flags.now,
      requestLogFile: flags.requestLog,
      createQuota: flags.createQuota === true ? true : undefined,
    },
  };
}

export async function emulatorCommand(flags: EmulatorFlags, io: Io): Promise<number> {
  const parsed = parseEmulatorFlags(flags);
  if (!parsed.ok) {
    io.stderr.write(`meetctl emulator: ${parsed.message}\n`);
    return 1;
  }
  const log = loggerFor({ logLevel: flags.logLevel ?? 'info' }, io);
  let emulator;
  try {
    // Only this command runs the emulator: the other commands do not load its modules (nor rrule, ajv and the YAML parser with them).
    const { startEmulator } = await import('../../emulator/index.js');
    emulator = await startEmulator({ ...parsed.options, env: io.env });
  } catch (err) {
    io.stderr.write(`meetctl emulator: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const running = emulator;
  const { signals } = io;
  // It serves until interrupted: a run without signals (in-process) could never end.
  if (!signals) {
    await running.close();
    io.stderr.write('meetctl emulator: serves until SIGINT or SIGTERM, which this run cannot receive; run it as a process\n');
    return 1;
  }
  // Handlers go in before the URL is printed: a caller may signal as soon as it reads it.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'emulator stopping');
      void running.close().then(resolve);
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
  });
  io.stdout.write(`${emulator.baseUrl}\ntoken: ${emulator.adminToken}\n`);
  log.info({ baseUrl: emulator.baseUrl, now: emulator.clock.now().toISOString(), series: emulator.listSeriesIds().length }, 'emulator listening');
  await stopped;
  return 0;
}
