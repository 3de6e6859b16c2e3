/**
 * A `Retry-After` HTTP date names a moment on the server's clock: it is read against the answer's
 * own `Date` (RFC 9110 §10.2.3 "the time … after the response is received" as the server tells it),
 * so a machine whose clock is off neither hurries nor takes a 30 s wait for a final refusal.
 */
import { expect, test } from 'vitest';
import { finalRefusalWait } from '../../meetings/client/retry.js';

test("an HTTP-date Retry-After is measured from the answer's Date, not from this machine's clock", () => {
  // The server's clock a year ahead of this machine's: 30 s from its Date is within the wait the client takes.
  const server = Date.now() + 365 * 24 * 3600 * 1000;
  const at = (ms: number) => new Date(ms).toUTCString();
  expect(finalRefusalWait({ date: at(server), 'retry-after': at(server + 30_000) })).toBeUndefined();
  // Ten minutes from its Date is final, whatever this machine's clock says.
  expect(finalRefusalWait({ date: at(server), 'retry-after': at(server + 600_000) })).toBe(600_000);
  // Without a Date the local clock is all there is.
  expect(finalRefusalWait({ 'retry-after': at(Date.now() + 600_000) })).toBeGreaterThan(590_000);
});
