/** What the security tests look for in every output. */

/** Every form a secret could leak in: raw, URL-encoded, JSON-escaped, base64/base64url at any alignment. */
export function leakForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), encodeURI(secret), JSON.stringify(secret).slice(1, -1), new URLSearchParams({ s: secret }).toString().slice(2)]);
  for (let offset = 0; offset < 3; offset++) {
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = Buffer.from('x'.repeat(offset) + secret).toString(encoding);
      // Drop the characters the prefix and the padding influence; what is left only a leak can produce.
      forms.add(encoded.slice(offset === 0 ? 0 : 4, -4));
    }
  }
  return [...forms];
}
