/**
 * The logger's redaction, the second line of defence: createLogger writes to fd 2, so each case
 * runs it in a child process (the built dist/, as the CLI does) and reads what it printed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../support/cli.js';

const SECRET = 'S3cret-Redact-Me';

/**
 * Log each object at trace level through a logger of the built dist/; stdout must stay empty,
 * stderr is returned. `cli`: the logger plan, apply, drift and import use (core's, given the
 * Webex secret names by meetings/); `core`: core's alone, which knows only generic credentials.
 */
function stderrOf(objects: unknown[], logger: 'cli' | 'core' = 'cli'): string {
  const module = pathToFileURL(join(ROOT, logger === 'cli' ? 'dist/cli/pipeline.js' : 'dist/core/log.js')).href;
  const make = logger === 'cli' ? "loggerFor({ logLevel: 'trace' }, { env: process.env, stdout: process.stdout, stderr: process.stderr })" : "createLogger('trace')";
  const script = `
    import { ${logger === 'cli' ? 'loggerFor' : 'createLogger'} } from ${JSON.stringify(module)};
    const log = ${make};
    for (const o of JSON.parse(process.argv[1])) log.trace(o, 'case');
  `;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(objects)], { encoding: 'utf8' });
  expect(res.stdout).toBe('');
  return res.stderr;
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
  'change.patch.password': { change: { meetingId: 'm', patch: { password: SECRET } } },
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
});
