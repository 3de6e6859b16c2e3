/**
 * A server or gateway that quotes a request re-serializes its body in its own way: Go's
 * encoding/json escapes & < > as \u0026 \u003c \u003e, Python's json.dumps and Jackson's
 * ESCAPE_NON_ASCII every non-ASCII character as \uXXXX; some escape / as \/. A secret in any of
 * those forms is still the secret.
 */
import { describe, expect, test } from 'vitest';
import { redactSecrets } from '../../core/secrets.js';

const SECRET = 'Grün&Blau<9>/x';

describe('redactSecrets', () => {
  test.each([
    ['as written', SECRET],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
    ['Go-style (& < > escaped)', 'Grün\\u0026Blau\\u003c9\\u003e/x'],
    ['Python-style (non-ASCII escaped)', 'Gr\\u00fcn&Blau<9>/x'],
    ['both escaped', 'Gr\\u00fcn\\u0026Blau\\u003c9\\u003e/x'],
    ['upper-case hex, / escaped', 'Gr\\u00FCn\\u0026Blau\\u003C9\\u003E\\/x'],
    ['URL-encoded', encodeURIComponent(SECRET)],
  ])('%s', (_name, echoed) => {
    expect(redactSecrets(`error: body={"password":"${echoed}"}`, [SECRET])).toBe('error: body={"password":"[redacted]"}');
  });

  test('an astral character escaped as its surrogate pair', () => {
    const secret = 'key-😀-pw';
    expect(redactSecrets('x key-\\ud83d\\ude00-pw y', [secret])).toBe('x [redacted] y');
  });
});
