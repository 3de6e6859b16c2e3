import { describe, expect, test } from 'vitest';
import { EXAMPLES, runCli } from '../support/cli.js';

describe('--log-level', () => {
  // Each command builds its logger before anything else, so an unknown level stops it before any
  // file is read or request sent; the base URL points nowhere to make sure of that.
  test.each([
    ['validate', '--dir', EXAMPLES],
    ['plan', '--dir', EXAMPLES],
    ['apply', '--dir', EXAMPLES, '--auto-approve'],
    ['drift', '--dir', EXAMPLES],
    ['import', '--all', '--out', EXAMPLES],
    ['emulator', '--port', '0'],
  ])('an unknown level names the accepted ones (%s), exit 1', async (...args) => {
    const run = await runCli([...args, '--log-level', 'loud'], { WEBEX_ACCESS_TOKEN: 'unused', WEBEX_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('meetctl: --log-level must be one of fatal, error, warn, info, debug, trace, silent, not "loud"');
    expect(run.stdout).toBe('');
  });
});
