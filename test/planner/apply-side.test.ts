import { describe, expect, test } from 'vitest';
import type { Change } from '../../core/plan.js';
import { requestBody, verifyResponse } from '../../meetings/send/index.js';

const NOW = Date.parse('2027-01-15T09:00:00Z');

function change(patch: Change['patch'], extra: Partial<Change> = {}): Change {
  return { id: 'abc', kind: 'series', action: 'update', file: 'm.yaml', patch, before: {}, fingerprint: 'sha256:x', warnings: [], order: 0, ...extra };
}

describe('the body apply sends', () => {
  test('secret references are resolved only here, and sendEmail is false unless asked', () => {
    const body = requestBody(change({ title: 'T', password: '${env:PW}' }), { env: { PW: 'Real-Secret-1' }, sendEmail: false });
    expect(body).toEqual({ ok: true, body: { title: 'T', password: 'Real-Secret-1', sendEmail: false } });
  });

  test('--send-email and a host the file names travel as request controls', () => {
    const body = requestBody(change({ title: 'T' }, { controls: { hostEmail: 'alice@example.com' } }), { env: {}, sendEmail: true });
    expect(body).toEqual({ ok: true, body: { title: 'T', sendEmail: true, hostEmail: 'alice@example.com' } });
  });

  test('a missing variable fails the change before anything is sent, naming the variable', () => {
    const body = requestBody(change({ password: '${env:GONE}' }), { env: {}, sendEmail: false });
    expect(body).toEqual({ ok: false, message: 'password: environment variable GONE is not set' });
  });
});

describe('verification of the server response', () => {
  test('a value stored as sent gives no warning, whatever the offset it comes back with', () => {
    const warnings = verifyResponse(change({ start: '2027-03-02T09:00:00+01:00', title: 'T' }), { id: 'abc', timezone: 'Europe/Berlin', start: '2027-03-02T08:00:00Z', title: 'T' }, NOW);
    expect(warnings).toEqual([]);
  });

  test('a start the server moved to the next minute is reported', () => {
    const warnings = verifyResponse(change({ start: '2027-03-02T09:00:00+01:00' }), { id: 'abc', timezone: 'Europe/Berlin', start: '2027-03-02T09:01:00+01:00' }, NOW);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^start: the server stored "2027-03-02T09:01:00\+01:00"/);
  });

  test('a rule the server truncated is reported; secrets are never compared or printed', () => {
    const warnings = verifyResponse(
      change({ recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=6', password: '${env:PW}' }),
      { id: 'abc', recurrence: 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;COUNT=5', password: 'whatever' },
      NOW,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^recurrence:/);
    expect(warnings.join()).not.toContain('whatever');
  });
});
