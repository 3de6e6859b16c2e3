import { lazyModule } from './lazy-module.js';
import type { Logger as PinoLogger, LevelWithSilent } from 'pino';

/**
 * Logs go to stderr (stdout carries plans and reports), one JSON object a line; on a terminal
 * without the timestamp, which the reader has already.
 * Redaction is a second line of defence: secrets should never reach a log call at all.
 */

/** The credentials of any HTTP client, redacted whatever else the caller names. */
const CREDENTIAL_KEYS: readonly string[] = ['token', 'accessToken', 'authorization', 'Authorization', 'password'];

/**
 * The pino paths that hide `keys` at the top, one to three levels down (a change's patch, request
 * options, an error's request headers) and in arrays (occurrences): wherever an object carrying a
 * header or a secret ends up in a log call.
 */
function redactPaths(keys: readonly string[]): string[] {
  return [...new Set(keys)].flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`, `*[*].${k}`, `*.*[*].${k}`]);
}

/** Where the lines go instead of fd 2 (a command's stderr); written to synchronously, one line a call. */
export interface LogDestination {
  write(line: string): unknown;
  isTTY?: boolean;
}

const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
/** What meetctl logs with: pino's level methods. */
export type Logger = Pick<PinoLogger, Method>;

// pino's numbers for its levels: a method logs when its level is at least the logger's.
const LEVEL_VALUES: Readonly<Record<LevelWithSilent, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const METHODS: readonly Method[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

const pinoModule = lazyModule<typeof import('pino')>('pino');

/**
 * `sensitiveKeys`: the caller's own secret field and variable names, redacted like the credentials.
 * Throws for a level pino does not know, naming the accepted ones (pino's own message names none).
 */
export function createLogger(level: LevelWithSilent | string = 'warn', sensitiveKeys: readonly string[] = [], destination?: LogDestination): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
  }
  const threshold = LEVEL_VALUES[level as LevelWithSilent];
  // pino is built by the first line logged: at the default level most runs log nothing.
  let built: PinoLogger | undefined;
  const build = (): PinoLogger => (built ??= buildPino(level, sensitiveKeys, destination));
  const noop = () => undefined;
  const method = (m: Method) => (LEVEL_VALUES[m] >= threshold ? (...args: unknown[]) => (build()[m] as (...a: unknown[]) => void)(...args) : noop);
  return Object.fromEntries(METHODS.map((m) => [m, method(m)])) as unknown as Logger;
}

function buildPino(level: string, sensitiveKeys: readonly string[], destination: LogDestination | undefined): PinoLogger {
  const { pino } = pinoModule();
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: redactPaths([...CREDENTIAL_KEYS, ...sensitiveKeys]), censor: '[redacted]' },
      timestamp: (destination ?? process.stderr).isTTY === true ? false : pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
