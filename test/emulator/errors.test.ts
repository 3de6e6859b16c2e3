/** Error bodies: a generic message per status, the reason in errors[].description, always a trackingId. */
import { describe, expect, test } from 'vitest';
import { SALES, call, emulator, messages, patch } from './helpers.js';

describe('error bodies', () => {
  test('paths./meetings.post.responses.400 (example): the message is generic, the reason is in errors[].description, trackingId is set', async () => {
    const e = await emulator();
    const r = await patch(e, SALES, { title: 'x'.repeat(129) });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('The input parameters contain invalid items.');
    expect(messages(r)).toMatch(/'title' cannot be longer than 128 characters/);
    expect(r.body.trackingId).toBe(r.headers.trackingid);
    // Every reason gets its own entry.
    const many = await patch(e, SALES, { title: '', agenda: 'x'.repeat(1301) });
    expect(many.body.errors.length).toBe(2);
    expect(many.body.message).toBe('The input parameters contain invalid items.');
  });

  test('paths./meetings.get.responses: 401, 403, 404, 405 and 415 carry their status\'s generic message and a specific description', async () => {
    const e = await emulator();
    const cases: [Promise<{ status: number; body: any }>, number, RegExp, RegExp][] = [
      [call(e, 'GET', `/meetings/${SALES}`, { token: null }), 401, /credentials were missing or incorrect/, /access token/],
      [call(e, 'GET', `/meetings/${SALES}`, { token: e.tokenFor('somebody@example.com') }), 403, /refused or access is not allowed/, /neither its host nor an invitee/],
      [call(e, 'GET', '/meetings/0000dead'), 404, /resource requested.*does not exist/, /0000dead was not found/],
      [call(e, 'POST', `/meetings/${SALES}`, { body: {} }), 405, /HTTP request method that is not supported/, /POST is not allowed/],
      [call(e, 'PATCH', `/meetings/${SALES}`, { raw: 'title=x', contentType: 'text/plain' }), 415, /media type that is not supported/, /content type/],
    ];
    for (const [reply, status, message, description] of cases) {
      const r = await reply;
      expect(r.status).toBe(status);
      expect(r.body.message).toMatch(message);
      expect(messages(r as never)).toMatch(description);
      expect(r.body.message).not.toBe(r.body.errors[0].description);
      expect(typeof r.body.trackingId).toBe('string');
    }
  });
});
