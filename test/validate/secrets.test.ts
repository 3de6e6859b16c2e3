import { describe, expect, it } from 'vitest';
import { SECRET_REF, resolveSecret, secretRefName } from '../../core/secrets.js';

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
