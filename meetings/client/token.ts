/**
 * An access token goes into the Authorization header as it is. A header value with a line break or
 * another control character is refused by undici for every request, and each refusal also keeps a
 * connection slot of the pool busy (undici 7.30), so a run would stall with nothing left to wait
 * on: the token is checked once, before any request.
 */
export class InvalidTokenError extends Error {
  readonly code = 'invalidToken';
}

/** Why `token` cannot be sent (never quoting it), or undefined. */
export function tokenProblem(token: string): string | undefined {
  const at = token.search(/[^\x21-\x7e]/);
  if (at < 0) return undefined;
  return `the access token holds a space, a line break or another character that is not printable ASCII (character ${at + 1} of ${token.length}): an access token is one word; copy it again`;
}
