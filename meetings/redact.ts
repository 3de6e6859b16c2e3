/**
 * What meetctl's logs must never show beyond the generic credentials core/log redacts: every field
 * the catalogue marks sensitive (at any depth), and the variable the access token is read from;
 * and the variables no secret reference may name.
 */
import { resolveSecret, type SecretResolution } from '../core/secrets.js';
import { MEETING_FIELDS, type FieldSpec } from './catalogue.js';

function sensitiveNames(fields: readonly FieldSpec[]): string[] {
  return fields.flatMap((f) => [...(f.sensitive ? [f.name] : []), ...sensitiveNames(f.members ?? [])]);
}

export const LOG_SENSITIVE_KEYS: readonly string[] = [...sensitiveNames(MEETING_FIELDS), 'WEBEX_ACCESS_TOKEN'];

/** The connection's variables (WEBEX_ACCESS_TOKEN, WEBEX_BASE_URL): a password naming one would send the token to Webex as a setting. */
export const CONNECTION_VARIABLES = /^WEBEX_/;

/** A secret field's value to send, resolved as core resolves any, never from a connection variable. */
export function resolveFieldSecret(value: unknown, env: Readonly<Record<string, string | undefined>>): SecretResolution {
  return resolveSecret(value, env, CONNECTION_VARIABLES);
}
