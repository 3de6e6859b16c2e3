/**
 * The logger's redaction, the second line of defence. The commands log to their Io's stderr, so
 * the cases run in-process and read what was written; one case runs a child process (the built
 * dist/) to show that, as a process, the lines go to fd 2 and stdout stays clean.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { captureStream } from '../../cli/io.js';
import { loggerFor } from '../../cli/pipeline.js';
import { createLogger } from '../../core/log.js';
import { ROOT } from '../support/cli.js';

const SECRET = 'S3cret-Redact-Me';

/**
 * Log each object at trace level; stdout must stay empty, stderr is returned. `cli`: the logger
 * plan, apply, drift and import use (core's, given the Webex secret names by meetings/); `core`:
 * core's alone, which knows only generic credentials.
 */
function stderrOf(objects: unknown[], logger: 'cli' | 'core' = 'cli'): string {
  const stdout = captureStream();
  const stderr = captureStream();
  const log = logger === 'cli' ? loggerFor({ logLevel: 'trace' }, { env: {}, stdout, stderr }) : createLogger('trace', [], stderr);
  for (const o of objects) log.trace(o, 'case');
  expect(stdout.text()).toBe('');
  return stderr.text();
}

const CASES: Record<string, unknown> = {
  'headers.authorization': { headers: { authorization: `Bearer ${SECRET}` } },
  'headers.Authorization': { headers: { Authorization: `Bearer ${SECRET}` } },
  'req.headers.authorization': { req: { headers: { authorization: `Bearer ${SECRET}` } } },
  'request.headers.authorization': { request: { headers: { authorization: `Bearer ${SECRET}` } } },
  'err.config.headers.authorization': { err: { config: { headers: { authorization: `Bearer ${SECRET}` } } } },
  'authorization at the top': { authorization: `Bearer ${SECRET}` },
  token: { token: SECRET },
  accessToken: { accessToken: SECRET },
  'options.token (the client options)': { options: { baseUrl: 'https://webexapis.com/v1', token: SECRET } },
  'env.WEBEX_ACCESS_TOKEN': { env: { WEBEX_ACCESS_TOKEN: SECRET } },
  password: { password: SECRET },
  panelistPassword: { panelistPassword: SECRET },
  'body.password': { body: { title: 't', password: SECRET } },
  'patch.panelistPassword': { patch: { panelistPassword: SECRET } },
  'change.patch.password': { change: { id: 'm', patch: { password: SECRET } } },
  'occurrences[].password': { occurrences: [{ id: 'o', password: SECRET }] },
  'change.occurrences[].panelistPassword': { change: { occurrences: [{ panelistPassword: SECRET }] } },
};

describe('pino redaction', () => {
  test.each(Object.entries(CASES))('%s is redacted', (_name, object) => {
    const out = stderrOf([object]);
    expect(out).toContain('[redacted]');
    expect(out).not.toContain(SECRET);
    expect(JSON.parse(out.trim()).msg).toBe('case');
  });

  test.each(['headers.authorization', 'err.config.headers.authorization', 'token', 'options.token (the client options)', 'body.password'])(
    "%s is redacted by core's logger alone",
    (name) => {
      const out = stderrOf([CASES[name]], 'core');
      expect(out).toContain('[redacted]');
      expect(out).not.toContain(SECRET);
    },
  );

  test('what is not secret stays readable (redaction does not swallow the line)', () => {
    const out = stderrOf([{ method: 'GET', path: '/v1/meetings/abc', status: 200, patch: { title: 'Weekly' } }]);
    const line = JSON.parse(out.trim());
    expect(line).toMatchObject({ method: 'GET', path: '/v1/meetings/abc', status: 200, patch: { title: 'Weekly' } });
  });

  test('as a process, both loggers write to fd 2 (core by default, the CLI through the process stderr) and nothing to stdout', () => {
    const dist = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', path)).href);
    const script = `
      import { loggerFor } from ${dist('cli/pipeline.js')};
      import { processIo } from ${dist('cli/io.js')};
      import { createLogger } from ${dist('core/log.js')};
      loggerFor({ logLevel: 'trace' }, processIo()).trace({ token: process.argv[1] }, 'cli');
      createLogger('trace').trace({ token: process.argv[1] }, 'core');
    `;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script, SECRET], { encoding: 'utf8' });
    expect(res.stdout).toBe('');
    const lines = res.stderr.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; token: string });
    expect(lines.map((l) => [l.msg, l.token])).toEqual([
      ['cli', '[redacted]'],
      ['core', '[redacted]'],
    ]);
  });
});
