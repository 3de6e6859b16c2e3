import { pino, type Logger, type LevelWithSilent } from 'pino';

/**
 * Logs go to stderr (stdout carries plans and reports), as JSON unless stderr is a TTY.
 * Redaction is a second line of defence: secrets should never reach a log call at all.
 */
export const REDACT_PATHS = [
  'token',
  'accessToken',
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'password',
  'panelistPassword',
  '*.password',
  '*.panelistPassword',
  'patch.password',
  'patch.panelistPassword',
  'body.password',
  'body.panelistPassword',
  // One and two levels further down (a change's patch, request options, an error's request), and
  // in arrays (occurrences): wherever an object carrying a header or a secret ends up in a log call.
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.Authorization',
  '*.*.authorization',
  '*.*.Authorization',
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
  '*.*.password',
  '*.*.panelistPassword',
  '*[*].password',
  '*[*].panelistPassword',
  '*.*[*].password',
  '*.*[*].panelistPassword',
  'WEBEX_ACCESS_TOKEN',
  '*.WEBEX_ACCESS_TOKEN',
];

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Throws for a level pino does not know, naming the accepted ones (pino's own message names none). */
export function createLogger(level: LevelWithSilent | string = 'warn'): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
  }
  const pretty = process.stderr.isTTY === true;
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pretty ? false : pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}

export type { Logger };
