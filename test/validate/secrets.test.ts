import { describe, expect, it } from 'vitest';
import { SECRET_REF, resolveSecret, secretRefName } from '../../core/secrets.js';
import { resolveFieldSecret } from '../../meetings/redact.js';

describe('secret references', () => {
  it('recognises ${env:NAME} only', () => {
    expect(SECRET_REF.exec('${env:SALES_PW}')?.[1]).toBe('SALES_PW');
    for (const bad of ['${env:}', '${env:1X}', '$env:X', '${ENV:X}', ' ${env:X}', '${env:X}x', 'hunter2']) {
      expect(secretRefName(bad), bad).toBeUndefined();
    }
    expect(secretRefName('${env:_x9}')).toBe('_x9');
    expect(secretRefName(42)).toBeUndefined();
  });

  it('resolves from env; a missing or empty variable names it and never a value', () => {
    expect(resolveSecret('${env:PW}', { PW: 's3cret' })).toEqual({ ok: true, value: 's3cret' });
    expect(resolveSecret('${env:PW}', {})).toEqual({ ok: false, message: 'environment variable PW is not set' });
    expect(resolveSecret('${env:PW}', { PW: '' })).toEqual({ ok: false, message: 'environment variable PW is empty' });
  });

  it('sends anything else as apply always did: a literal (hand-edited plan) as written, a non-string is refused', () => {
    expect(resolveSecret('hunter2', { hunter2: 'x' })).toEqual({ ok: true, value: 'hunter2' });
    expect(resolveSecret(42, {})).toEqual({ ok: false, message: 'must be a ${env:NAME} reference' });
  });
});

describe('variables no secret may name', () => {
  const env = { GITHUB_TOKEN: 'ghs_job', WEBEX_ACCESS_TOKEN: 'tok', MEETCTL_PROGRESS_INTERVAL: '5', SALES_PW: 'pw' };
  it('the CI\'s and meetctl\'s own are refused by core, naming the variable, never a value', () => {
    for (const name of ['GITHUB_TOKEN', 'MEETCTL_PROGRESS_INTERVAL']) {
      const r = resolveSecret(`\${env:${name}}`, env);
      expect(r).toEqual({ ok: false, message: `\${env:${name}} names a variable of the CI or of meetctl's own connection, never a secret for a setting: use a variable of its own` });
    }
    expect(resolveSecret('${env:SALES_PW}', env)).toEqual({ ok: true, value: 'pw' });
  });

  it('the Webex connection\'s are refused for a meeting field (the token would become a meeting password)', () => {
    expect(resolveSecret('${env:WEBEX_ACCESS_TOKEN}', env).ok).toBe(true);
    expect(resolveFieldSecret('${env:WEBEX_ACCESS_TOKEN}', env)).toMatchObject({ ok: false, message: expect.stringContaining('${env:WEBEX_ACCESS_TOKEN} names a variable') });
    expect(resolveFieldSecret('${env:SALES_PW}', env)).toEqual({ ok: true, value: 'pw' });
  });
});
